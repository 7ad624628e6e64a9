"""Verification jobs, verification history and API keys (see store/records.py).

Timestamps are ISO-8601 text and results JSON text, as in the SQLite schema, so that
both backends run the same record statements.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from truthgraph.store.migrations import execute_all

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_UPGRADE = (
    """CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        total INTEGER NOT NULL,
        completed INTEGER NOT NULL DEFAULT 0,
        options TEXT NOT NULL,
        error TEXT,
        lease_owner TEXT,
        lease_expires DOUBLE PRECISION,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX jobs_status_created ON jobs (status, created_at)",
    """CREATE TABLE job_claims (
        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        claim TEXT NOT NULL,
        PRIMARY KEY (job_id, idx)
    )""",
    """CREATE TABLE verifications (
        id TEXT PRIMARY KEY,
        job_id TEXT REFERENCES jobs(id) ON DELETE CASCADE,
        idx INTEGER,
        claim TEXT NOT NULL,
        verdict TEXT NOT NULL,
        confidence DOUBLE PRECISION NOT NULL,
        result TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (job_id, idx)
    )""",
    "CREATE INDEX verifications_created ON verifications (created_at)",
    """CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    )""",
)

_DOWNGRADE = (
    "DROP TABLE api_keys",
    "DROP TABLE verifications",
    "DROP TABLE job_claims",
    "DROP TABLE jobs",
)


def upgrade() -> None:
    execute_all(_UPGRADE)


def downgrade() -> None:
    execute_all(_DOWNGRADE)
