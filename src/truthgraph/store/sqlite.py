"""The embedded store: one SQLite file with FTS5 for lexical and exact cosine search
over float32 vectors held in memory.

Exact search scans every vector (a 100k x 384 matrix product takes a few ms); a corpus
too large for that belongs in server mode, where pgvector's HNSW index does ANN search.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from truthgraph.domain import Passage
from truthgraph.store.protocol import DocumentWrite, StoreError, WriteSummary
from truthgraph.store.records import Records
from truthgraph.store.sql_reads import (
    PASSAGE_COLUMNS,
    DocumentReads,
    model_already_recorded,
    passage_from_row,
)
from truthgraph.store.sqlite_schema import MIGRATIONS

_TOKEN = re.compile(r"\w+", re.UNICODE)
_MAX_QUERY_TOKENS = 32


class SQLiteStore(DocumentReads):
    # Records (jobs, history, keys) run their SQL through this store's transactions;
    # SQLite serialises writers, so taking a job needs no row-lock clause.
    row_lock = skip_locked = ""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # One connection guarded by a lock: SQLite has a single writer anyway, and the
        # API's worker threads share it.
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._conn.execute("PRAGMA foreign_keys = ON")
        # SQLite's own LOWER folds ASCII only; PostgreSQL's folds every letter. The
        # substring filters (store/matching.py) need both to agree.
        self._conn.create_function("LOWER", 1, _lower, deterministic=True)
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")
        self._matrix: tuple[int, npt.NDArray[np.int64], npt.NDArray[np.float32]] | None = None
        self._migrate()
        self.records = Records(self)

    # -- schema ------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._lock:
            version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"database schema version {version} is newer than this TruthGraph "
                    f"supports ({len(MIGRATIONS)}); upgrade TruthGraph"
                )
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                with self._transaction():
                    for statement in script.split(";"):
                        if statement.strip():
                            self._conn.execute(statement)
                    self._conn.execute(f"PRAGMA user_version = {number}")

    @property
    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._transaction()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # -- writes ------------------------------------------------------------------------
    def ensure_embedding_model(self, name: str, dimension: int) -> None:
        with self._transaction() as conn:
            rows = dict(conn.execute("SELECT key, value FROM store_meta").fetchall())
            if not model_already_recorded(rows, name, dimension):
                conn.executemany(
                    "INSERT INTO store_meta (key, value) VALUES (?, ?)",
                    [("embed_model", name), ("embed_dimension", str(dimension))],
                )

    def write_documents(self, writes: Sequence[DocumentWrite]) -> WriteSummary:
        summary = WriteSummary()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction() as conn:
            # BEGIN IMMEDIATE holds the write lock: what is read here stays true until
            # COMMIT, whichever thread or process wrote before.
            for write in writes:
                doc = write.document
                row = conn.execute(
                    "SELECT content_hash FROM documents WHERE id = ?", (doc.id,)
                ).fetchone()
                if row is not None:
                    if row[0] == write.document_hash:
                        summary.unchanged.append(doc.id)
                        summary.duplicate_passages += len(write.passages)
                        continue
                    self._delete(conn, doc.id)
                    summary.replaced.append(doc.id)
                conn.execute(
                    "INSERT INTO documents (id, title, url, source, content_hash, text, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (doc.id, doc.title, doc.url, doc.source, write.document_hash, doc.text, now),
                )
                summary.documents += 1
                for draft, vector in zip(write.passages, write.embeddings, strict=True):
                    cursor = conn.execute(
                        "INSERT INTO passages (doc_id, text, start_char, end_char, content_hash)"
                        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (content_hash) DO NOTHING",
                        (doc.id, draft.text, draft.start, draft.end, draft.content_hash),
                    )
                    if cursor.rowcount == 0:  # stored meanwhile by another document
                        summary.duplicate_passages += 1
                        continue
                    passage_id = cursor.lastrowid
                    blob = np.asarray(vector, dtype=np.float32).tobytes()
                    conn.execute(
                        "INSERT INTO embeddings (passage_id, vector) VALUES (?, ?)",
                        (passage_id, blob),
                    )
                    conn.execute(
                        "INSERT INTO passages_fts (rowid, text, title) VALUES (?, ?, ?)",
                        (passage_id, draft.text, doc.title),
                    )
                    summary.passages += 1
        self._matrix = None
        return summary

    def _delete(self, conn: sqlite3.Connection, doc_id: str) -> bool:
        conn.execute(
            "DELETE FROM passages_fts WHERE rowid IN (SELECT id FROM passages WHERE doc_id = ?)",
            (doc_id,),
        )
        return conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount > 0

    def delete_document(self, doc_id: str) -> bool:
        with self._transaction() as conn:
            deleted = self._delete(conn, doc_id)
        self._matrix = None
        return deleted

    # -- reads -------------------------------------------------------------------------
    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        return list(self._query(sql, params))

    def document_hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        result: dict[str, str] = {}
        for chunk in _chunks(list(doc_ids)):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, content_hash FROM documents WHERE id IN ({marks})"
            rows = self._query(sql, chunk)
            result.update((str(a), str(b)) for a, b in rows)
        return result

    def existing_passage_hashes(
        self, hashes: Sequence[str], *, ignore_docs: Sequence[str] = ()
    ) -> set[str]:
        found: set[str] = set()
        ignore = list(ignore_docs)
        ignore_marks = ",".join("?" * len(ignore))
        for chunk in _chunks(list(hashes)):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT content_hash FROM passages WHERE content_hash IN ({marks})"
            if ignore:
                sql += f" AND doc_id NOT IN ({ignore_marks})"
            found.update(str(row[0]) for row in self._query(sql, [*chunk, *ignore]))
        return found

    def _vectors(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        with self._lock:
            # data_version changes when another connection commits; our own writes
            # reset the cache directly.
            version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            if self._matrix is None or self._matrix[0] != version:
                rows = self._conn.execute(
                    "SELECT passage_id, vector FROM embeddings ORDER BY passage_id"
                ).fetchall()
                ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
                if rows:
                    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32)
                    matrix = matrix.reshape(len(rows), -1)
                else:
                    matrix = np.zeros((0, 0), dtype=np.float32)
                self._matrix = (version, ids, matrix)
            return self._matrix[1], self._matrix[2]

    def vector_search(self, query: Sequence[float], k: int) -> list[tuple[int, float]]:
        ids, matrix = self._vectors()
        if len(ids) == 0:
            return []
        q = np.asarray(query, dtype=np.float32)
        norm = float(np.linalg.norm(q))
        if norm == 0.0:
            return []
        scores = matrix @ (q / norm)  # stored vectors are unit length
        k = min(k, len(ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(ids[i]), float(scores[i])) for i in top]

    def lexical_search(self, query: str, k: int) -> list[tuple[int, float]]:
        tokens = list(dict.fromkeys(t.lower() for t in _TOKEN.findall(query)))
        if not tokens:
            return []
        match = " OR ".join(f'"{t}"' for t in tokens[:_MAX_QUERY_TOKENS])
        rows = self._query(
            "SELECT rowid, bm25(passages_fts, 1.0, 0.3) AS score FROM passages_fts"
            " WHERE passages_fts MATCH ? ORDER BY score LIMIT ?",
            (match, k),
        )
        return [(int(str(r[0])), -float(str(r[1]))) for r in rows]

    def get_passages(self, ids: Sequence[int]) -> dict[int, Passage]:
        result: dict[int, Passage] = {}
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            rows = self._query(
                f"SELECT {PASSAGE_COLUMNS} FROM passages p JOIN documents d ON d.id = p.doc_id"
                f" WHERE p.id IN ({marks})",
                chunk,
            )
            for row in rows:
                passage = passage_from_row(row)
                result[passage.id] = passage
        return result

    def ping(self) -> None:
        try:
            self._query("SELECT 1")
        except sqlite3.Error as exc:
            raise StoreError(f"database unavailable: {exc}") from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _chunks(items: list[str] | list[int], size: int = 500) -> Iterator[list[object]]:
    # SQLite caps bound parameters per statement; stay well below it.
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _lower(value: str | bytes | int | float | None) -> str | bytes | int | float | None:
    return value.lower() if isinstance(value, str) else value
