"""PostgreSQL only: migrations, the HNSW cosine index, `truthgraph db upgrade`, and the
store's refusal to run on a missing or outdated schema."""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("psycopg")
pytest.importorskip("alembic")

import psycopg  # noqa: E402
from alembic import command  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from psycopg import sql  # noqa: E402

from tests.postgres_server import PostgresTestServer  # noqa: E402
from tests.store.test_contract import unit, write  # noqa: E402
from truthgraph.cli import main  # noqa: E402
from truthgraph.config import Settings  # noqa: E402
from truthgraph.runtime import open_store  # noqa: E402
from truthgraph.store.pg_migrate import (  # noqa: E402
    SCHEMA_HEAD,
    alembic_config,
    upgrade_database,
    wait_for_database,
    wait_for_schema,
)
from truthgraph.store.postgres import (  # noqa: E402
    HNSW_INDEX,
    PostgresStore,
    vector_literal,
    vector_search_sql,
)
from truthgraph.store.protocol import StoreError  # noqa: E402


def fetch(url: str, query: str, *params: object) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query.encode(), params).fetchall()


def tables(url: str) -> set[str]:
    rows = fetch(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {str(r[0]) for r in rows}


def test_schema_head_is_the_newest_migration() -> None:
    script = ScriptDirectory.from_config(alembic_config("postgresql://unused"))
    assert script.get_current_head() == SCHEMA_HEAD
    # One line of history: revisions numbered in order, each revising the one before.
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert revisions == [f"{n:04d}" for n in range(1, len(revisions) + 1)]


@pytest.mark.postgres
def test_migrations_run_from_scratch_to_head_and_back(blank_postgres_url: str) -> None:
    url = blank_postgres_url
    assert upgrade_database(url) == (None, SCHEMA_HEAD)
    assert tables(url) == {
        "alembic_version",
        "store_meta",
        "documents",
        "passages",
        "embeddings",
        "jobs",
        "job_claims",
        "verifications",
        "api_keys",
    }
    assert fetch(url, "SELECT extname FROM pg_extension WHERE extname = 'vector'") == [("vector",)]
    indexes = dict(fetch(url, "SELECT indexname, indexdef FROM pg_indexes"))
    assert "USING gin (tsv)" in str(indexes["passages_tsv"])
    generated = fetch(
        url,
        "SELECT generation_expression FROM information_schema.columns"
        " WHERE table_name = 'passages' AND column_name = 'tsv'",
    )
    assert "'english'" in str(generated[0][0]) and "title" in str(generated[0][0])
    assert upgrade_database(url) == (SCHEMA_HEAD, SCHEMA_HEAD)  # a no-op the second time
    command.downgrade(alembic_config(url), "base")
    assert tables(url) == {"alembic_version"}
    assert upgrade_database(url) == (None, SCHEMA_HEAD)


@pytest.mark.postgres
def test_the_store_refuses_a_missing_schema_and_creates_nothing(blank_postgres_url: str) -> None:
    with pytest.raises(StoreError, match=r"has no TruthGraph schema; run `truthgraph db upgrade`"):
        PostgresStore(blank_postgres_url)
    assert tables(blank_postgres_url) == set()
    settings = Settings(database_url=blank_postgres_url)
    with pytest.raises(StoreError, match="truthgraph db upgrade"):
        open_store(settings)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("revision", "message"),
    [
        (
            "0000",
            rf"has schema revision 0000, this TruthGraph needs {SCHEMA_HEAD}; run `truthgraph",
        ),
        (
            "9999",
            rf"has schema revision 9999, newer than this TruthGraph supports \({SCHEMA_HEAD}\)",
        ),
    ],
)
def test_the_store_refuses_an_outdated_or_newer_schema(
    postgres_url: str, revision: str, message: str
) -> None:
    with psycopg.connect(postgres_url) as conn:
        conn.execute("UPDATE alembic_version SET version_num = %s", (revision,))
    with pytest.raises(StoreError, match=message):
        PostgresStore(postgres_url)


@pytest.mark.postgres
def test_a_missing_database_is_reported_at_once(postgres_server: PostgresTestServer) -> None:
    with pytest.raises(StoreError, match=r"cannot connect to PostgreSQL .*/no_such_db: .*"):
        PostgresStore(postgres_server.url("no_such_db"))


@pytest.mark.postgres
def test_open_store_gives_a_postgres_store(postgres_url: str) -> None:
    store = open_store(Settings(database_url=postgres_url))
    try:
        assert isinstance(store, PostgresStore)
        store.ping()
    finally:
        store.close()


@pytest.fixture()
def pg_store(postgres_url: str) -> Iterator[PostgresStore]:
    store = PostgresStore(postgres_url, pool_size=3)
    yield store
    store.close()


