"""The verify page: a claim box, and a verification with its evidence in context."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from truthgraph.actions import verify_and_record
from truthgraph.api.deps import AppState, StateDep
from truthgraph.pipeline import MAX_CLAIM_CHARS, ClaimError, check_claim
from truthgraph.store.records import VerificationRecord
from truthgraph.ui.access import Reader, Visitor, Writer
from truthgraph.ui.excerpt import excerpt
from truthgraph.ui.pages.forms import checked_form, text_field
from truthgraph.ui.templating import render
from truthgraph.web.problems import Problem

router = APIRouter(prefix="/ui")
RECENT = 5


def _claim_form(
    request: Request, state: AppState, visitor: Visitor, claim: str = "", error: str = ""
) -> Response:
    recent = state.store.records.list_verifications(limit=RECENT, offset=0)
    return render(
        request,
        "verify.html",
        visitor,
        status=422 if error else 200,
        active="verify",
        claim=claim,
        error=error,
        recent=recent,
        max_chars=MAX_CLAIM_CHARS,
    )


@router.get("/")
def verify_page(request: Request, state: StateDep, visitor: Reader) -> Response:
    return _claim_form(request, state, visitor)


@router.post("/verify")
async def verify_claim(request: Request, state: StateDep, visitor: Writer) -> Response:
    """Verify the posted claim, then show the result at its own address (so that a
    reload does not verify again)."""
    form = await checked_form(request)
    claim = text_field(form, "claim")
    try:
        check_claim(claim)
    except ClaimError as exc:
        return await run_in_threadpool(_claim_form, request, state, visitor, claim, f"{exc}.")
    started = time.perf_counter()
    record = await run_in_threadpool(verify_and_record, state.verifier, state.store.records, claim)
    state.metrics.verified(record.verdict)
    elapsed = (time.perf_counter() - started) * 1000
    return RedirectResponse(
        f"/ui/verifications/{record.id}",
        status_code=303,
        headers={"Server-Timing": f"verify;dur={elapsed:.1f}"},
    )


def evidence_view(state: AppState, record: VerificationRecord) -> list[dict[str, Any]]:
    """Each cited passage with its excerpt (the passage marked in its document)."""
    return [
        {
            **item,
            "excerpt": excerpt(
                state.store, item["doc_id"], item["start"], item["end"], item["text"]
            ),
        }
        for item in record.result.get("evidence", [])
    ]


def unique_checks(record: VerificationRecord) -> list[dict[str, Any]]:
    """The conflict-check findings, each sentence once (a passage checked both as a
    top-ranked and as the most decisive one gives the same finding twice)."""
    seen: set[str] = set()
    checks = []
    for check in record.result.get("checks", []):
        if check["explanation"] not in seen:
            seen.add(check["explanation"])
            checks.append(check)
    return checks


@router.get("/verifications/{verification_id}")
def verification_page(
    verification_id: Annotated[str, Path(min_length=1, max_length=64)],
    request: Request,
    state: StateDep,
    visitor: Reader,
) -> Response:
    record = state.store.records.get_verification(verification_id)
    if record is None:
        raise Problem(404, "verification_not_found", "There is no such verification.")
    return render(
        request,
        "result.html",
        visitor,
        active="history" if record.job_id is None else "batch",
        record=record,
        result=record.result,
        evidence=evidence_view(state, record),
        checks=unique_checks(record),
    )
