"""The remote client against services that stop answering and against several
replicas: /ready answers from memory, calls fail fast while the service is known down,
and requests are spread over every address the service name has."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.http_server import ServerThread, free_port
from truthgraph.api.app import create_app
from truthgraph.config import Settings
from truthgraph.inference.protocol import InferenceError
from truthgraph.inference.remote import RemoteInference
from truthgraph.mlserver.app import create_ml_app
from truthgraph.store.sqlite import SQLiteStore


@pytest.fixture()
def ml_settings(tiny_models: tuple[Path, Path]) -> Settings:
    return Settings(embed_model=str(tiny_models[0]), nli_model=str(tiny_models[1]))


@pytest.fixture()
def silent_port() -> Iterator[int]:
    """A port whose listener never accepts: connections complete in the kernel's
    backlog and then nothing answers, as with a paused container."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield int(sock.getsockname()[1])


def test_ready_answers_at_once_when_the_service_does_not(silent_port: int, tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'core.db'}",
        inference="remote",
        inference_url=f"http://127.0.0.1:{silent_port}",
    )
    remote = RemoteInference(settings.inference_url, timeout=30, retries=2)
    store = SQLiteStore(tmp_path / "core.db")
    with TestClient(create_app(settings, store=store, inference=remote)) as core:
        deadline = time.monotonic() + 5
        while True:
            started = time.monotonic()
            response = core.get("/ready")
            assert time.monotonic() - started < 0.5
            assert response.status_code == 503  # "unknown" until the first probe ends
            if response.json()["checks"]["inference"] == "unavailable":
                break
            assert time.monotonic() < deadline, "never reported unavailable"
            time.sleep(0.1)
        # The probe marked it down: a verification fails at once, not after 3 x 30 s.
        started = time.monotonic()
        answer = core.post("/v1/verify", json={"claim": "The tower is in Paris."})
        assert answer.status_code == 503
        assert time.monotonic() - started < 1
    store.close()


class _TwoAddresses(RemoteInference):
    """The service name resolving to two loopback addresses (DNS with two replicas)."""

    def _resolve(self) -> list[str]:
        return ["127.0.0.2", "127.0.0.3"]


def _embed_calls(url: str) -> int:
    import httpx

    text = httpx.get(f"{url}/metrics", timeout=5).text
    return sum(
        int(float(line.rsplit(" ", 1)[1]))
        for line in text.splitlines()
        if line.startswith("truthgraph_ml_requests_total") and "/v1/embed" in line
    )


def test_requests_are_spread_over_every_replica(ml_settings: Settings) -> None:
    port = free_port()
    replicas = [
        ServerThread(create_ml_app(ml_settings), port=port, host=host).start()
        for host in ("127.0.0.2", "127.0.0.3")
    ]
    remote = _TwoAddresses(f"http://ml-inference:{port}", timeout=5, retries=1)
    try:
        for i in range(100):
            remote.embed([f"text {i}"])
        counts = [_embed_calls(r.url) for r in replicas]
        assert counts == [50, 50]
        # One replica stops: everything goes to the other, without a failed call.
        replicas[1].stop()
        remote.check()
        for i in range(20):
            remote.embed([f"text {i}"])
        assert _embed_calls(replicas[0].url) == 70
        replicas[0].stop()
        with pytest.raises(InferenceError, match="unavailable"):
            remote.check()
    finally:
        for replica in replicas:
            replica.stop()
        remote.close()
