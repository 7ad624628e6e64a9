"""The history page: past verifications, filtered by verdict and by claim text."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from truthgraph.api.deps import StateDep
from truthgraph.pipeline import MAX_CLAIM_CHARS
from truthgraph.ui.access import Reader
from truthgraph.ui.pages.forms import MAX_PAGE, PAGE_SIZE, Pages
from truthgraph.ui.templating import render

router = APIRouter(prefix="/ui")
VERDICTS = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
VerdictChoice = Literal["", "SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"]


@router.get("/history")
def history_page(
    request: Request,
    state: StateDep,
    visitor: Reader,
    verdict: Annotated[VerdictChoice, Query()] = "",
    q: Annotated[str, Query(max_length=MAX_CLAIM_CHARS)] = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    records = state.store.records
    text = q.strip() or None
    total = records.count_verifications(verdict=verdict or None, text=text)
    pages = Pages(page, PAGE_SIZE, total)
    found = records.list_verifications(
        limit=PAGE_SIZE, offset=pages.offset, verdict=verdict or None, text=text
    )
    return render(
        request,
        "history.html",
        visitor,
        active="history",
        records=found,
        pages=pages,
        verdict=verdict,
        q=q,
        verdicts=VERDICTS,
    )
