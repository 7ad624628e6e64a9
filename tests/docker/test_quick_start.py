"""The production quick start of docs/deployment.md, run verbatim in a clean clone:
compose.prod.yaml comes up with secrets, models and an API key; two ml-inference
replicas share the load; secrets/ and models/ stay out of git; without ./models,
`up` fails with a clear error instead of starting ml-inference without models."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.docker.images import PG_IMAGE, docker, image_tag, requires_images
from tests.http_server import free_port

pytestmark = [
    pytest.mark.docker,
    requires_images,
    pytest.mark.skipif(not PG_IMAGE, reason="set TRUTHGRAPH_TEST_PG_IMAGE to run"),
]
ROOT = Path(__file__).parents[2]
MARKER = "<!-- prod-quick-start -->"
REQUESTS = 200
# Where no Compose v2 plugin is installed (Debian's docker.io), `docker compose`
# runs Debian's Compose v1 with --compatibility, as the quick start says.
SHIM = """#!/bin/sh
if [ "$1" = compose ] && ! /usr/bin/docker compose version >/dev/null 2>&1; then
  shift
  exec docker-compose --compatibility "$@"
fi
exec /usr/bin/docker "$@"
"""


def quick_start() -> str:
    text = (ROOT / "docs/deployment.md").read_text()
    block = re.search(re.escape(MARKER) + r"\s*```\n(.*?)```", text, re.DOTALL)
    assert block, f"docs/deployment.md has no {MARKER} block"
    return block.group(1)


class Deployment:
    def __init__(self, clone: Path, env: dict[str, str]) -> None:
        self.clone, self.env = clone, env
        self.key: str | None = None
        self.api = f"http://127.0.0.1:{env['API_PORT']}"

    def run(self, script: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=self.clone,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if check:
            assert done.returncode == 0, f"{script}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return done

    def containers(self, service: str) -> list[str]:
        out = self.run(f"docker compose -f compose.prod.yaml ps -q {service}").stdout
        return out.split()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    work = tmp_path_factory.mktemp("quick-start")
    clone = work / "truthgraph"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    shim = work / "bin"
    shim.mkdir()
    (shim / "docker").write_text(SHIM)
    (shim / "docker").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{shim}:{os.environ['PATH']}",
        "TRUTHGRAPH_IMAGE_TAG": image_tag(),
        "POSTGRES_IMAGE": PG_IMAGE,
        "API_PORT": str(free_port()),
        "COMPOSE_PROJECT_NAME": f"tgquick{os.getpid()}",
    }
    deployment = Deployment(clone, env)
    try:
        yield deployment
    finally:
        deployment.run("docker compose -f compose.prod.yaml down -v --remove-orphans", check=False)


def test_the_quick_start_runs_verbatim(deployment: Deployment) -> None:
    done = deployment.run(quick_start())
    key = json.loads(done.stdout[done.stdout.index("{") : done.stdout.rindex("}") + 1])["key"]
    deadline = time.monotonic() + 180
    while True:
        try:
            if httpx.get(f"{deployment.api}/ready", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, deployment.run(
            "docker compose -f compose.prod.yaml logs --tail 30", check=False
        ).stdout[-4000:]
        time.sleep(1)
    assert httpx.get(f"{deployment.api}/v1/documents", timeout=10).status_code == 401
    headers = {"authorization": f"Bearer {key}"}
    assert (
        httpx.get(f"{deployment.api}/v1/documents", headers=headers, timeout=10).status_code == 200
    )
    # secrets/ and models/ are ignored: nothing to commit by accident.
    assert deployment.run("git status --porcelain").stdout == ""
    deployment.key = key


def _embed_requests(container: str) -> int:
    metrics = docker(
        "exec",
        container,
        "bash",
        "-c",
        "exec 3<>/dev/tcp/127.0.0.1/8001; printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3",
    )
    return sum(
        int(float(line.rsplit(" ", 1)[1]))
        for line in metrics.splitlines()
        if line.startswith("truthgraph_ml_requests_total") and "/v1/embed" in line
    )


def test_two_replicas_share_the_load(deployment: Deployment) -> None:
    key = deployment.key
    if key is None:
        pytest.skip("the quick start did not run")
    replicas = deployment.containers("ml-inference")
    assert len(replicas) == 2
    before = [_embed_requests(c) for c in replicas]
    headers = {"authorization": f"Bearer {key}"}
    with httpx.Client(base_url=deployment.api, headers=headers, timeout=30) as client:
        for i in range(REQUESTS):
            response = client.post("/v1/search", json={"query": f"the tower {i}"})
            assert response.status_code == 200, response.text
    counts = [_embed_requests(c) - b for c, b in zip(replicas, before, strict=True)]
    print(f"ml-inference requests per replica over {REQUESTS} searches: {counts}")  # noqa: T201
    assert sum(counts) == REQUESTS
    assert all(0.4 * REQUESTS <= n <= 0.6 * REQUESTS for n in counts), counts


def test_a_missing_models_folder_stops_up_with_a_clear_error(deployment: Deployment) -> None:
    deployment.run("docker compose -f compose.prod.yaml down")
    deployment.run("mv models models.aside")
    try:
        done = deployment.run("docker compose -f compose.prod.yaml up -d", check=False)
        assert done.returncode != 0
        assert "bind source path does not exist" in done.stderr
        assert str(deployment.clone / "models") in done.stderr
        assert not (deployment.clone / "models").exists()  # not created empty
        assert deployment.containers("ml-inference") == []
    finally:
        deployment.run("rm -rf models && mv models.aside models")
