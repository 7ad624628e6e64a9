"""The check page: paste a text, see its claims underlined in their verdict's colour,
each linked to its verdict and evidence. Checked during the request (the page shows the
result; nothing is stored), up to the API's synchronous limit."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import Response

from truthgraph.api.deps import StateDep
from truthgraph.checking import (
    TextCheck,
    TextCheckError,
    claim_runs,
    deciding_passage,
    find_checkable,
    verify_found,
)
from truthgraph.serialize import result_to_dict
from truthgraph.ui.access import Reader, Visitor, Writer
from truthgraph.ui.pages.forms import checked_form, text_field
from truthgraph.ui.templating import render

router = APIRouter(prefix="/ui")


def _page(
    request: Request,
    visitor: Visitor,
    *,
    text: str = "",
    error: str = "",
    check: TextCheck | None = None,
    status: int = 200,
) -> Response:
    claims = (
        [
            {
                **result_to_dict(c.result),
                "number": n,
                "found": c.claim,
                "deciding": deciding_passage(c.result),
            }
            for n, c in enumerate(check.claims, start=1)
        ]
        if check
        else []
    )
    return render(
        request,
        "check.html",
        visitor,
        status=status,
        active="check",
        text=text,
        error=error,
        segments=claim_runs(check) if check else [],
        claims=claims,
        skipped=len(check.skipped) if check else 0,
    )


@router.get("/check")
def check_page(request: Request, visitor: Reader) -> Response:
    return _page(request, visitor)


@router.post("/check")
async def check_posted_text(request: Request, state: StateDep, visitor: Writer) -> Response:
    form = await checked_form(request)
    text = text_field(form, "text")
    try:
        found = find_checkable(text, max_chars=state.settings.check_max_chars)
    except TextCheckError as exc:
        return _page(request, visitor, text=text, error=f"{exc}.", status=422)
    limit = state.settings.check_sync_claims
    if len(found.claims) > limit:
        error = (
            f"The text holds {len(found.claims)} claims; this page checks up to {limit} at "
            "once. Check a shorter part, or send the whole text to POST /v1/check."
        )
        return _page(request, visitor, text=text, error=error, status=422)
    checked = await run_in_threadpool(verify_found, state.verifier, text, found)
    for item in checked.claims:
        state.metrics.verified(item.result.verdict.value)
    return _page(request, visitor, text=text, check=checked)
