from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import CORPUS, AppFactory, app_state
from tests.api.test_documents import problem
from truthgraph.jobs import JobRunner


def wait_for(client: TestClient, job_id: str, status: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/v1/jobs/{job_id}").json()
        if job["status"] == status:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not reach {status}: {job}")


def claims(n: int) -> list[str]:
    return [f"the tower is in paris {i}" if i % 2 else f"the blue whale {i}" for i in range(n)]


def test_job_runs_to_completion_and_pages_results_in_order(client: TestClient) -> None:
    client.post("/v1/documents", json=CORPUS)
    response = client.post("/v1/jobs", json={"claims": claims(25), "top_k": 1})
    assert response.status_code == 202
    job = response.json()
    assert response.headers["location"] == f"/v1/jobs/{job['id']}"
    assert (job["status"], job["total"], job["options"]) == ("queued", 25, {"top_k": 1})
    done = wait_for(client, job["id"], "succeeded")
    assert done["completed"] == 25
    first = client.get(f"/v1/jobs/{job['id']}/results", params={"limit": 10}).json()
    rest = client.get(f"/v1/jobs/{job['id']}/results", params={"limit": 20, "offset": 10}).json()
    results = first["data"] + rest["data"]
    assert [r["index"] for r in results] == list(range(25))
    assert [r["claim"] for r in results] == claims(25)
    assert results[1]["verdict"] == "SUPPORTED" and results[0]["verdict"] == "REFUTED"
    assert client.get("/v1/verifications").json()["count"] == 0  # kept under the job
    assert [j["id"] for j in client.get("/v1/jobs").json()["data"]] == [job["id"]]


def test_invalid_batches_create_nothing(make_client: AppFactory) -> None:
    client = make_client(max_batch_claims=3)
    response = client.post("/v1/jobs", json={"claims": ["a", " ", "b"]})
    assert response.status_code == 422 and problem(response)["code"] == "invalid_claim"
    assert problem(response)["errors"] == [
        {"location": "body.claims.1", "message": "the claim is empty"}
    ]
    response = client.post("/v1/jobs", json={"claims": ["a"] * 4})
    assert response.status_code == 413 and problem(response)["code"] == "batch_too_large"
    assert client.post("/v1/jobs", json={"claims": []}).status_code == 422
    assert client.get("/v1/jobs").json()["data"] == []
    assert problem(client.get("/v1/jobs/nope"))["code"] == "job_not_found"


def test_cancel_keeps_finished_results_and_refuses_finished_jobs(
    make_client: AppFactory,
) -> None:
    client = make_client(job_workers=0)  # nothing runs: the job stays queued
    job = client.post("/v1/jobs", json={"claims": claims(3)}).json()
    cancelled = client.post(f"/v1/jobs/{job['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.post(f"/v1/jobs/{job['id']}/cancel")
    assert again.status_code == 409 and problem(again)["code"] == "job_finished"


def test_a_restart_loses_no_job(make_client: AppFactory) -> None:
    before = make_client(job_workers=0)
    before.post("/v1/documents", json=CORPUS)
    job = before.post("/v1/jobs", json={"claims": claims(12)}).json()
    assert before.get(f"/v1/jobs/{job['id']}").json()["status"] == "queued"
    before.__exit__(None, None, None)  # the process stops (its store closed), job queued
    after = make_client(job_workers=2)  # a new process on the same database
    done = wait_for(after, job["id"], "succeeded")
    assert done["completed"] == 12
    results = after.get(f"/v1/jobs/{job['id']}/results", params={"limit": 20}).json()
    assert [r["index"] for r in results["data"]] == list(range(12))
    assert after.get("/v1/documents").json()["count"] == 2


def test_a_crashed_worker_is_taken_over_without_redoing_finished_claims(
    make_client: AppFactory,
) -> None:
    state = app_state(make_client(job_workers=0))  # the test plays both workers
    records = state.store.records
    job = records.create_job(claims(10), {})
    # Worker A takes the job, stores a first chunk, then dies (never renews its lease).
    taken = records.acquire_job("worker-a", lease_seconds=0.2)
    assert taken is not None and taken.id == job.id
    first = [
        (i, {"claim": c, "verdict": "SUPPORTED", "confidence": 1.0})
        for i, c in list(enumerate(claims(10)))[:4]
    ]
    assert records.record_results(job.id, "worker-a", first, lease_seconds=0.2)
    assert records.acquire_job("worker-b", lease_seconds=5) is None  # lease still live
    time.sleep(0.3)
    runner = JobRunner(records, state.verifier, workers=1, chunk=3)
    taken_over = records.acquire_job("worker-b", lease_seconds=5)
    assert taken_over is not None and taken_over.id == job.id
    runner.run_job(taken_over, "worker-b")
    final = records.get_job(job.id)
    assert final is not None and (final.status, final.completed) == ("succeeded", 10)
    results = records.job_results(job.id, limit=100, offset=0)
    assert [r.index for r in results] == list(range(10))
    assert [r.verdict for r in results[:4]] == ["SUPPORTED"] * 4  # A's results kept as stored
    # The dead worker can no longer write.
    assert not records.record_results(job.id, "worker-a", first, lease_seconds=1)
