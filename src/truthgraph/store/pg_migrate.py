"""The PostgreSQL schema's version: checking it (the store) and upgrading it (the
`truthgraph db upgrade` command, through Alembic).

Revisions are numbered "0001", "0002", ... in one line; the store only compares numbers,
so it can tell "behind, run the upgrade" from "newer than this TruthGraph" without
loading Alembic.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from truthgraph.store.protocol import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

# The newest revision in migrations/versions; a test keeps the two in step.
SCHEMA_HEAD = "0002"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
UPGRADE_HINT = "run `truthgraph db upgrade`"


def describe(url: str) -> str:
    """Where a URL points, for messages: host, port and database, never the password."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "PostgreSQL (unparsable URL)"
    host = str(params.get("host") or "localhost")
    port = f":{params['port']}" if params.get("port") else ""
    return f"PostgreSQL {host}{port}/{params.get('dbname') or params.get('user') or ''}"


def _revision_number(revision: str) -> int | None:
    return int(revision) if revision.isdigit() else None


def check_schema(cursor: psycopg.Cursor[Any], where: str) -> None:
    """Raise StoreError unless the schema is at SCHEMA_HEAD. Never creates anything:
    schema changes belong to `truthgraph db upgrade`, run once per deployment."""
    row = cursor.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
    found = None
    if row is not None and row[0]:
        version = cursor.execute("SELECT version_num FROM alembic_version").fetchone()
        found = None if version is None else str(version[0])
    if found is None:
        raise StoreError(f"{where} has no TruthGraph schema; {UPGRADE_HINT}")
    if found == SCHEMA_HEAD:
        return
    number, head = _revision_number(found), _revision_number(SCHEMA_HEAD)
    if number is not None and head is not None and number < head:
        raise StoreError(
            f"{where} has schema revision {found}, this TruthGraph needs {SCHEMA_HEAD}; "
            f"{UPGRADE_HINT}"
        )
    raise StoreError(
        f"{where} has schema revision {found}, newer than this TruthGraph supports "
        f"({SCHEMA_HEAD}); upgrade TruthGraph"
    )


def current_revision(url: str) -> str | None:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
        if row is None or not row[0]:
            return None
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if version is None else str(version[0])


def wait_for_database(
    url: str, *, timeout: float = 60.0, sleep: Callable[[float], None] = time.sleep
) -> None:
    """Wait until the server accepts connections (a container may still be starting),
    retrying with backoff for up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    delay = 0.25
    while True:
        remaining = deadline - time.monotonic()
        try:
            with psycopg.connect(url, connect_timeout=max(1, min(10, int(remaining)))):
                return
        except psycopg.OperationalError as exc:
            last = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StoreError(
                    f"{describe(url)} did not accept connections within {timeout:g} s: {last}"
                ) from None
            sleep(min(delay, remaining))
            delay = min(delay * 2, 5.0)


def wait_for_schema(
    url: str, *, timeout: float = 300.0, sleep: Callable[[float], None] = time.sleep
) -> str:
    """Wait until the database is at SCHEMA_HEAD, as after this version's `truthgraph db
    upgrade` (the API's init container on Kubernetes waits on the migration Job this
    way). A schema newer than this TruthGraph fails at once: waiting cannot fix it."""
    deadline = time.monotonic() + timeout
    where = describe(url)
    while True:
        remaining = deadline - time.monotonic()
        try:
            with psycopg.connect(
                url, autocommit=True, connect_timeout=max(1, min(10, int(remaining)))
            ) as conn:
                check_schema(conn.cursor(), where)
                return SCHEMA_HEAD
        except psycopg.OperationalError as exc:
            last = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        except StoreError as exc:
            if "newer than" in str(exc):
                raise
            last = str(exc)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise StoreError(
                f"{where} not at schema revision {SCHEMA_HEAD} within {timeout:g} s: {last}"
            ) from None
        sleep(min(2.0, remaining))


def alembic_config(url: str) -> Config:
    """An Alembic configuration built in code: the scripts live inside the package,
    so the upgrade works from an installed wheel with no alembic.ini."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["database_url"] = url
    return config


def upgrade_database(url: str, revision: str = "head") -> tuple[str | None, str | None]:
    """Run `alembic upgrade` on the database; returns the revisions before and after."""
    from alembic import command
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    before = current_revision(url)
    try:
        command.upgrade(alembic_config(url), revision)
    except CommandError as exc:
        raise StoreError(f"cannot upgrade {describe(url)}: {exc}") from None
    except (psycopg.Error, SQLAlchemyError) as exc:
        raise StoreError(f"upgrading {describe(url)} failed: {exc}") from None
    return before, current_revision(url)
