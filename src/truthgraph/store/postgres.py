"""The server-mode store: PostgreSQL with pgvector (HNSW, cosine) and full-text search.

Same contract as the SQLite store. Vectors travel as pgvector text literals and come
back only as distances, so this module needs neither numpy nor the pgvector package
(the core API image has no numpy). The schema belongs to `truthgraph db upgrade`
(Alembic); the store only checks that it is current.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool, PoolTimeout

from truthgraph.domain import Passage
from truthgraph.store.pg_migrate import check_schema, describe
from truthgraph.store.protocol import DocumentWrite, StoreError, WriteSummary
from truthgraph.store.records import Records
from truthgraph.store.sql_reads import (
    PASSAGE_COLUMNS,
    DocumentReads,
    model_already_recorded,
    passage_from_row,
)

_TOKEN = re.compile(r"\w+", re.UNICODE)
_MAX_QUERY_TOKENS = 32
# pgvector's HNSW scan returns at most hnsw.ef_search rows (default 40, at most 1000).
_MIN_EF_SEARCH, _MAX_EF_SEARCH = 40, 1000
HNSW_INDEX = "embeddings_hnsw_cosine"
# Serialises the first recording of the embedding model across processes.
_META_LOCK = 7_305_114_922
# ts_rank weights for {D, C, B, A}: passage text is A, its document title B (as the
# SQLite store's bm25 weights text 1.0 and title 0.3).
_RANK_WEIGHTS = "{0, 0, 0.3, 1.0}"
# A passage whose text another writer stored meanwhile is skipped, with its vector.
_INSERT_PASSAGE = (
    "WITH p AS (INSERT INTO passages (doc_id, title, text, start_char, end_char, content_hash)"
    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (content_hash) DO NOTHING RETURNING id)"
    " INSERT INTO embeddings (passage_id, vector) SELECT id, %s::vector FROM p"
)
# Concurrent writers of overlapping documents can still deadlock on an unusual order
# (a replaced document's cascade); PostgreSQL then aborts one, which is retried.
_WRITE_ATTEMPTS = 3

Cursor = psycopg.Cursor[tuple[Any, ...]]


def vector_literal(values: Sequence[float]) -> str:
    """pgvector's text form, '[0.1,0.2,...]'; repr keeps every digit of each float."""
    return "[" + ",".join(repr(float(v)) for v in values) + "]"


def tsquery_text(query: str) -> str | None:
    """The query's word tokens OR-ed for to_tsquery. Tokens are runs of \\w, which
    holds none of tsquery's operator characters (& | ! ( ) : * < > ' \\), so no input
    can change the query's structure; the text is a bound parameter besides."""
    tokens = list(dict.fromkeys(t.lower() for t in _TOKEN.findall(query)))
    return " | ".join(tokens[:_MAX_QUERY_TOKENS]) or None


def vector_search_sql(dimension: int | None) -> sql.Composed:
    """Nearest passages by cosine distance. With a recorded dimension the ORDER BY uses
    the very expression of the HNSW index, so the planner can walk the index."""
    column: sql.Composable
    query: sql.Composable
    if dimension:
        column = sql.SQL("(vector::vector({dim}))").format(dim=sql.Literal(dimension))
        query = sql.SQL("%s::vector({dim})").format(dim=sql.Literal(dimension))
    else:
        column, query = sql.SQL("vector"), sql.SQL("%s::vector")
    return sql.SQL(
        "SELECT passage_id, {column} <=> {query} AS distance FROM embeddings"
        " ORDER BY distance LIMIT %s"
    ).format(column=column, query=query)


class _QmarkCursor:
    """Adapts the `?` placeholders of the shared records SQL to psycopg's `%s`."""

    def __init__(self, cursor: Cursor) -> None:
        self._cursor = cursor

    def execute(self, query: str, params: Sequence[Any] = ()) -> Cursor:
        text = query.replace("%", "%%").replace("?", "%s")
        return self._cursor.execute(text, params)


