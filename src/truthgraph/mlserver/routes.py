"""POST /v1/embed, POST /v1/nli, GET /v1/models, /health, /ready and /metrics."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, TypeVar

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from truthgraph import __version__
from truthgraph.config import Settings
from truthgraph.domain import CANONICAL_LABELS
from truthgraph.mlserver.batching import MicroBatcher, Overloaded, ShuttingDown
from truthgraph.mlserver.schemas import EmbedIn, NLIIn
from truthgraph.mlserver.state import StateDep
from truthgraph.web.problems import Problem

router = APIRouter()
T = TypeVar("T")


def _check_sizes(texts: Sequence[str], settings: Settings) -> None:
    if len(texts) > settings.ml_max_items:
        raise Problem(413, "too_many_items", f"At most {settings.ml_max_items} items per call.")
    for index, text in enumerate(texts):
        if len(text) > settings.ml_max_chars:
            raise Problem(
                422,
                "text_too_long",
                f"Item {index} is longer than {settings.ml_max_chars} characters.",
            )


async def _await(batcher: MicroBatcher[Any, T] | None, inputs: Sequence[Any]) -> list[T]:
    if batcher is None:
        raise Problem(503, "not_ready", "The models are still loading.")
    try:
        future = batcher.submit(inputs)
    except Overloaded:
        raise Problem(429, "overloaded", "Too many requests are waiting; retry shortly.") from None
    except ShuttingDown:
        raise Problem(503, "shutting_down", "The service is shutting down.") from None
    return await asyncio.wrap_future(future)


@router.post("/v1/embed")
async def embed(body: EmbedIn, state: StateDep) -> dict[str, Any]:
    _check_sizes(body.texts, state.settings)
    vectors = await _await(state.embed, body.texts)
    state.metrics.items.labels("embed").inc(len(body.texts))
    return {"model": state.models["embedding"]["name"], "embeddings": vectors}


@router.post("/v1/nli")
async def nli(body: NLIIn, state: StateDep) -> dict[str, Any]:
    _check_sizes([p.premise + p.hypothesis for p in body.pairs], state.settings)
    probs = await _await(state.nli, [(p.premise, p.hypothesis) for p in body.pairs])
    state.metrics.items.labels("nli").inc(len(body.pairs))
    return {
        "model": state.models["nli"]["name"],
        "labels": [label.value for label in CANONICAL_LABELS],
        "probabilities": [list(p) for p in probs],
    }


@router.get("/v1/models")
def models(state: StateDep) -> dict[str, Any]:
    if not state.ready:
        raise Problem(503, "not_ready", "The models are still loading.")
    return state.models


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@router.get("/ready")
def ready(state: StateDep) -> JSONResponse:
    return JSONResponse(
        {"status": "ready" if state.ready else "not_ready"},
        status_code=200 if state.ready else 503,
    )


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(state: StateDep) -> Response:
    return state.metrics.registry.response()
