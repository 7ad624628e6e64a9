"""The compose stack end to end: PostgreSQL + pgvector, migrations, ml-inference and the
core API built from this repository, driven over HTTP.

compose.yaml is used as written except for networking: the test machines run Docker
without a bridge, so every service joins the host network on free loopback ports."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.docker.images import (
    PG_IMAGE,
    container_cpu_seconds,
    docker,
    image_tag,
    requires_images,
)
from tests.http_server import free_port

pytestmark = [
    pytest.mark.docker,
    requires_images,
    pytest.mark.skipif(not PG_IMAGE, reason="set TRUTHGRAPH_TEST_PG_IMAGE to run"),
]
ROOT = Path(__file__).parents[2]
PROJECT = "truthgraph-test"


def host_network_compose(target: Path) -> Path:
    spec: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    for service in spec["services"].values():
        service.pop("ports", None)
        service["network_mode"] = "host"
    target.write_text(yaml.safe_dump(spec))
    return target


class Stack:
    def __init__(self, compose_file: Path, env: dict[str, str], api_url: str) -> None:
        self.file, self.env, self.api = compose_file, env, api_url

    def compose(self, *args: str, timeout: float = 600) -> str:
        command = [
            "docker-compose",
            "-p",
            PROJECT,
            "--project-directory",
            str(ROOT),
            "-f",
            str(self.file),
            *args,
        ]
        done = subprocess.run(
            command, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        assert done.returncode == 0, f"{' '.join(args)}: {done.stderr[-2000:]}"
        return done.stdout

    def container_id(self, service: str) -> str:
        return self.compose("ps", "-q", service).strip()

    def container(self, service: str) -> dict[str, Any]:
        container_id = self.container_id(service)
        data: list[dict[str, Any]] = json.loads(docker("inspect", container_id))
        return data[0]


def wait(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    ports = {"PGPORT": free_port(), "ML_PORT": free_port(), "API_PORT": free_port()}
    env = {
        **os.environ,
        **{k: str(v) for k, v in ports.items()},
        "TRUTHGRAPH_IMAGE_TAG": image_tag(),
        "POSTGRES_IMAGE": PG_IMAGE,
        "DB_HOST": "127.0.0.1",
        "ML_HOST": "127.0.0.1",
    }
    compose_file = host_network_compose(tmp_path_factory.mktemp("compose") / "compose.yaml")
    stack = Stack(compose_file, env, f"http://127.0.0.1:{ports['API_PORT']}")
    stack.compose("down", "-v", "--remove-orphans")
    try:
        stack.compose("up", "-d")
        wait(
            lambda: httpx.get(f"{stack.api}/ready", timeout=5).status_code == 200,
            240,
            "the API to become ready",
        )
        yield stack
    finally:
        logs = stack.compose("logs", "--no-color", "--tail", "40")
        stack.compose("down", "-v", "--remove-orphans")
        print(logs[-6000:])  # noqa: T201 - shown by pytest only when a test fails


IDLE_SECONDS = 60


def test_idle_containers_use_under_one_percent_of_a_core(stack: Stack) -> None:
    # First in this module, so the stack has served nothing yet; every container is
    # measured over the same minute. Health checks run inside the containers' cgroups,
    # so their cost is part of what is measured.
    services = ("postgres", "ml-inference", "api-core")
    ids = {service: stack.container_id(service) for service in services}
    time.sleep(10)  # start-up work (model warm-up, first checks) is not idling
    before = {s: container_cpu_seconds(c) for s, c in ids.items()}
    started = time.monotonic()
    time.sleep(IDLE_SECONDS)
    elapsed = time.monotonic() - started
    share = {s: (container_cpu_seconds(c) - before[s]) / elapsed for s, c in ids.items()}
    shares = ", ".join(f"{s} {100 * v:.2f}%" for s, v in share.items())
    print(f"idle CPU share of one core over {elapsed:.0f} s: {shares}")  # noqa: T201
    assert all(v < 0.01 for v in share.values()), share


def test_ready_answers_503_within_two_seconds_while_ml_inference_is_paused(
    stack: Stack,
) -> None:
    ml = stack.container_id("ml-inference")
    docker("pause", ml)
    try:
        deadline = time.monotonic() + 20
        while True:
            started = time.monotonic()
            response = httpx.get(f"{stack.api}/ready", timeout=5)
            took = time.monotonic() - started
            assert took <= 2, f"/ready took {took:.2f} s"
            if response.status_code == 503:
                assert response.json()["checks"]["inference"] == "unavailable"
                break
            assert time.monotonic() < deadline, "/ready never reported the paused service"
            time.sleep(0.5)
        started = time.monotonic()
        response = httpx.post(f"{stack.api}/v1/verify", json={"claim": "Water boils."}, timeout=60)
        assert response.status_code == 503
        assert time.monotonic() - started <= 2
    finally:
        docker("unpause", ml)
    wait(
        lambda: httpx.get(f"{stack.api}/ready", timeout=5).status_code == 200,
        30,
        "readiness after unpausing",
    )


def test_ingest_and_verify_over_http(stack: Stack) -> None:
    corpus = (ROOT / "src/truthgraph/sample/corpus.jsonl").read_bytes()
    response = httpx.post(
        f"{stack.api}/v1/documents",
        content=corpus,
        timeout=120,
        headers={"content-type": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["documents_added"] == 40
    response = httpx.post(
        f"{stack.api}/v1/verify",
        timeout=60,
        json={"claim": "The Eiffel Tower is located in Paris."},
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["evidence"] and result["evidence"][0]["doc_id"]
    assert result["verdict"] in {"SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"}
    assert "starter" in result["models"]["nli"]
    docs = httpx.get(f"{stack.api}/v1/documents", timeout=10).json()
    assert docs["count"] == 40


def test_core_answers_503_while_ml_inference_is_down_then_recovers(stack: Stack) -> None:
    stack.compose("stop", "ml-inference")
    try:
        response = httpx.post(f"{stack.api}/v1/verify", json={"claim": "Water boils."}, timeout=60)
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "inference_unavailable"
        assert httpx.get(f"{stack.api}/health", timeout=5).status_code == 200
        assert httpx.get(f"{stack.api}/ready", timeout=2).status_code == 503
    finally:
        stack.compose("start", "ml-inference")
    wait(
        lambda: (
            httpx.post(
                f"{stack.api}/v1/verify", json={"claim": "Water boils."}, timeout=30
            ).status_code
            == 200
        ),
        180,
        "recovery",
    )


def test_services_run_as_non_root_on_a_read_only_root(stack: Stack) -> None:
    for service in ("api-core", "ml-inference"):
        info = stack.container(service)
        assert info["Config"]["User"] == "999:999"
        assert info["HostConfig"]["ReadonlyRootfs"] is True
    migrate = stack.container("migrate")
    assert migrate["State"]["ExitCode"] == 0
