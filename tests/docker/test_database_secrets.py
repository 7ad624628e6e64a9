"""Database passwords in the containers: one holding `/ + =` works from a password file
and from a URL written as it is, and appears in no output; a secret file the
services' uid cannot read is named, with that uid, in the error."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.docker.images import API_IMAGE, DOCKER, PG_IMAGE, docker, requires_images
from tests.http_server import free_port

pytestmark = [
    pytest.mark.docker,
    requires_images,
    pytest.mark.skipif(not PG_IMAGE, reason="set TRUTHGRAPH_TEST_PG_IMAGE to run"),
]
PASSWORD = "Zk9/q+Lw3=x/Rt+8="
SPELLINGS = (PASSWORD, "Zk9/q", "Zk9%2Fq", "q+Lw3")


@pytest.fixture(scope="module")
def secrets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("secrets")
    folder.chmod(0o755)
    good = folder / "postgres_password"
    good.write_text(PASSWORD + "\n")
    os.chown(good, 999, 999)
    good.chmod(0o400)
    root_only = folder / "root_only"
    root_only.write_text(PASSWORD)
    root_only.chmod(0o600)
    # Read through TRUTHGRAPH_SECRETS_DIR (pydantic-settings' secrets source).
    url_file = folder / "truthgraph_database_url"
    url_file.write_text("postgresql://u:p@h/d")
    url_file.chmod(0o600)
    return folder


@pytest.fixture(scope="module")
def pg_port(secrets: Path) -> Iterator[int]:
    port = free_port()
    name = f"truthgraph-test-secrets-{port}"
    docker(
        "run",
        "-d",
        "--name",
        name,
        "--network",
        "host",
        "-e",
        f"PGPORT={port}",
        "-e",
        "POSTGRES_USER=truthgraph",
        "-e",
        "POSTGRES_DB=truthgraph",
        "-e",
        "POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password",
        "-v",
        f"{secrets / 'postgres_password'}:/run/secrets/postgres_password:ro",
        PG_IMAGE,
    )
    try:
        deadline = time.monotonic() + 60
        while not _ready(name, port):
            assert time.monotonic() < deadline, docker("logs", name, check=False)
            time.sleep(0.5)
        yield port
    finally:
        docker("rm", "-f", "-v", name, check=False)


def _ready(name: str, port: int) -> bool:
    done = subprocess.run(
        [DOCKER, "exec", name, "pg_isready", "-q", "-U", "truthgraph", "-p", str(port)],
        capture_output=True,
        timeout=10,
    )
    return done.returncode == 0


def truthgraph(secrets: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        DOCKER,
        "run",
        "--rm",
        "--network",
        "host",
        "--read-only",
        "-v",
        f"{secrets}:/run/secrets:ro",
    ]
    for key, value in env.items():
        command += ["-e", f"{key}={value}"]
    return subprocess.run(
        [*command, API_IMAGE, "truthgraph", *args], capture_output=True, text=True, timeout=120
    )


def assert_no_password(done: subprocess.CompletedProcess[str]) -> None:
    for spelling in SPELLINGS:
        assert spelling not in done.stdout + done.stderr, done.stdout + done.stderr


def test_a_password_with_slash_plus_equals_works_from_a_file(secrets: Path, pg_port: int) -> None:
    env = {
        "TRUTHGRAPH_DB_HOST": "127.0.0.1",
        "TRUTHGRAPH_DB_PORT": str(pg_port),
        "TRUTHGRAPH_DB_PASSWORD_FILE": "/run/secrets/postgres_password",
    }
    done = truthgraph(secrets, env, "db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert "schema upgraded" in done.stdout
    assert_no_password(done)
    done = truthgraph(secrets, env, "stats")
    assert done.returncode == 0, done.stderr
    assert '"passages": 0' in done.stdout
    assert_no_password(done)


def test_a_raw_url_works_and_errors_mask_the_password(secrets: Path, pg_port: int) -> None:
    url = f"postgresql://truthgraph:{PASSWORD}@127.0.0.1:{pg_port}/truthgraph"
    done = truthgraph(secrets, {"TRUTHGRAPH_DATABASE_URL": url}, "stats")
    assert done.returncode == 0, done.stderr
    assert_no_password(done)
    wrong_port = url.replace(f":{pg_port}/", f":{free_port()}/")
    done = truthgraph(
        secrets, {"TRUTHGRAPH_DATABASE_URL": wrong_port}, "db", "upgrade", "--wait", "1"
    )
    assert done.returncode == 1
    assert "did not accept connections" in done.stderr
    assert_no_password(done)
    wrong_password = url.replace("x/Rt", "y/Rt")
    done = truthgraph(secrets, {"TRUTHGRAPH_DATABASE_URL": wrong_password}, "stats")
    assert done.returncode == 1
    assert "password authentication failed" in done.stderr
    assert_no_password(done)


def test_an_unreadable_secret_file_is_named_with_the_uid_that_needs_it(secrets: Path) -> None:
    env = {
        "TRUTHGRAPH_DB_HOST": "127.0.0.1",
        "TRUTHGRAPH_DB_PASSWORD_FILE": "/run/secrets/root_only",
    }
    done = truthgraph(secrets, env, "db", "upgrade")
    assert done.returncode == 1
    assert "secret file /run/secrets/root_only cannot be read by uid 999" in done.stderr
    assert "belongs to uid 0" in done.stderr and "mode 0600" in done.stderr
    # The same through a secrets folder (pydantic-settings' own source).
    done = truthgraph(secrets, {"TRUTHGRAPH_SECRETS_DIR": "/run/secrets"}, "stats")
    assert done.returncode == 1
    assert "/run/secrets/truthgraph_database_url cannot be read by uid 999" in done.stderr
    assert "SecretsSettingsSource" not in done.stderr
