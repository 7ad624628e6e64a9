"""The search page: hybrid, vector and lexical retrieval side by side, with scores."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import Response

from truthgraph.api.deps import StateDep
from truthgraph.pipeline import MAX_CLAIM_CHARS, ClaimError
from truthgraph.retrieval import SearchMode
from truthgraph.serialize import retrieved_to_dict
from truthgraph.ui.access import Reader
from truthgraph.ui.templating import render

router = APIRouter(prefix="/ui")
MODES: tuple[SearchMode, ...] = ("hybrid", "vector", "lexical")


@router.get("/search")
async def search_page(
    request: Request,
    state: StateDep,
    visitor: Reader,
    q: Annotated[str, Query(max_length=MAX_CLAIM_CHARS)] = "",
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Response:
    columns: list[tuple[str, list[dict[str, Any]]]] = []
    error = ""
    if q.strip():
        try:
            for mode in MODES:
                hits = await run_in_threadpool(state.verifier.search, q, top_k=k, mode=mode)
                columns.append((mode, [retrieved_to_dict(hit) for hit in hits]))
        except ClaimError as exc:
            error, columns = f"The query cannot be searched: {exc}.", []
    return render(
        request,
        "search.html",
        visitor,
        status=422 if error else 200,
        active="search",
        q=q,
        k=k,
        columns=columns,
        error=error,
    )
