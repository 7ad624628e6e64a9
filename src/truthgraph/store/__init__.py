"""Persistence behind one protocol: SQLite (embedded) and PostgreSQL + pgvector (server)."""

from truthgraph.store.protocol import DocumentWrite, Store, StoreError, WriteSummary

__all__ = ["DocumentWrite", "Store", "StoreError", "WriteSummary"]
