"""The records contract (verification history, jobs, API keys), checked against every
backend: both run the same SQL text, so both must give the same answers."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.store.test_contract import INTEGRITY_ERRORS
from truthgraph.store.protocol import Store
from truthgraph.store.records import JobInfo, Records


def result(claim: str, verdict: str = "SUPPORTED", confidence: float = 0.75) -> dict[str, Any]:
    return {"claim": claim, "verdict": verdict, "confidence": confidence, "evidence": []}


def acquired(records: Records, worker: str, lease_seconds: float = 30.0) -> JobInfo:
    job = records.acquire_job(worker, lease_seconds=lease_seconds)
    assert job is not None
    return job


def stored(records: Records, job_id: str) -> list[tuple[int | None, str, str]]:
    return [(r.index, r.claim, r.verdict) for r in records.job_results(job_id, limit=100, offset=0)]


# -- verification history --------------------------------------------------------------
def test_history_is_listed_newest_first_and_read_back_exactly(any_store: Store) -> None:
    records = any_store.records
    assert records.count_verifications() == 0
    assert records.list_verifications(limit=10, offset=0) == []
    saved = [records.save_verification(result(f"claim {n}", confidence=n / 4)) for n in range(3)]
    assert [s.created_at for s in saved] == sorted({s.created_at for s in saved})
    assert [(s.claim, s.verdict, s.confidence, s.job_id, s.index) for s in saved] == [
        ("claim 0", "SUPPORTED", 0.0, None, None),
        ("claim 1", "SUPPORTED", 0.25, None, None),
        ("claim 2", "SUPPORTED", 0.5, None, None),
    ]
    assert records.list_verifications(limit=10, offset=0) == saved[::-1]
    assert records.list_verifications(limit=1, offset=1) == [saved[1]]
    assert records.list_verifications(limit=10, offset=3) == []
    assert records.count_verifications() == 3
    assert records.get_verification(saved[2].id) == saved[2]
    assert records.get_verification(saved[0].id).result == result(  # type: ignore[union-attr]
        "claim 0", confidence=0.0
    )
    assert records.get_verification("nope") is None


def test_history_filters_by_verdict_and_text(any_store: Store) -> None:
    records = any_store.records
    a = records.save_verification(result("The Tower is in PARIS", "SUPPORTED"))
    b = records.save_verification(result("The tower is in Rome", "REFUTED"))
    c = records.save_verification(result("Wages rose 5% in 2020", "NOT_ENOUGH_INFO"))
    assert records.list_verifications(limit=10, offset=0, verdict="REFUTED") == [b]
    assert records.list_verifications(limit=10, offset=0, text="tower") == [b, a]
    assert records.list_verifications(limit=10, offset=0, text="paris", verdict="REFUTED") == []
    assert records.list_verifications(limit=10, offset=0, text="5%") == [c]
    assert records.list_verifications(limit=10, offset=0, text="%") == [c]
    assert records.count_verifications(text="_") == 0
    assert records.count_verifications(verdict="SUPPORTED", text="Paris") == 1
    assert records.count_verifications(text="") == 3


def test_job_results_stay_out_of_the_history(any_store: Store) -> None:
    records = any_store.records
    kept = records.save_verification(result("by hand"))
    job = records.create_job(["a", "b"], {})
    acquired(records, "w")
    assert records.record_results(
        job.id, "w", [(0, result("a")), (1, result("b"))], lease_seconds=30
    )
    assert records.list_verifications(limit=10, offset=0) == [kept]
    assert records.count_verifications() == 1
    # Still readable one by one, with the job and claim position they belong to.
    first = records.job_results(job.id, limit=1, offset=0)[0]
    fetched = records.get_verification(first.id)
    assert fetched is not None and (fetched.job_id, fetched.index, fetched.claim) == (
        job.id,
        0,
        "a",
    )


# -- jobs ------------------------------------------------------------------------------
def test_jobs_are_created_read_back_and_listed_newest_first(any_store: Store) -> None:
    records = any_store.records
    jobs = [records.create_job([f"c{n}"] * (n + 1), {"top_k": n}) for n in range(3)]
    first = jobs[0]
    assert (first.status, first.total, first.completed, first.options, first.error) == (
        "queued",
        1,
        0,
        {"top_k": 0},
        None,
    )
    assert first.created_at == first.updated_at
    assert [records.get_job(j.id) for j in jobs] == jobs
    assert records.get_job("nope") is None
    assert records.list_jobs(limit=10, offset=0) == jobs[::-1]
    assert records.list_jobs(limit=2, offset=1) == [jobs[1], jobs[0]]
    assert records.list_jobs(limit=10, offset=3) == []
    assert records.pending_claims(jobs[2].id, limit=2) == [(0, "c2"), (1, "c2")]


def test_workers_take_the_oldest_queued_job_and_never_the_same_one(any_store: Store) -> None:
    records = any_store.records
    jobs = [records.create_job([f"claim {n}"], {}) for n in range(3)]
    taken = [acquired(records, f"w{n}") for n in range(3)]
    assert [t.id for t in taken] == [j.id for j in jobs]
    assert [(t.status, t.total, t.completed) for t in taken] == [("running", 1, 0)] * 3
    assert records.get_job(jobs[0].id).status == "running"  # type: ignore[union-attr]
    # Every job is leased: nothing is left to take, by any worker.
    assert records.acquire_job("w0", lease_seconds=30) is None
    assert records.acquire_job("w9", lease_seconds=30) is None
    # A queued job created later is taken next.
    later = records.create_job(["late"], {})
    assert acquired(records, "w9").id == later.id


def test_an_expired_lease_is_taken_over_and_the_old_worker_is_shut_out(
    any_store: Store,
) -> None:
    records = any_store.records
    job = records.create_job(["a", "b", "c"], {})
    assert acquired(records, "dead", lease_seconds=0.05).id == job.id
    assert records.record_results(job.id, "dead", [(0, result("a"))], lease_seconds=0.05)
    time.sleep(0.15)  # the worker stops renewing its lease
    assert acquired(records, "alive").id == job.id
    assert records.acquire_job("third", lease_seconds=30) is None  # the new lease is live
    # The old worker may no longer store, finish or hand back the job.
    assert not records.record_results(
        job.id, "dead", [(1, result("b", "REFUTED"))], lease_seconds=30
    )
    records.finish_job(job.id, "dead", status="failed", error="late")
    records.release_job(job.id, "dead")
    after = records.get_job(job.id)
    assert after is not None and (after.status, after.completed, after.error) == (
        "running",
        1,
        None,
    )
    assert stored(records, job.id) == [(0, "a", "SUPPORTED")]
    # Only the claims without a stored result are left for the new owner.
    assert records.pending_claims(job.id, limit=10) == [(1, "b"), (2, "c")]


def test_results_are_refused_from_a_non_owner_and_for_a_cancelled_job(
    any_store: Store,
) -> None:
    records = any_store.records
    job = records.create_job(["a", "b"], {})
    assert not records.record_results(job.id, "w", [(0, result("a"))], lease_seconds=30)
    acquired(records, "w")
    assert not records.record_results(job.id, "other", [(0, result("a"))], lease_seconds=30)
    assert not records.record_results("nope", "w", [(0, result("a"))], lease_seconds=30)
    assert stored(records, job.id) == []
    assert records.cancel_job(job.id)
    assert not records.record_results(job.id, "w", [(0, result("a"))], lease_seconds=30)
    after = records.get_job(job.id)
    assert after is not None and (after.status, after.completed) == ("cancelled", 0)
    assert stored(records, job.id) == []
    assert records.acquire_job("w", lease_seconds=30) is None  # cancelled jobs stay put


def test_results_count_page_in_claim_order_and_keep_the_first_of_a_duplicate(
    any_store: Store,
) -> None:
    records = any_store.records
    claims = [f"claim {n}" for n in range(5)]
    job = records.create_job(claims, {})
    acquired(records, "w")
    assert records.record_results(
        job.id, "w", [(3, result(claims[3])), (0, result(claims[0]))], lease_seconds=30
    )
    assert records.get_job(job.id).completed == 2  # type: ignore[union-attr]
    # A chunk done twice (say, after a takeover) stores only the new claims.
    assert records.record_results(
        job.id,
        "w",
        [
            (0, result(claims[0], "REFUTED", 0.9)),
            (4, result(claims[4])),
            (1, result(claims[1], "NOT_ENOUGH_INFO")),
        ],
        lease_seconds=30,
    )
    assert records.get_job(job.id).completed == 4  # type: ignore[union-attr]
    assert stored(records, job.id) == [
        (0, "claim 0", "SUPPORTED"),
        (1, "claim 1", "NOT_ENOUGH_INFO"),
        (3, "claim 3", "SUPPORTED"),
        (4, "claim 4", "SUPPORTED"),
    ]
    first = records.job_results(job.id, limit=100, offset=0)[0]
    assert (first.confidence, first.result) == (0.75, result(claims[0]))
    assert [r.index for r in records.job_results(job.id, limit=2, offset=1)] == [1, 3]
    assert records.job_results(job.id, limit=2, offset=4) == []
    assert records.job_results("nope", limit=10, offset=0) == []
    assert records.pending_claims(job.id, limit=10) == [(2, "claim 2")]


def test_a_released_job_goes_back_to_the_queue_with_its_results(any_store: Store) -> None:
    records = any_store.records
    job = records.create_job(["a", "b", "c"], {"top_k": 2})
    acquired(records, "w")
    assert records.record_results(job.id, "w", [(0, result("a"))], lease_seconds=30)
    records.release_job(job.id, "other")  # not the owner: nothing happens
    assert records.get_job(job.id).status == "running"  # type: ignore[union-attr]
    records.release_job(job.id, "w")
    after = records.get_job(job.id)
    assert after is not None and (after.status, after.completed, after.options) == (
        "queued",
        1,
        {"top_k": 2},
    )
    assert stored(records, job.id) == [(0, "a", "SUPPORTED")]
    # Any worker takes it again at once and only the rest is pending.
    again = acquired(records, "next")
    assert (again.id, again.status, again.completed) == (job.id, "running", 1)
    assert records.pending_claims(job.id, limit=10) == [(1, "b"), (2, "c")]
    # The worker that released it holds no lease any more.
    assert not records.record_results(job.id, "w", [(1, result("b"))], lease_seconds=30)


def test_only_the_owner_finishes_a_job(any_store: Store) -> None:
    records = any_store.records
    ok, bad = records.create_job(["a"], {}), records.create_job(["b"], {})
    acquired(records, "w1")
    acquired(records, "w2")
    with pytest.raises(ValueError, match="not a final job status: running"):
        records.finish_job(ok.id, "w1", status="running")
    records.finish_job(ok.id, "w2", status="succeeded")  # w2 owns the other job
    assert records.get_job(ok.id).status == "running"  # type: ignore[union-attr]
    records.finish_job(ok.id, "w1", status="succeeded")
    records.finish_job(bad.id, "w2", status="failed", error="models unreachable")
    done, failed = records.get_job(ok.id), records.get_job(bad.id)
    assert done is not None and (done.status, done.error) == ("succeeded", None)
    assert failed is not None and (failed.status, failed.error) == ("failed", "models unreachable")
    # Finished is final: the owner cannot finish it again, nor store more.
    records.finish_job(ok.id, "w1", status="failed", error="again")
    assert records.get_job(ok.id) == done
    assert not records.record_results(ok.id, "w1", [(0, result("a"))], lease_seconds=30)
    assert records.acquire_job("w3", lease_seconds=30) is None


def test_cancel_is_true_only_for_queued_or_running_jobs(any_store: Store) -> None:
    records = any_store.records
    queued, running, finished = (records.create_job([c], {}) for c in "abc")
    for _ in range(3):
        acquired(records, "w")
    # Then one finishes and one goes back to the queue: one job in each state.
    records.finish_job(finished.id, "w", status="succeeded")
    records.release_job(queued.id, "w")
    assert records.get_job(queued.id).status == "queued"  # type: ignore[union-attr]
    assert records.cancel_job(queued.id) is True
    assert records.cancel_job(running.id) is True
    assert records.cancel_job(queued.id) is False
    assert records.cancel_job(finished.id) is False
    assert records.cancel_job("nope") is False
    assert [(j.id, j.status) for j in records.list_jobs(limit=10, offset=0)] == [
        (finished.id, "succeeded"),
        (running.id, "cancelled"),
        (queued.id, "cancelled"),
    ]
    # A cancelled running job's worker is shut out.
    assert not records.record_results(running.id, "w", [(0, result("b"))], lease_seconds=30)
    records.finish_job(running.id, "w", status="succeeded")
    assert records.get_job(running.id).status == "cancelled"  # type: ignore[union-attr]


# -- API keys --------------------------------------------------------------------------
def test_api_keys_are_found_by_hash_listed_and_revoked_once(any_store: Store) -> None:
    records = any_store.records
    assert records.list_api_keys() == [] and records.find_api_key("h1") is None
    reader = records.add_api_key(name="reader", key_hash="h1", scopes=["read"])
    writer = records.add_api_key(name="writer", key_hash="h2", scopes=["read", "write"])
    assert len(reader.id) == 12 and reader.id != writer.id
    assert (reader.name, reader.scopes, reader.revoked) == ("reader", ("read",), False)
    assert records.find_api_key("h1") == reader
    assert records.find_api_key("h2") == writer
    assert records.find_api_key("h3") is None
    assert records.get_api_key(writer.id) == writer and records.get_api_key("nope") is None
    assert records.list_api_keys() == [reader, writer]
    with pytest.raises(INTEGRITY_ERRORS):
        records.add_api_key(name="copy", key_hash="h1", scopes=["read"])
    assert records.revoke_api_key(reader.id) is True
    assert records.revoke_api_key(reader.id) is False
    assert records.revoke_api_key("nope") is False
    revoked = records.find_api_key("h1")
    assert revoked is not None and (revoked.id, revoked.scopes, revoked.revoked) == (
        reader.id,
        ("read",),
        True,
    )
    assert records.get_api_key(reader.id) == revoked
    assert [(k.name, k.revoked) for k in records.list_api_keys()] == [
        ("reader", True),
        ("writer", False),
    ]
