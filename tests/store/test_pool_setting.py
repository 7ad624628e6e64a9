"""TRUTHGRAPH_DB_POOL_SIZE: validated in the settings and handed to the PostgreSQL pool."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from truthgraph.config import Settings
from truthgraph.runtime import open_store


def test_pool_size_comes_from_the_environment_within_bounds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TRUTHGRAPH_DB_POOL_SIZE", raising=False)
    assert Settings().db_pool_size == 4
    monkeypatch.setenv("TRUTHGRAPH_DB_POOL_SIZE", "7")
    assert Settings().db_pool_size == 7
    for bad in ("0", "65"):
        monkeypatch.setenv("TRUTHGRAPH_DB_POOL_SIZE", bad)
        with pytest.raises(ValidationError, match="db_pool_size"):
            Settings()


@pytest.mark.postgres
def test_open_store_sizes_the_pool_from_the_settings(postgres_url: str) -> None:
    from truthgraph.store.postgres import PostgresStore

    store = open_store(Settings(database_url=postgres_url, db_pool_size=3))
    try:
        assert isinstance(store, PostgresStore)
        assert store._pool.max_size == 3  # the pool object is the store's own
    finally:
        store.close()
