"""Versioned SQLite schema. Each entry upgrades the database by one version; the
current version lives in `PRAGMA user_version`. Never edit a shipped step: add one."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: documents, passages, embeddings and the FTS5 lexical index.
    """
    CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '',
        content_hash TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE passages (
        id INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        content_hash TEXT NOT NULL UNIQUE
    );
    CREATE INDEX passages_doc_id ON passages(doc_id);
    CREATE TABLE embeddings (
        passage_id INTEGER PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
        vector BLOB NOT NULL
    );
    CREATE VIRTUAL TABLE passages_fts USING fts5(
        text, title, tokenize = 'porter unicode61 remove_diacritics 2'
    );
    """,
)
