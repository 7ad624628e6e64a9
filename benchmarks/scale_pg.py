"""The PostgreSQL + pgvector half of benchmarks/scale.py: load a corpus into a fresh
database with TruthGraph's schema, build the store's HNSW index, and time queries through
the store's own vector search."""

from __future__ import annotations

import struct
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import psycopg
from psycopg import sql

from truthgraph.store.pg_migrate import upgrade_database
from truthgraph.store.postgres import (
    HNSW_INDEX,
    PostgresStore,
    vector_literal,
    vector_search_sql,
)

FloatArray = npt.NDArray[np.float32]
_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)


def vector_copy_stream(ids: npt.NDArray[np.int64], vectors: FloatArray) -> bytes:
    """COPY ... (FORMAT binary) rows of (bigint, vector): pgvector's binary form is the
    dimension and a reserved int16, then big-endian float4s."""
    n, dim = vectors.shape
    row = np.dtype(
        [
            ("fields", ">i2"),
            ("id_len", ">i4"),
            ("id", ">i8"),
            ("vec_len", ">i4"),
            ("dim", ">i2"),
            ("unused", ">i2"),
            ("values", ">f4", (dim,)),
        ]
    )
    rows = np.zeros(n, dtype=row)
    rows["fields"] = 2
    rows["id_len"] = 8
    rows["id"] = ids
    rows["vec_len"] = 4 + 4 * dim
    rows["dim"] = dim
    rows["values"] = vectors
    return _COPY_SIGNATURE + rows.tobytes() + struct.pack(">h", -1)


def load(
    url: str, texts: Sequence[str], vectors: FloatArray, *, per_document: int = 100
) -> dict[str, float]:
    """Schema (Alembic, as `truthgraph db upgrade`), then documents, passages and
    embeddings by COPY. The full-text GIN index is dropped first: this benchmark does not
    measure lexical search, and the load would spend most of its time maintaining it."""
    from scale_corpus import documents

    timings: dict[str, float] = {}
    started = time.perf_counter()
    upgrade_database(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP INDEX IF EXISTS passages_tsv")
        with conn.cursor() as cur:
            with cur.copy("COPY documents (id, title, content_hash, text) FROM STDIN") as copy:
                docs = list(documents(list(texts), per_document))
                for doc_id, text, _ in docs:
                    copy.write_row((doc_id, "Synthetic", f"h-{doc_id}", text))
            columns = "doc_id, title, text, start_char, end_char, content_hash"
            with cur.copy(f"COPY passages ({columns}) FROM STDIN") as copy:
                number = 0
                for doc_id, _, starts in docs:
                    for start in starts:
                        text = texts[number]
                        copy.write_row(
                            (doc_id, "Synthetic", text, start, start + len(text), f"p-{number}")
                        )
                        number += 1
        row = conn.execute("SELECT min(id), max(id), count(*) FROM passages").fetchone()
        assert row == (1, len(texts), len(texts)), f"passage ids not 1..n: {row}"
        timings["load_text_s"] = time.perf_counter() - started
        started = time.perf_counter()
        ids = np.arange(1, len(texts) + 1, dtype=np.int64)
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY embeddings (passage_id, vector) FROM STDIN WITH (FORMAT binary)"
            ) as copy,
        ):
            stream = vector_copy_stream(ids, vectors)
            chunk = 64 * 1024 * 1024
            for offset in range(0, len(stream), chunk):
                copy.write(stream[offset : offset + chunk])
        conn.execute("VACUUM ANALYZE embeddings")
        timings["load_vectors_s"] = time.perf_counter() - started
    return timings


