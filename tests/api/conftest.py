from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from truthgraph.api.app import create_app
from truthgraph.api.deps import AppState
from truthgraph.config import Settings
from truthgraph.inference.onnx import LocalInference

AppFactory = Callable[..., TestClient]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each backend in turn: a new SQLite file, or a fresh PostgreSQL database already
    at the latest schema revision (as after `truthgraph db upgrade`)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'api.db'}"
    # Looked up only here, so SQLite-only runs never start a server.
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture()
def make_client(database_url: str, tiny_inference: LocalInference) -> Iterator[AppFactory]:
    """Start the real app (lifespan included) on the tiny models. The app opens the
    store from its settings, as `truthgraph serve` does; every client of one test opens
    the same database, as a restarted process or another replica would."""
    clients: list[TestClient] = []

    def make(**overrides: object) -> TestClient:
        settings = Settings(database_url=database_url, **{"top_k": 1, **overrides})  # type: ignore[arg-type]
        app = create_app(settings, inference=tiny_inference, poll_seconds=0.05)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)  # a no-op for a client a test stopped itself


@pytest.fixture()
def client(make_client: AppFactory) -> TestClient:
    return make_client()


def app_state(client: TestClient) -> AppState:
    """The running app's store, verifier and job runner."""
    state: AppState = client.app.state.truthgraph  # type: ignore[attr-defined]
    return state


CORPUS = {
    "documents": [
        {
            "id": "tower",
            "title": "Tower",
            "text": "The tower is in Paris, as confirmed in 1889.",
            "url": "https://example.org/tower",
        },
        {"id": "whale", "title": "Whale", "text": "The blue whale is never a small animal."},
    ]
}
