"""Alembic scripts for the PostgreSQL schema (see truthgraph.store.pg_migrate)."""