def build_index(
    url: str,
    dimension: int,
    *,
    m: int,
    ef_construction: int,
    maintenance_work_mem: str,
    workers: int,
    timeout_s: int,
) -> dict[str, Any]:
    """The store's HNSW index (same name and expression as PostgresStore creates), with
    the given build parameters; returns its build time and the statement."""
    statement = sql.SQL(
        "CREATE INDEX {name} ON embeddings USING hnsw ((vector::vector({dim})) vector_cosine_ops)"
        " WITH (m = {m}, ef_construction = {ef})"
    ).format(
        name=sql.Identifier(HNSW_INDEX),
        dim=sql.Literal(dimension),
        m=sql.Literal(m),
        ef=sql.Literal(ef_construction),
    )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("SET maintenance_work_mem = {}").format(sql.Literal(maintenance_work_mem))
        )
        conn.execute(
            sql.SQL("SET max_parallel_maintenance_workers = {}").format(sql.Literal(workers))
        )
        conn.execute(sql.SQL("SET statement_timeout = {}").format(sql.Literal(timeout_s * 1000)))
        started = time.perf_counter()
        try:
            conn.execute(statement)
        except psycopg.errors.QueryCanceled:
            return {
                "built": False,
                "timed_out_after_s": timeout_s,
                "statement": statement.as_string(conn),
            }
        seconds = time.perf_counter() - started
        # The store records its model after the index exists, so it finds it and never
        # builds one of its own.
        conn.execute(
            "INSERT INTO store_meta (key, value) VALUES ('embed_model', 'benchmark'),"
            " ('embed_dimension', %s)",
            (str(dimension),),
        )
        return {"built": True, "seconds": round(seconds, 1), "statement": statement.as_string(conn)}


def sizes(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT pg_table_size('embeddings'), pg_relation_size(%s),"
            " pg_total_relation_size('passages'), pg_database_size(current_database())",
            (HNSW_INDEX,),
        ).fetchone()
    assert row is not None
    keys = ("embeddings_table_bytes", "hnsw_index_bytes", "passages_bytes", "database_bytes")
    return dict(zip(keys, (int(v) for v in row), strict=True))


def uses_index(url: str, query: FloatArray, dimension: int, k: int) -> bool:
    """Whether the planner walks the HNSW index for the store's query."""
    with psycopg.connect(url) as conn:
        plan = conn.execute(
            sql.SQL("EXPLAIN ") + vector_search_sql(dimension),
            (vector_literal(query.tolist()), k),
        ).fetchall()
    return any(HNSW_INDEX in str(line[0]) for line in plan)


def timed_store_queries(
    url: str, queries: FloatArray, k: int, warmup: int
) -> tuple[list[float], list[list[int]]]:
    """Latency (ms) and ids of PostgresStore.vector_search, the code path the API uses
    (ef_search = max(k, 40))."""
    store = PostgresStore(url, pool_size=1)
    try:
        for q in queries[:warmup]:
            store.vector_search(q.tolist(), k)
        latencies, results = [], []
        for q in queries:
            values = q.tolist()
            started = time.perf_counter()
            found = store.vector_search(values, k)
            latencies.append((time.perf_counter() - started) * 1000)
            results.append([pid for pid, _ in found])
    finally:
        store.close()
    return latencies, results


def timed_sql_queries(
    url: str,
    queries: FloatArray,
    k: int,
    dimension: int,
    *,
    ef_search: int | None,
    exact: bool = False,
    warmup: int = 0,
) -> tuple[list[float], list[list[int]]]:
    """The store's vector search SQL with another hnsw.ef_search, or with index scans
    off (exact: PostgreSQL compares the query with every stored vector)."""
    latencies, results = [], []
    query_sql = vector_search_sql(dimension)
    with psycopg.connect(url, autocommit=True) as conn:
        for number, q in enumerate(np.concatenate([queries[:warmup], queries])):
            literal = vector_literal(q.tolist())
            started = time.perf_counter()
            with conn.transaction():
                if exact:
                    conn.execute("SET LOCAL enable_indexscan = off")
                else:
                    conn.execute("SELECT set_config('hnsw.ef_search', %s, true)", (str(ef_search),))
                rows = conn.execute(query_sql, (literal, k)).fetchall()
            if number >= warmup:
                latencies.append((time.perf_counter() - started) * 1000)
                results.append([int(r[0]) for r in rows])
    return latencies, results


def server_settings(url: str) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name IN"
            " ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'server_version')"
        ).fetchall()
        version = conn.execute(
            "SELECT extversion FROM pg_extension WHERE extname = 'vector'"
        ).fetchone()
    found = {str(a): str(b) for a, b in rows}
    found["pgvector"] = str(version[0]) if version else "missing"
    return found
