"""SQLite only: the built-in schema versioning (the shared behaviour is in
test_contract.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from truthgraph.store.protocol import StoreError
from truthgraph.store.sqlite import SQLiteStore
from truthgraph.store.sqlite_schema import MIGRATIONS


def test_new_database_is_at_the_latest_schema_version(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "a.db")
    assert store.schema_version == len(MIGRATIONS)
    store.close()
    reopened = SQLiteStore(tmp_path / "a.db")  # migrating again is a no-op
    assert reopened.schema_version == len(MIGRATIONS)
    reopened.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this TruthGraph supports"):
        SQLiteStore(path)