class PostgresStore(DocumentReads):
    # Records (jobs, history, keys): workers on several replicas each take a
    # different queued job without waiting on each other.
    row_lock = " FOR UPDATE"
    skip_locked = " FOR UPDATE SKIP LOCKED"

    def __init__(self, url: str, *, pool_size: int = 4, connect_timeout: float = 10.0) -> None:
        self.url = url
        self._where = describe(url)
        # One plain connection first: a wrong password or database name fails here at
        # once, with the server's reason, instead of as a pool timeout.
        try:
            with psycopg.connect(
                url, autocommit=True, connect_timeout=max(1, round(connect_timeout))
            ) as conn:
                check_schema(conn.cursor(), self._where)
        except psycopg.OperationalError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            raise StoreError(f"cannot connect to {self._where}: {reason}") from None
        # check= validates a connection when it is borrowed, so a database restart
        # costs a reconnect rather than one failed request per pooled connection.
        self._pool: ConnectionPool[psycopg.Connection[tuple[Any, ...]]] = ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, pool_size),
            open=False,
            kwargs={"autocommit": True, "application_name": "truthgraph"},
            check=ConnectionPool.check_connection,
            timeout=connect_timeout,
            name="truthgraph",
        )
        try:
            self._pool.open(wait=True, timeout=connect_timeout)
        except PoolTimeout:
            self._pool.close()
            raise StoreError(f"cannot connect to {self._where}") from None
        self._dimension: int | None = None
        self.records = Records(self)

    # -- connections -------------------------------------------------------------------
    @contextmanager
    def _cursor(self) -> Iterator[Cursor]:
        try:
            with self._pool.connection() as conn, conn.cursor() as cur:
                yield cur
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise StoreError(f"{self._where} unavailable: {exc}") from exc

    @contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        with self._cursor() as cur, cur.connection.transaction():
            yield cur

    def transaction(self) -> AbstractContextManager[_QmarkCursor]:
        """For Records: a cursor taking `?` placeholders, in one transaction."""
        return self._qmark_transaction()

    @contextmanager
    def _qmark_transaction(self) -> Iterator[_QmarkCursor]:
        with self._transaction() as cur:
            yield _QmarkCursor(cur)

    def _query(self, query: str | sql.Composed, params: Sequence[Any] = ()) -> list[Any]:
        with self._cursor() as cur:
            return cur.execute(query, params).fetchall()

    def _read(self, query: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        return self._query(query.replace("?", "%s"), params)

    def _timestamp(self, value: Any) -> str:
        return _iso(value)

    # -- writes ------------------------------------------------------------------------
    def ensure_embedding_model(self, name: str, dimension: int) -> None:
        with self._transaction() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_META_LOCK,))
            rows = dict(
                cur.execute(
                    "SELECT key, value FROM store_meta"
                    " WHERE key IN ('embed_model', 'embed_dimension')"
                ).fetchall()
            )
            if not model_already_recorded(rows, name, dimension):
                cur.executemany(
                    "INSERT INTO store_meta (key, value) VALUES (%s, %s)",
                    [("embed_model", name), ("embed_dimension", str(dimension))],
                )
            if dimension > 0:
                self._ensure_hnsw_index(cur, dimension)
        self._dimension = dimension if dimension > 0 else None

    def _ensure_hnsw_index(self, cur: Cursor, dimension: int) -> None:
        # Look first: CREATE INDEX IF NOT EXISTS would still lock out writers briefly.
        row = cur.execute("SELECT to_regclass(%s) IS NOT NULL", (HNSW_INDEX,)).fetchone()
        if row is not None and row[0]:
            return
        # An expression index, because the column is untyped; it also makes pgvector
        # refuse vectors of another dimension.
        cur.execute(
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {name} ON embeddings"
                " USING hnsw ((vector::vector({dim})) vector_cosine_ops)"
            ).format(name=sql.Identifier(HNSW_INDEX), dim=sql.Literal(dimension))
        )

    def write_documents(self, writes: Sequence[DocumentWrite]) -> WriteSummary:
        for attempt in range(1, _WRITE_ATTEMPTS + 1):
            try:
                return self._write_documents(writes)
            except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
                if attempt == _WRITE_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def _write_documents(self, writes: Sequence[DocumentWrite]) -> WriteSummary:
        summary = WriteSummary()
        # Rows are locked in one global order, documents by id and then passages by
        # hash, so two writers never wait on each other in a cycle.
        ordered = sorted(writes, key=lambda w: w.document.id)
        with self._transaction() as cur:
            written: list[DocumentWrite] = []
            for write in ordered:
                if self._insert_document(cur, write, summary):
                    written.append(write)
            rows = sorted(
                (
                    (
                        w.document.id,
                        w.document.title,
                        draft.text,
                        draft.start,
                        draft.end,
                        draft.content_hash,
                        vector_literal(vector),
                    )
                    for w in written
                    for draft, vector in zip(w.passages, w.embeddings, strict=True)
                ),
                key=lambda row: row[5],
            )
            if rows:
                # executemany pipelines the statements: one round trip, not one each.
                cur.executemany(_INSERT_PASSAGE, rows)
                ids = [w.document.id for w in written]
                stored = cur.execute(
                    "SELECT COUNT(*) FROM passages WHERE doc_id = ANY(%s::text[])", (ids,)
                ).fetchone()
                summary.passages = int(stored[0]) if stored else 0
                summary.duplicate_passages += len(rows) - summary.passages
            summary.documents = len(written)
        return summary

    @staticmethod
    def _insert_document(cur: Cursor, write: DocumentWrite, summary: WriteSummary) -> bool:
        """Insert the document row; False if the same text is stored already."""
        doc = write.document
        values = (doc.id, doc.title, doc.url, doc.source, write.document_hash, doc.text)
        insert = (
            "INSERT INTO documents (id, title, url, source, content_hash, text)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING"
        )
        if cur.execute(insert, values).rowcount == 1:
            return True
        # Stored before or meanwhile (ON CONFLICT waited for that writer to commit).
        row = cur.execute(
            "SELECT content_hash FROM documents WHERE id = %s FOR UPDATE", (doc.id,)
        ).fetchone()
        if row is not None and row[0] == write.document_hash:
            summary.unchanged.append(doc.id)
            summary.duplicate_passages += len(write.passages)
            return False
        # Other text: this write replaces it (passages and vectors go by cascade).
        cur.execute("DELETE FROM documents WHERE id = %s", (doc.id,))
        if row is not None:
            summary.replaced.append(doc.id)
        cur.execute(insert, values)
        return True

    def delete_document(self, doc_id: str) -> bool:
        # Passages, embeddings and their full-text column go by ON DELETE CASCADE.
        with self._transaction() as cur:
            cur.execute("DELETE FROM documents WHERE id = %s", (doc_id,))
            return cur.rowcount > 0

    # -- reads -------------------------------------------------------------------------
    def document_hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        if not doc_ids:
            return {}
        rows = self._query(
            "SELECT id, content_hash FROM documents WHERE id = ANY(%s::text[])", (list(doc_ids),)
        )
        return {str(a): str(b) for a, b in rows}

    def existing_passage_hashes(
        self, hashes: Sequence[str], *, ignore_docs: Sequence[str] = ()
    ) -> set[str]:
        if not hashes:
            return set()
        rows = self._query(
            "SELECT content_hash FROM passages WHERE content_hash = ANY(%s::text[])"
            " AND NOT doc_id = ANY(%s::text[])",
            (list(hashes), list(ignore_docs)),
        )
        return {str(row[0]) for row in rows}

    def _embedding_dimension(self) -> int | None:
        if self._dimension is None:
            rows = self._query("SELECT value FROM store_meta WHERE key = 'embed_dimension'")
            value = int(rows[0][0]) if rows else 0
            # Once recorded it never changes, so it is safe to keep.
            self._dimension = value if value > 0 else None
        return self._dimension

    def vector_search(self, query: Sequence[float], k: int) -> list[tuple[int, float]]:
        if k <= 0 or math.fsum(float(v) * float(v) for v in query) == 0.0:
            return []  # a zero vector has no direction (pgvector would answer NaN)
        dimension = self._embedding_dimension()
        if dimension is not None and len(query) != dimension:
            raise StoreError(
                f"query vector has dimension {len(query)}; this database holds {dimension}"
            )
        with self._transaction() as cur:
            ef_search = min(max(k, _MIN_EF_SEARCH), _MAX_EF_SEARCH)
            cur.execute("SELECT set_config('hnsw.ef_search', %s, true)", (str(ef_search),))
            rows = cur.execute(vector_search_sql(dimension), (vector_literal(query), k)).fetchall()
        return [(int(pid), 1.0 - float(distance)) for pid, distance in rows]

    def lexical_search(self, query: str, k: int) -> list[tuple[int, float]]:
        text = tsquery_text(query)
        if text is None or k <= 0:
            return []
        rows = self._query(
            "SELECT p.id, ts_rank(%s, p.tsv, q) AS score"
            " FROM passages p, to_tsquery('english', %s) q"
            " WHERE p.tsv @@ q ORDER BY score DESC, p.id LIMIT %s",
            (_RANK_WEIGHTS, text, k),
        )
        return [(int(pid), float(score)) for pid, score in rows]

    def get_passages(self, ids: Sequence[int]) -> dict[int, Passage]:
        if not ids:
            return {}
        rows = self._query(
            f"SELECT {PASSAGE_COLUMNS} FROM passages p JOIN documents d ON d.id = p.doc_id"
            " WHERE p.id = ANY(%s::bigint[])",
            ([int(i) for i in ids],),
        )
        return {passage.id: passage for passage in map(passage_from_row, rows)}

    def ping(self) -> None:
        try:
            self._query("SELECT 1")
        except psycopg.Error as exc:
            raise StoreError(f"{self._where} unavailable: {exc}") from None

    def close(self) -> None:
        self._pool.close()


def _iso(value: datetime) -> str:
    # The SQLite store's shape: UTC, whole seconds, "+00:00".
    return value.astimezone(UTC).isoformat(timespec="seconds")
