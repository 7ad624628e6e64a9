"""Jobs, verification history and API keys: plain rows, one SQL text for both backends.

Each backend hands `Records` a `SqlRunner`; the SQL here is written with `?`
placeholders and portable types (ISO-8601 text timestamps, JSON as text, epoch-second
leases), so SQLite and PostgreSQL share every statement. The one difference is row
locking when a worker takes a job: PostgreSQL adds FOR UPDATE SKIP LOCKED so that
several API replicas can share the job table; SQLite serialises writers anyway.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from truthgraph.store.matching import contains, contains_pattern

JOB_STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")
FINAL_STATUSES = frozenset({"succeeded", "failed", "cancelled"})


class Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...


class SqlRunner(Protocol):
    # Appended to SELECTs: `row_lock` when a worker checks it still owns its job (so a
    # cancel waits for its write), `skip_locked` when a worker takes a job (so replicas
    # take different jobs without waiting on each other). Empty where writers are
    # serialised anyway (SQLite).
    row_lock: str
    skip_locked: str

    def transaction(self) -> AbstractContextManager[Cursor]:
        """A cursor whose statements commit together or not at all. Statements use
        `?` placeholders; the runner adapts them to its driver."""


@dataclass(frozen=True)
class JobInfo:
    id: str
    status: str
    total: int
    completed: int
    options: dict[str, Any]
    error: str | None
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class VerificationRecord:
    id: str
    claim: str
    verdict: str
    confidence: float
    result: dict[str, Any]
    created_at: str
    job_id: str | None = None
    index: int | None = None


@dataclass(frozen=True)
class ApiKeyRecord:
    id: str
    name: str
    scopes: tuple[str, ...]
    created_at: str
    revoked: bool


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


_JOB_COLUMNS = "id, status, total, completed, options, error, created_at, updated_at"
_VERIFICATION_COLUMNS = "id, claim, verdict, confidence, result, created_at, job_id, idx"


def _job(row: Sequence[Any]) -> JobInfo:
    return JobInfo(
        id=row[0],
        status=row[1],
        total=int(row[2]),
        completed=int(row[3]),
        options=json.loads(row[4]),
        error=row[5],
        created_at=row[6],
        updated_at=row[7],
    )


def _verification(row: Sequence[Any]) -> VerificationRecord:
    return VerificationRecord(
        id=row[0],
        claim=row[1],
        verdict=row[2],
        confidence=float(row[3]),
        result=json.loads(row[4]),
        created_at=row[5],
        job_id=row[6],
        index=None if row[7] is None else int(row[7]),
    )


class Records:
    def __init__(self, runner: SqlRunner) -> None:
        self.sql = runner

    # -- verification history --------------------------------------------------------
    def save_verification(self, result: dict[str, Any]) -> VerificationRecord:
        record = VerificationRecord(
            id=uuid.uuid4().hex,
            claim=result["claim"],
            verdict=result["verdict"],
            confidence=float(result["confidence"]),
            result=result,
            created_at=now_iso(),
        )
        with self.sql.transaction() as cur:
            cur.execute(
                f"INSERT INTO verifications ({_VERIFICATION_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
                (
                    record.id,
                    record.claim,
                    record.verdict,
                    record.confidence,
                    json.dumps(result),
                    record.created_at,
                    None,
                    None,
                ),
            )
        return record

    def list_verifications(
        self, *, limit: int, offset: int, verdict: str | None = None, text: str | None = None
    ) -> list[VerificationRecord]:
        """Synchronous verifications, newest first; `verdict` keeps one verdict, `text`
        the claims that contain it (ignoring case)."""
        where, params = _history_filter(verdict, text)
        with self.sql.transaction() as cur:
            rows = cur.execute(
                f"SELECT {_VERIFICATION_COLUMNS} FROM verifications WHERE {where}"
                " ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                (*params, limit, offset),
            ).fetchall()
        return [_verification(r) for r in rows]

    def get_verification(self, verification_id: str) -> VerificationRecord | None:
        with self.sql.transaction() as cur:
            row = cur.execute(
                f"SELECT {_VERIFICATION_COLUMNS} FROM verifications WHERE id = ?",
                (verification_id,),
            ).fetchone()
        return None if row is None else _verification(row)

    def count_verifications(self, *, verdict: str | None = None, text: str | None = None) -> int:
        where, params = _history_filter(verdict, text)
        with self.sql.transaction() as cur:
            sql = f"SELECT COUNT(*) FROM verifications WHERE {where}"
            row = cur.execute(sql, params).fetchone()
        return int(row[0])

    # -- jobs ------------------------------------------------------------------------
    def create_job(self, claims: Sequence[str], options: dict[str, Any]) -> JobInfo:
        job_id, stamp = uuid.uuid4().hex, now_iso()
        with self.sql.transaction() as cur:
            cur.execute(
                f"INSERT INTO jobs ({_JOB_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
                (job_id, "queued", len(claims), 0, json.dumps(options), None, stamp, stamp),
            )
            for index, claim in enumerate(claims):
                cur.execute(
                    "INSERT INTO job_claims (job_id, idx, claim) VALUES (?,?,?)",
                    (job_id, index, claim),
                )
        return JobInfo(job_id, "queued", len(claims), 0, options, None, stamp, stamp)

    def get_job(self, job_id: str) -> JobInfo | None:
        with self.sql.transaction() as cur:
            row = cur.execute(f"SELECT {_JOB_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return None if row is None else _job(row)

    def list_jobs(self, *, limit: int, offset: int) -> list[JobInfo]:
        with self.sql.transaction() as cur:
            rows = cur.execute(
                f"SELECT {_JOB_COLUMNS} FROM jobs ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
        return [_job(r) for r in rows]

    def cancel_job(self, job_id: str) -> bool:
        """Cancel a queued or running job; False if it had already finished."""
        with self.sql.transaction() as cur:
            cursor = cur.execute(
                "UPDATE jobs SET status = 'cancelled', lease_owner = NULL, updated_at = ?"
                " WHERE id = ? AND status IN ('queued', 'running')",
                (now_iso(), job_id),
            )
            return bool(cursor.rowcount)

    def acquire_job(self, worker: str, *, lease_seconds: float) -> JobInfo | None:
        """Take the oldest queued job, or a running one whose worker stopped renewing
        its lease (it crashed or was killed): its finished results stay, the rest is
        done again."""
        now = time.time()
        with self.sql.transaction() as cur:
            row = cur.execute(
                "SELECT id FROM jobs WHERE status = 'queued'"
                " OR (status = 'running' AND lease_expires < ?)"
                " ORDER BY created_at, id LIMIT 1" + self.sql.skip_locked,
                (now,),
            ).fetchone()
            if row is None:
                return None
            cur.execute(
                "UPDATE jobs SET status = 'running', lease_owner = ?, lease_expires = ?,"
                " updated_at = ? WHERE id = ?",
                (worker, now + lease_seconds, now_iso(), row[0]),
            )
            job = cur.execute(f"SELECT {_JOB_COLUMNS} FROM jobs WHERE id = ?", (row[0],))
            return _job(job.fetchone())

    def pending_claims(self, job_id: str, *, limit: int) -> list[tuple[int, str]]:
        with self.sql.transaction() as cur:
            rows = cur.execute(
                "SELECT c.idx, c.claim FROM job_claims c WHERE c.job_id = ? AND NOT EXISTS"
                " (SELECT 1 FROM verifications v WHERE v.job_id = c.job_id AND v.idx = c.idx)"
                " ORDER BY c.idx LIMIT ?",
                (job_id, limit),
            ).fetchall()
        return [(int(r[0]), str(r[1])) for r in rows]

    def record_results(
        self,
        job_id: str,
        worker: str,
        results: Sequence[tuple[int, dict[str, Any]]],
        *,
        lease_seconds: float,
    ) -> bool:
        """Store finished results and renew the lease, in one transaction. False (and
        nothing stored) when this worker no longer owns the job: it was cancelled or
        taken over, and the worker must stop."""
        stamp = now_iso()
        with self.sql.transaction() as cur:
            owned = cur.execute(
                "SELECT 1 FROM jobs WHERE id = ? AND status = 'running' AND lease_owner = ?"
                + self.sql.row_lock,
                (job_id, worker),
            ).fetchone()
            if owned is None:
                return False
            for index, result in results:
                cur.execute(
                    f"INSERT INTO verifications ({_VERIFICATION_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)"
                    " ON CONFLICT DO NOTHING",
                    (
                        uuid.uuid4().hex,
                        result["claim"],
                        result["verdict"],
                        float(result["confidence"]),
                        json.dumps(result),
                        stamp,
                        job_id,
                        index,
                    ),
                )
            cur.execute(
                "UPDATE jobs SET completed = (SELECT COUNT(*) FROM verifications WHERE job_id = ?),"
                " lease_expires = ?, updated_at = ? WHERE id = ?",
                (job_id, time.time() + lease_seconds, stamp, job_id),
            )
        return True

    def release_job(self, job_id: str, worker: str) -> None:
        """Hand a running job back to the queue (a clean shutdown), keeping results."""
        with self.sql.transaction() as cur:
            cur.execute(
                "UPDATE jobs SET status = 'queued', lease_owner = NULL, updated_at = ?"
                " WHERE id = ? AND status = 'running' AND lease_owner = ?",
                (now_iso(), job_id, worker),
            )

    def finish_job(
        self, job_id: str, worker: str, *, status: str, error: str | None = None
    ) -> None:
        if status not in FINAL_STATUSES:
            raise ValueError(f"not a final job status: {status}")
        with self.sql.transaction() as cur:
            cur.execute(
                "UPDATE jobs SET status = ?, error = ?, lease_owner = NULL, updated_at = ?"
                " WHERE id = ? AND status = 'running' AND lease_owner = ?",
                (status, error, now_iso(), job_id, worker),
            )

    def job_results(self, job_id: str, *, limit: int, offset: int) -> list[VerificationRecord]:
        with self.sql.transaction() as cur:
            rows = cur.execute(
                f"SELECT {_VERIFICATION_COLUMNS} FROM verifications WHERE job_id = ?"
                " ORDER BY idx LIMIT ? OFFSET ?",
                (job_id, limit, offset),
            ).fetchall()
        return [_verification(r) for r in rows]

    # -- API keys ----------------------------------------------------------------------
    def add_api_key(self, *, name: str, key_hash: str, scopes: Sequence[str]) -> ApiKeyRecord:
        record = ApiKeyRecord(uuid.uuid4().hex[:12], name, tuple(scopes), now_iso(), False)
        with self.sql.transaction() as cur:
            cur.execute(
                "INSERT INTO api_keys (id, name, key_hash, scopes, created_at) VALUES (?,?,?,?,?)",
                (record.id, name, key_hash, " ".join(scopes), record.created_at),
            )
        return record

    def find_api_key(self, key_hash: str) -> ApiKeyRecord | None:
        with self.sql.transaction() as cur:
            row = cur.execute(
                "SELECT id, name, scopes, created_at, revoked_at FROM api_keys WHERE key_hash = ?",
                (key_hash,),
            ).fetchone()
        return None if row is None else _key(row)

    def get_api_key(self, key_id: str) -> ApiKeyRecord | None:
        with self.sql.transaction() as cur:
            row = cur.execute(
                "SELECT id, name, scopes, created_at, revoked_at FROM api_keys WHERE id = ?",
                (key_id,),
            ).fetchone()
        return None if row is None else _key(row)

    def list_api_keys(self) -> list[ApiKeyRecord]:
        with self.sql.transaction() as cur:
            rows = cur.execute(
                "SELECT id, name, scopes, created_at, revoked_at FROM api_keys ORDER BY created_at"
            ).fetchall()
        return [_key(r) for r in rows]

    def revoke_api_key(self, key_id: str) -> bool:
        with self.sql.transaction() as cur:
            cursor = cur.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (now_iso(), key_id),
            )
            return bool(cursor.rowcount)


def _history_filter(verdict: str | None, text: str | None) -> tuple[str, tuple[str, ...]]:
    """The WHERE clause of the history: synchronous verifications (job results live
    under their job), optionally of one verdict and containing some text."""
    conditions, params = ["job_id IS NULL"], []
    if verdict:
        conditions.append("verdict = ?")
        params.append(verdict)
    if text:
        conditions.append(contains("claim"))
        params.append(contains_pattern(text))
    return " AND ".join(conditions), tuple(params)


def _key(row: Sequence[Any]) -> ApiKeyRecord:
    return ApiKeyRecord(
        id=row[0],
        name=row[1],
        scopes=tuple(str(row[2]).split()),
        created_at=row[3],
        revoked=row[4] is not None,
    )
