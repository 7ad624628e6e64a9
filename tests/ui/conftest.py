from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Protocol

import pytest
from fastapi.testclient import TestClient

from truthgraph.api.app import create_app
from truthgraph.api.deps import AppState
from truthgraph.config import Settings
from truthgraph.inference.onnx import LocalInference
from truthgraph.inference.protocol import InferenceClient

UiFactory = Callable[..., TestClient]


class Page(Protocol):
    """What the tests read of a test client's response (whichever httpx it uses)."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def text(self) -> str: ...


TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
# Small documents for the tiny test models (they read cue words, not meaning).
DOCUMENTS = (
    b'{"id": "tower", "title": "Tower", "text": "The tower is in Paris, as confirmed in 1889.'
    b' It is made of iron.", "url": "https://example.org/tower"}\n'
    b'{"id": "notes/whale.md", "title": "Whale", "text": "The blue whale is never a small'
    b' animal. It lives in every ocean.", "url": "javascript:alert(1)"}\n'
)


@pytest.fixture()
def make_ui(tmp_path: Path, tiny_inference: LocalInference) -> Iterator[UiFactory]:
    """Start the real app (lifespan, job workers) over a new SQLite file; `inference`
    replaces the tiny in-process models (a remote client that cannot connect, say)."""
    clients: list[TestClient] = []

    def make(inference: InferenceClient | None = None, **overrides: object) -> TestClient:
        settings = Settings(
            database_url=f"sqlite:///{tmp_path / 'ui.db'}",
            **{"top_k": 2, "job_workers": 1, **overrides},  # type: ignore[arg-type]
        )
        app = create_app(settings, inference=inference or tiny_inference, poll_seconds=0.05)
        client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture()
def ui(make_ui: UiFactory) -> TestClient:
    return make_ui()


def state_of(client: TestClient) -> AppState:
    state: AppState = client.app.state.truthgraph  # type: ignore[attr-defined]
    return state


def form_token(client: TestClient, path: str = "/ui/") -> str:
    """The form token a page hands out (its cookie is set on the client by the visit)."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    match = TOKEN.search(response.text)
    assert match is not None
    return match.group(1)


def upload_documents(client: TestClient, *files: tuple[str, bytes]) -> Page:
    token = form_token(client, "/ui/corpus")
    return client.post(
        "/ui/corpus/upload",
        data={"csrf_token": token},
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
    )
