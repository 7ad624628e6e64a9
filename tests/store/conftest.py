from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from truthgraph.store.protocol import Store
from truthgraph.store.sqlite import SQLiteStore


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each backend in turn, empty; the contract tests run against both."""
    store: Store
    if request.param == "sqlite":
        store = SQLiteStore(tmp_path / "contract.db")
    else:
        from truthgraph.store.postgres import PostgresStore

        # Looked up only here, so SQLite-only runs never start a server (the fixture
        # lives in tests/conftest.py: one server for the store and API tests).
        store = PostgresStore(request.getfixturevalue("postgres_url"))
    yield store
    store.close()
