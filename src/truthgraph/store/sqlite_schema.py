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

MIGRATIONS += (
    # 2: verification jobs, verification history and API keys (see store/records.py).
    """
    CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        total INTEGER NOT NULL,
        completed INTEGER NOT NULL DEFAULT 0,
        options TEXT NOT NULL,
        error TEXT,
        lease_owner TEXT,
        lease_expires REAL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX jobs_status_created ON jobs(status, created_at);
    CREATE TABLE job_claims (
        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        claim TEXT NOT NULL,
        PRIMARY KEY (job_id, idx)
    );
    CREATE TABLE verifications (
        id TEXT PRIMARY KEY,
        job_id TEXT REFERENCES jobs(id) ON DELETE CASCADE,
        idx INTEGER,
        claim TEXT NOT NULL,
        verdict TEXT NOT NULL,
        confidence REAL NOT NULL,
        result TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (job_id, idx)
    );
    CREATE INDEX verifications_created ON verifications(created_at);
    CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    """,
)
