"""/v1/check: find the check-worthy claims of a text and verify them.

Up to `check_sync_claims` claims are verified during the request; a longer text becomes
a verification job (one claim per found claim, in text order), so a whole article never
holds a connection for minutes. Refused texts (empty, too long, nothing to check) write
nothing.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool

from truthgraph.actions import BatchTooLarge, queue_claims
from truthgraph.api.deps import CanWrite, StateDep
from truthgraph.api.json_route import SafeJSONRoute
from truthgraph.api.routes.jobs import job_public
from truthgraph.api.schemas import CheckIn, TextCheckPublic
from truthgraph.checking import TextCheckError, find_checkable, verify_found
from truthgraph.serialize import claims_found_to_dict, text_check_to_dict
from truthgraph.web.problems import Problem

router = APIRouter(prefix="/v1", tags=["verification"], route_class=SafeJSONRoute)
_STATUS = {"text_too_large": 413}


@router.post(
    "/check",
    response_model=TextCheckPublic,
    dependencies=[CanWrite],
    responses={202: {"model": TextCheckPublic, "description": "Queued as a job"}},
)
async def check(body: CheckIn, state: StateDep, response: Response) -> TextCheckPublic:
    """Find the claims of a text and verify each (a job above the synchronous limit)."""
    try:
        found = find_checkable(body.text, max_chars=state.settings.check_max_chars)
    except TextCheckError as exc:
        raise Problem(_STATUS.get(exc.code, 422), exc.code, str(exc)) from None
    if len(found.claims) > state.settings.check_sync_claims:
        options = {"top_k": body.top_k} if body.top_k else {}
        claims = [c.text for c in found.claims]
        try:
            job = await run_in_threadpool(
                queue_claims,
                state.store.records,
                state.runner,
                claims,
                limit=state.settings.max_batch_claims,
                options=options,
            )
        except BatchTooLarge as exc:
            message = f"The text holds {len(claims)} claims. {exc}"
            raise Problem(413, "batch_too_large", message) from None
        response.status_code = 202
        response.headers["Location"] = f"/v1/jobs/{job.id}"
        return TextCheckPublic.model_validate(
            {
                "status": "queued",
                **claims_found_to_dict(found),
                "summary": {},
                "job": job_public(job),
            }
        )
    checked = await run_in_threadpool(
        verify_found, state.verifier, body.text, found, top_k=body.top_k
    )
    for item in checked.claims:
        state.metrics.verified(item.result.verdict.value)
    return TextCheckPublic.model_validate({"status": "done", **text_check_to_dict(checked)})
