"""PostgreSQL only: several API replicas (one PostgresStore each, several threads each)
sharing one job table. FOR UPDATE SKIP LOCKED must hand every job to exactly one
worker, and the replicas' job runners together must store every result exactly once."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator

import pytest

pytest.importorskip("psycopg")

from truthgraph.domain import SourceDocument, VerificationResult  # noqa: E402
from truthgraph.inference.onnx import LocalInference  # noqa: E402
from truthgraph.ingest.service import Ingestor  # noqa: E402
from truthgraph.jobs import JobRunner  # noqa: E402
from truthgraph.pipeline import Verifier  # noqa: E402
from truthgraph.store.postgres import PostgresStore  # noqa: E402
from truthgraph.store.records import JobInfo  # noqa: E402

pytestmark = pytest.mark.postgres

REPLICAS, THREADS = 3, 4


@pytest.fixture()
def replicas(postgres_url: str) -> Iterator[list[PostgresStore]]:
    stores = [PostgresStore(postgres_url, pool_size=THREADS) for _ in range(REPLICAS)]
    yield stores
    for store in stores:
        store.close()


def test_every_queued_job_is_acquired_exactly_once(replicas: list[PostgresStore]) -> None:
    jobs = {replicas[0].records.create_job([f"claim {n}"], {}).id for n in range(30)}
    taken: list[tuple[str, str]] = []  # (job id, worker)
    guard, errors = threading.Lock(), list[BaseException]()
    start = threading.Barrier(REPLICAS * THREADS)
    deadline = time.monotonic() + 10

    def worker(store: PostgresStore, name: str) -> None:
        try:
            start.wait()  # all threads race for the first jobs together
            # SKIP LOCKED may answer None while the last jobs are locked by other
            # workers' open transactions, so loop until every job is taken.
            while len(taken) < len(jobs) and time.monotonic() < deadline:
                job = store.records.acquire_job(name, lease_seconds=60)
                if job is not None:
                    with guard:
                        taken.append((job.id, name))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=worker, args=(store, f"r{r}-t{t}"))
        for r, store in enumerate(replicas)
        for t in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    counts = Counter(job_id for job_id, _ in taken)
    assert set(counts) == jobs and set(counts.values()) == {1}
    # Each job is leased to the worker that took it.
    owners = dict(taken)
    with replicas[0].transaction() as cur:
        rows = cur.execute("SELECT id, status, lease_owner FROM jobs").fetchall()
    assert {(r[0], r[1], r[2]) for r in rows} == {(j, "running", owners[j]) for j in jobs}


class CountingRunner(JobRunner):
    """A replica's runner that notes every job it runs."""

    runs: list[str]

    def run_job(self, job: JobInfo, worker: str) -> None:
        self.runs.append(job.id)
        super().run_job(job, worker)


class CountingVerifier(Verifier):
    """The real verifier, noting every claim it verifies."""

    verified: list[str]

    def verify_many(
        self, claims: Iterable[str], *, top_k: int | None = None
    ) -> Iterator[VerificationResult]:
        batch = list(claims)
        self.verified.extend(batch)
        return super().verify_many(batch, top_k=top_k)


def test_job_runners_on_several_replicas_store_every_result_once(
    replicas: list[PostgresStore],
    tiny_inference: LocalInference,
) -> None:
    Ingestor(replicas[0], tiny_inference).ingest_items(
        [
            SourceDocument(id="tower", text="The tower is in Paris, as confirmed in 1889."),
            SourceDocument(id="whale", text="The blue whale is never a small animal."),
        ]
    )
    claims = {
        f"job{j}": [
            f"the tower is in paris {j}.{i}"
            if i % 2
            else f"the blue whale is a small animal {j}.{i}"
            for i in range(10)
        ]
        for j in range(6)
    }
    records = replicas[0].records
    jobs = {records.create_job(texts, {"top_k": 1}).id: texts for texts in claims.values()}
    runs: list[str] = []
    verified: list[str] = []
    runners = []
    for store in replicas:
        verifier = CountingVerifier(store, tiny_inference, top_k=1)
        verifier.verified = verified
        runner = CountingRunner(
            store.records, verifier, workers=2, lease_seconds=60, poll_seconds=0.02, chunk=3
        )
        runner.runs = runs
        runners.append(runner)
    for runner in runners:
        runner.start()
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            statuses = {records.get_job(j).status for j in jobs}  # type: ignore[union-attr]
            if statuses == {"succeeded"}:
                break
            time.sleep(0.05)
    finally:
        for runner in runners:
            runner.stop()
    for job_id, texts in jobs.items():
        job = records.get_job(job_id)
        assert job is not None and (job.status, job.completed, job.error) == ("succeeded", 10, None)
        results = records.job_results(job_id, limit=100, offset=0)
        assert [(r.index, r.claim) for r in results] == list(enumerate(texts))
        assert [r.verdict for r in results] == ["REFUTED", "SUPPORTED"] * 5
    # No job was run twice and no claim verified twice, whichever replica ran it.
    assert sorted(runs) == sorted(jobs)
    assert sorted(verified) == sorted(c for texts in jobs.values() for c in texts)
    with replicas[1].transaction() as cur:
        row = cur.execute("SELECT COUNT(*) FROM verifications WHERE job_id IS NOT NULL")
        assert row.fetchone() == (60,)
