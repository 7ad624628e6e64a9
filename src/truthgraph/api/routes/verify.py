"""/v1/verify (one claim, synchronous), /v1/search and /v1/verifications (history)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool

from truthgraph.actions import verify_and_record
from truthgraph.api.deps import CanRead, CanWrite, PageDep, StateDep
from truthgraph.api.json_route import SafeJSONRoute
from truthgraph.api.schemas import (
    SearchHit,
    SearchIn,
    SearchPublic,
    Verdict,
    VerificationPublic,
    VerificationsPublic,
    VerifyIn,
)
from truthgraph.pipeline import MAX_CLAIM_CHARS
from truthgraph.serialize import retrieved_to_dict
from truthgraph.store.records import VerificationRecord
from truthgraph.text_fields import Text
from truthgraph.web.problems import Problem

router = APIRouter(prefix="/v1", tags=["verification"], route_class=SafeJSONRoute)
VerificationId = Annotated[Text, Path(min_length=1, max_length=64)]


def public(record: VerificationRecord) -> VerificationPublic:
    return VerificationPublic(
        **record.result,
        id=record.id,
        created_at=record.created_at,
        job_id=record.job_id,
        index=record.index,
    )


@router.post("/verify", response_model=VerificationPublic, dependencies=[CanWrite])
async def verify(body: VerifyIn, state: StateDep) -> VerificationPublic:
    """Verify one claim now and keep the result in the verification history."""
    record = await run_in_threadpool(
        verify_and_record, state.verifier, state.store.records, body.claim, top_k=body.top_k
    )
    state.metrics.verified(record.verdict)
    return public(record)


@router.post("/search", response_model=SearchPublic, dependencies=[CanRead])
async def search(body: SearchIn, state: StateDep) -> SearchPublic:
    """Retrieval only (no NLI): the passages hybrid, vector or lexical search finds."""
    hits = await run_in_threadpool(
        state.verifier.search, body.query, top_k=body.top_k, mode=body.mode
    )
    data = [SearchHit(**retrieved_to_dict(h)) for h in hits]
    return SearchPublic(data=data, count=len(data))


@router.get("/verifications", response_model=VerificationsPublic, dependencies=[CanRead])
def list_verifications(
    state: StateDep,
    page: PageDep,
    verdict: Annotated[Verdict | None, Query(description="Only this verdict.")] = None,
    q: Annotated[
        Text | None, Query(max_length=MAX_CLAIM_CHARS, description="Claims containing this.")
    ] = None,
) -> VerificationsPublic:
    """Synchronous verifications, newest first (job results live under their job),
    optionally of one verdict and whose claim contains `q` (ignoring case)."""
    records = state.store.records
    found = records.list_verifications(
        limit=page.limit, offset=page.offset, verdict=verdict, text=q
    )
    return VerificationsPublic(
        data=[public(r) for r in found],
        count=records.count_verifications(verdict=verdict, text=q),
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/verifications/{verification_id}",
    response_model=VerificationPublic,
    dependencies=[CanRead],
)
def get_verification(verification_id: VerificationId, state: StateDep) -> VerificationPublic:
    record = state.store.records.get_verification(verification_id)
    if record is None:
        raise Problem(404, "verification_not_found", f"No verification {verification_id!r}.")
    return public(record)
