from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from truthgraph.api.app import create_app
from truthgraph.config import Settings
from truthgraph.inference.onnx import LocalInference
from truthgraph.store.sqlite import SQLiteStore

AppFactory = Callable[..., TestClient]


@pytest.fixture()
def make_client(
    tmp_path: Path, tiny_inference: LocalInference
) -> Iterator[AppFactory]:
    """Start the real app (lifespan included) on a SQLite file and the tiny models."""
    clients: list[TestClient] = []
    stores: list[SQLiteStore] = []

    def make(db: Path | None = None, **overrides: object) -> TestClient:
        settings = Settings(database_url=f"sqlite:///{db or tmp_path / 'api.db'}",
                            **{"top_k": 1, **overrides})  # type: ignore[arg-type]
        store = SQLiteStore(settings.sqlite_path or tmp_path / "api.db")
        stores.append(store)
        app = create_app(settings, store=store, inference=tiny_inference, poll_seconds=0.05)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
    for store in stores:
        store.close()


@pytest.fixture()
def client(make_client: AppFactory) -> TestClient:
    return make_client()


CORPUS = {
    "documents": [
        {"id": "tower", "title": "Tower", "text": "The tower is in Paris, as confirmed in 1889.",
         "url": "https://example.org/tower"},
        {"id": "whale", "title": "Whale", "text": "The blue whale is never a small animal."},
    ]
}
