"""Alembic scripts for the PostgreSQL schema (see truthgraph.store.pg_migrate)."""

from __future__ import annotations

from collections.abc import Sequence


def execute_all(statements: Sequence[str]) -> None:
    """Run raw SQL statements in order inside the current migration."""
    from alembic import op

    for statement in statements:
        op.execute(statement)
