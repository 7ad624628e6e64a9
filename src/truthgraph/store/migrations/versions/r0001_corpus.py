"""Documents, passages, embeddings and the full-text index.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from truthgraph.store.migrations import execute_all

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_UPGRADE = (
    "CREATE EXTENSION IF NOT EXISTS vector",
    "CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # created_at is cut to whole seconds so that documents written in the same second
    # list in id order, as in the SQLite store.
    """CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '',
        content_hash TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT date_trunc('second', now())
    )""",
    "CREATE INDEX documents_created_at ON documents (created_at, id)",
    # The title is copied onto each passage because a generated column can only read
    # its own row; a document's title only changes when the document is replaced.
    """CREATE TABLE passages (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        title TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        content_hash TEXT NOT NULL UNIQUE,
        tsv TSVECTOR GENERATED ALWAYS AS (
            setweight(to_tsvector('english', text), 'A')
            || setweight(to_tsvector('english', title), 'B')
        ) STORED
    )""",
    "CREATE INDEX passages_doc_id ON passages (doc_id)",
    "CREATE INDEX passages_tsv ON passages USING gin (tsv)",
    # Untyped: the dimension is only known once an embedding model is recorded; the
    # store then adds an HNSW index over `vector::vector(DIM)`.
    """CREATE TABLE embeddings (
        passage_id BIGINT PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
        vector VECTOR NOT NULL
    )""",
)

_DOWNGRADE = (
    # The vector extension stays: other schemas in the database may use it.
    "DROP TABLE embeddings",
    "DROP TABLE passages",
    "DROP TABLE documents",
    "DROP TABLE store_meta",
)


def upgrade() -> None:
    execute_all(_UPGRADE)


def downgrade() -> None:
    execute_all(_DOWNGRADE)
