"""/v1/jobs: batches of claims verified in the background, persisted in the database."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from fastapi.concurrency import run_in_threadpool

from truthgraph.actions import BatchTooLarge, UnusableClaims, queue_claims
from truthgraph.api.deps import CanRead, CanWrite, PageDep, StateDep
from truthgraph.api.json_route import SafeJSONRoute
from truthgraph.api.routes.verify import public
from truthgraph.api.schemas import JobIn, JobPublic, JobResultsPublic, JobsPublic
from truthgraph.store.records import JobInfo
from truthgraph.text_fields import Text
from truthgraph.web.problems import Problem

router = APIRouter(prefix="/v1/jobs", tags=["jobs"], route_class=SafeJSONRoute)
JobId = Annotated[Text, Path(min_length=1, max_length=64)]


def job_public(job: JobInfo) -> JobPublic:
    return JobPublic(**job.__dict__)


def _job(state: StateDep, job_id: str) -> JobInfo:
    job = state.store.records.get_job(job_id)
    if job is None:
        raise Problem(404, "job_not_found", f"No job {job_id!r}.")
    return job


@router.post("", status_code=202, response_model=JobPublic, dependencies=[CanWrite])
async def create_job(body: JobIn, state: StateDep, response: Response) -> JobPublic:
    """Queue a batch of claims. Poll the job, then page through its results."""
    options = {"top_k": body.top_k} if body.top_k else {}
    try:
        job = await run_in_threadpool(
            queue_claims,
            state.store.records,
            state.runner,
            body.claims,
            limit=state.settings.max_batch_claims,
            options=options,
        )
    except BatchTooLarge as exc:
        raise Problem(413, "batch_too_large", str(exc)) from None
    except UnusableClaims as exc:
        errors = [
            {"location": f"body.claims.{index}", "message": reason}
            for index, reason in exc.problems[:100]
        ]
        raise Problem(422, "invalid_claim", str(exc), errors=errors) from None
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    return job_public(job)


@router.get("", response_model=JobsPublic, dependencies=[CanRead])
def list_jobs(state: StateDep, page: PageDep) -> JobsPublic:
    jobs = state.store.records.list_jobs(limit=page.limit, offset=page.offset)
    return JobsPublic(data=[job_public(j) for j in jobs], limit=page.limit, offset=page.offset)


@router.get("/{job_id}", response_model=JobPublic, dependencies=[CanRead])
def get_job(job_id: JobId, state: StateDep) -> JobPublic:
    return job_public(_job(state, job_id))


@router.get("/{job_id}/results", response_model=JobResultsPublic, dependencies=[CanRead])
def job_results(job_id: JobId, state: StateDep, page: PageDep) -> JobResultsPublic:
    """Finished results in claim order; a running job shows what is done so far."""
    job = _job(state, job_id)
    records = state.store.records.job_results(job_id, limit=page.limit, offset=page.offset)
    return JobResultsPublic(
        job=job_public(job),
        data=[public(r) for r in records],
        limit=page.limit,
        offset=page.offset,
    )


@router.post("/{job_id}/cancel", response_model=JobPublic, dependencies=[CanWrite])
def cancel_job(job_id: JobId, state: StateDep) -> JobPublic:
    """Stop a queued or running job; results finished so far are kept."""
    _job(state, job_id)
    if not state.store.records.cancel_job(job_id):
        status = _job(state, job_id).status
        raise Problem(409, "job_finished", f"The job is already {status}.")
    return job_public(_job(state, job_id))
