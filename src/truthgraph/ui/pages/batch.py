"""The batch pages: upload a file of claims as a job, watch it run (server-sent events,
or a page that refreshes itself without JavaScript), cancel it, and download its
results as JSONL or CSV."""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response, StreamingResponse

from truthgraph.actions import BatchTooLarge, UnusableClaims, queue_claims
from truthgraph.api.deps import AppState, StateDep
from truthgraph.ingest.claims import CLAIM_SUFFIXES, read_claims
from truthgraph.ingest.uploads import upload_name
from truthgraph.pipeline import ClaimError
from truthgraph.store.records import FINAL_STATUSES, JobInfo
from truthgraph.ui.access import Reader, Visitor, Writer
from truthgraph.ui.exports import as_csv, as_jsonl
from truthgraph.ui.pages.forms import MAX_PAGE, PAGE_SIZE, Pages, checked_form
from truthgraph.ui.templating import render
from truthgraph.web.problems import Problem

router = APIRouter(prefix="/ui")
JobId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]
RECENT_JOBS = 20
EVENT_INTERVAL = 0.5
EVENT_STREAM_SECONDS = 3600
ACCEPT = ",".join(sorted(CLAIM_SUFFIXES))


def _batch_form(
    request: Request, state: AppState, visitor: Visitor, *, error: str = "", status: int = 200
) -> Response:
    return render(
        request,
        "batch.html",
        visitor,
        status=status,
        active="batch",
        jobs=state.store.records.list_jobs(limit=RECENT_JOBS, offset=0),
        error=error,
        accept=ACCEPT,
        limit=state.settings.max_batch_claims,
    )


@router.get("/batch")
def batch_page(request: Request, state: StateDep, visitor: Reader) -> Response:
    return _batch_form(request, state, visitor)


def _claims_of(name: str, data: bytes) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="truthgraph-claims-") as tmp:
        path = FilePath(tmp) / f"claims{FilePath(name).suffix.lower()}"
        path.write_bytes(data)
        return [record["claim"] for record in read_claims(path, label=name)]


@router.post("/batch")
async def create_batch(request: Request, state: StateDep, visitor: Writer) -> Response:
    form = await checked_form(request, max_files=1)
    upload = form.get("claims")
    error = ""
    if not isinstance(upload, UploadFile) or not (upload.filename or upload.size):
        error = "Choose a file of claims to upload."
    else:
        name = upload_name(upload.filename, 0)
        if not isinstance(name, str):
            error = f"The file cannot be used: {name.reason}."
        elif FilePath(name).suffix.lower() not in CLAIM_SUFFIXES:
            error = f"“{name}” is not a claims file: use .csv, .jsonl or .txt."
        else:
            try:
                claims = await run_in_threadpool(_claims_of, name, await upload.read())
                if not claims:
                    raise ClaimError(f"{name}: the file holds no claims")
                job = await run_in_threadpool(
                    queue_claims,
                    state.store.records,
                    state.runner,
                    claims,
                    limit=state.settings.max_batch_claims,
                )
            except ClaimError as exc:
                error = f"Nothing was queued: {exc}."
            except (BatchTooLarge, UnusableClaims) as exc:
                error = f"Nothing was queued: {exc}"
            else:
                return RedirectResponse(f"/ui/batch/{job.id}", status_code=303)
    return await run_in_threadpool(
        lambda: _batch_form(request, state, visitor, error=error, status=422)
    )


def _job(state: AppState, job_id: str) -> JobInfo:
    job = state.store.records.get_job(job_id)
    if job is None:
        raise Problem(404, "job_not_found", "There is no such batch.")
    return job


@router.get("/batch/{job_id}")
def job_page(
    job_id: JobId,
    request: Request,
    state: StateDep,
    visitor: Reader,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    job = _job(state, job_id)
    pages = Pages(page, PAGE_SIZE, job.completed)
    results = state.store.records.job_results(job_id, limit=PAGE_SIZE, offset=pages.offset)
    return render(
        request,
        "job.html",
        visitor,
        active="batch",
        job=job,
        running=job.status not in FINAL_STATUSES,
        results=results,
        pages=pages,
    )


def _progress(job: JobInfo) -> str:
    return json.dumps(
        {"status": job.status, "completed": job.completed, "total": job.total, "error": job.error}
    )


@router.get("/batch/{job_id}/events")
async def job_events(
    job_id: JobId, request: Request, state: StateDep, visitor: Reader
) -> StreamingResponse:
    """Server-sent events: the job's progress whenever it changes, until it ends."""
    await run_in_threadpool(_job, state, job_id)

    async def events() -> AsyncIterator[str]:
        last, deadline = "", time.monotonic() + EVENT_STREAM_SECONDS
        yield "retry: 2000\n\n"
        while time.monotonic() < deadline and not await request.is_disconnected():
            job = await run_in_threadpool(_job, state, job_id)
            data = _progress(job)
            if data != last:
                yield f"event: progress\ndata: {data}\n\n"
                last = data
            if job.status in FINAL_STATUSES:
                yield "event: end\ndata: {}\n\n"
                return
            await asyncio.sleep(EVENT_INTERVAL)

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"X-Accel-Buffering": "no"}
    )


@router.post("/batch/{job_id}/cancel")
async def cancel_job(job_id: JobId, request: Request, state: StateDep, visitor: Writer) -> Response:
    await checked_form(request)
    await run_in_threadpool(_job, state, job_id)
    # Already finished: nothing to cancel, and the page shows how it ended.
    await run_in_threadpool(state.store.records.cancel_job, job_id)
    return RedirectResponse(f"/ui/batch/{job_id}", status_code=303)


def _download(state: AppState, job_id: str, kind: str) -> StreamingResponse:
    _job(state, job_id)
    records = state.store.records
    body, media = (
        (as_jsonl(records, job_id), "application/x-ndjson; charset=utf-8")
        if kind == "jsonl"
        else (as_csv(records, job_id), "text/csv; charset=utf-8")
    )
    disposition = f'attachment; filename="truthgraph-{job_id}.{kind}"'
    return StreamingResponse(body, media_type=media, headers={"Content-Disposition": disposition})


@router.get("/batch/{job_id}/results.jsonl")
def download_jsonl(job_id: JobId, state: StateDep, visitor: Reader) -> StreamingResponse:
    return _download(state, job_id, "jsonl")


@router.get("/batch/{job_id}/results.csv")
def download_csv(job_id: JobId, state: StateDep, visitor: Reader) -> StreamingResponse:
    return _download(state, job_id, "csv")
