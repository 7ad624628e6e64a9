"""Alembic environment: runs the revisions over one psycopg connection.

The configuration is built in code (truthgraph.store.pg_migrate.alembic_config), so
this works from an installed wheel without an alembic.ini.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.pool import NullPool

# Any fixed key: concurrent upgrades (several replicas starting at once) take turns.
_UPGRADE_LOCK = 7_305_114_921


def _run(connection: Connection) -> None:
    context.configure(connection=connection, transactional_ddl=True)
    with context.begin_transaction():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
        context.run_migrations()


def _main() -> None:
    config = context.config
    if context.is_offline_mode():
        context.configure(dialect_name="postgresql", literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.attributes["database_url"]
    import psycopg

    # libpq parses the URL, exactly as the store does (unix sockets, ?host=, ...).
    engine = create_engine(
        "postgresql+psycopg://", creator=lambda: psycopg.connect(url), poolclass=NullPool
    )
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


_main()
