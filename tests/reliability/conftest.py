"""Hostile-input tests run against the real app on both stores, with the API test
fixtures (`database_url` is parametrised over SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.conftest import AppFactory, client, database_url, make_client  # noqa: F401
from tests.http_server import ServerThread


@pytest.fixture()
def served(make_client: AppFactory) -> Iterator[ServerThread]:  # noqa: F811
    """The app behind a real uvicorn on a loopback port (chunked bodies, closed
    connections and streaming need real HTTP)."""
    server = ServerThread(make_client().app).start()
    yield server
    server.stop()