@pytest.mark.postgres
def test_the_hnsw_cosine_index_is_built_and_used(pg_store: PostgresStore) -> None:
    dim, rng = 16, random.Random(5)
    vectors = [unit([rng.gauss(0, 1) for _ in range(dim)]) for _ in range(1000)]
    batch = [
        write(
            f"doc{d}",
            [f"Passage {d}-{i} here." for i in range(100)],
            vectors[d * 100 : (d + 1) * 100],
        )
        for d in range(10)
    ]
    pg_store.write_documents(batch)
    # Recording the model builds the index over the rows already there (a bulk build,
    # much faster than growing the graph one insert at a time).
    pg_store.ensure_embedding_model("test-embedder", dim)
    query = "SELECT indexdef FROM pg_indexes WHERE indexname = %s"
    [indexdef] = fetch(pg_store.url, query, HNSW_INDEX)
    assert "USING hnsw (((vector)::vector(16)) vector_cosine_ops)" in str(indexdef[0])

    query_vector = unit([rng.gauss(0, 1) for _ in range(dim)])
    with psycopg.connect(pg_store.url, autocommit=True) as conn:
        conn.execute("ANALYZE embeddings")
        explain = sql.SQL("EXPLAIN ") + vector_search_sql(dim)
        rows = conn.execute(explain, (vector_literal(query_vector), 10)).fetchall()
    # From about a thousand rows on the planner walks the index; below that an exact
    # scan and sort is cheaper, and it picks that.
    plan = "\n".join(str(r[0]) for r in rows)
    assert f"Index Scan using {HNSW_INDEX}" in plan, plan

    # Approximate, but close: most of the exact top 10, and scores are similarities.
    ids = {p.text: p.id for w in batch for p in pg_store.document_passages(w.document.id)}
    exact = sorted(
        (
            (ids[d.text], sum(a * b for a, b in zip(query_vector, v, strict=True)))
            for w in batch
            for d, v in zip(w.passages, w.embeddings, strict=True)
        ),
        key=lambda hit: -hit[1],
    )
    hits = pg_store.vector_search(query_vector, 10)
    assert len({pid for pid, _ in hits} & {pid for pid, _ in exact[:10]}) >= 8
    scores = dict(exact)
    assert all(math.isclose(score, scores[pid], abs_tol=1e-5) for pid, score in hits)
    # More than hnsw.ef_search's default of 40 still comes back in full.
    assert len(pg_store.vector_search(query_vector, 200)) == 200


@pytest.mark.postgres
def test_vectors_of_another_dimension_are_refused(pg_store: PostgresStore) -> None:
    pg_store.ensure_embedding_model("test-embedder", 4)
    with pytest.raises(psycopg.errors.DataException):
        pg_store.write_documents([write("a", ["Three dimensions here."], [[1.0, 0.0, 0.0]])])
    assert pg_store.counts()["passages"] == 0
    with pytest.raises(StoreError, match="query vector has dimension 3; this database holds 4"):
        pg_store.vector_search([1.0, 0.0, 0.0], 5)


@pytest.mark.postgres
def test_the_pool_serves_concurrent_threads(pg_store: PostgresStore) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            pg_store.write_documents([write(f"t{n}", [f"Thread {n} wrote this."])])
            assert pg_store.lexical_search(f"thread {n}", 50)
            assert pg_store.vector_search([1.0, 0.0, 0.0], 5)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and pg_store.counts()["documents"] == 12


@pytest.mark.postgres
def test_records_sql_runs_with_question_mark_placeholders(pg_store: PostgresStore) -> None:
    with pg_store.transaction() as cur:
        assert cur.execute("SELECT ? + 1, '50%'", (41,)).fetchone() == (42, "50%")


@pytest.mark.postgres
def test_db_upgrade_command(blank_postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUTHGRAPH_DATABASE_URL", blank_postgres_url)
    runner = CliRunner()
    first = runner.invoke(main, ["db", "upgrade", "--wait", "5"])
    assert first.exit_code == 0, first.output
    assert f"schema upgraded from nothing to {SCHEMA_HEAD}" in first.output
    again = runner.invoke(main, ["db", "upgrade"])
    assert again.exit_code == 0 and f"already at revision {SCHEMA_HEAD}" in again.output
    PostgresStore(blank_postgres_url).close()  # the schema is now current


@pytest.mark.postgres
def test_db_wait_returns_once_the_migration_has_run(
    blank_postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The API's init container on Kubernetes: it waits for the migration Job.
    monkeypatch.setenv("TRUTHGRAPH_DATABASE_URL", blank_postgres_url)
    runner = CliRunner()
    before = runner.invoke(main, ["db", "wait", "--timeout", "0.5"])
    assert before.exit_code == 1
    assert f"not at schema revision {SCHEMA_HEAD} within 0.5 s" in before.output
    assert "has no TruthGraph schema" in before.output
    assert fetch(blank_postgres_url, "SELECT to_regclass('alembic_version')") == [(None,)]

    upgrade_database(blank_postgres_url)
    after = runner.invoke(main, ["db", "wait", "--timeout", "5"])
    assert after.exit_code == 0, after.output
    assert f"schema at revision {SCHEMA_HEAD}" in after.output


@pytest.mark.postgres
def test_db_wait_fails_at_once_on_a_newer_schema(postgres_url: str) -> None:
    with psycopg.connect(postgres_url) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    started = time.monotonic()
    with pytest.raises(StoreError, match="newer than this TruthGraph"):
        wait_for_schema(postgres_url, timeout=30)
    assert time.monotonic() - started < 10


def test_db_gives_up_on_an_unreachable_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"postgresql://postgres@/truthgraph?host={tmp_path}&port=1"
    monkeypatch.setenv("TRUTHGRAPH_DATABASE_URL", url)
    result = CliRunner().invoke(main, ["db", "upgrade", "--wait", "0.6"])
    assert result.exit_code == 1
    assert "did not accept connections within 0.6 s" in result.output
    assert "/truthgraph" in result.output
    waited = CliRunner().invoke(main, ["db", "wait", "--timeout", "0.6"])
    assert waited.exit_code == 1
    assert "not at schema revision" in waited.output and "within 0.6 s" in waited.output


def test_waiting_backs_off_until_the_deadline(tmp_path: Path) -> None:
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        time.sleep(seconds)

    with pytest.raises(StoreError, match="did not accept connections"):
        wait_for_database(f"postgresql://x@/db?host={tmp_path}", timeout=1.0, sleep=sleep)
    assert sleeps[:2] == [0.25, 0.5] and sum(sleeps) <= 1.0


def test_db_upgrade_on_sqlite_migrates_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUTHGRAPH_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0 and "schema version" in result.output
    assert (tmp_path / "x.db").exists()
