"""The ml-inference ASGI app: POST /v1/embed, POST /v1/nli, GET /v1/models, /health,
/ready and /metrics. Models load in the lifespan; /ready answers 200 only after they
are loaded and warmed up."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict
from typing import Any, TypeVar

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field

from truthgraph import __version__
from truthgraph.api.errors import Problem, install_error_handlers
from truthgraph.api.metrics import Counter, Histogram, route_template
from truthgraph.config import Settings
from truthgraph.domain import CANONICAL_LABELS
from truthgraph.mlserver.batching import MicroBatcher, Overloaded, ShuttingDown

log = logging.getLogger(__name__)
T = TypeVar("T")


class EmbedIn(BaseModel):
    texts: list[str] = Field(min_length=1)


class Pair(BaseModel):
    premise: str
    hypothesis: str


class NLIIn(BaseModel):
    pairs: list[Pair] = Field(min_length=1)


class _State:
    def __init__(self) -> None:
        self.ready = False
        self.models: dict[str, Any] = {}
        self.embed: MicroBatcher[str, list[float]] | None = None
        self.nli: MicroBatcher[tuple[str, str], tuple[float, float, float]] | None = None
        self.requests = Counter("truthgraph_ml_requests_total", "Requests by route and status.")
        self.items = Counter("truthgraph_ml_items_total", "Texts or pairs processed, by task.")
        self.latency = Histogram("truthgraph_ml_request_duration_seconds", "Latency by route.")


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


def create_ml_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    state = _State()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from truthgraph.runtime import local_inference

        started = time.perf_counter()
        local = local_inference(settings)
        local.embed(["warm-up"])  # first runs allocate; do it before taking traffic
        local.nli([("warm-up", "warm-up")])
        state.models = {
            "embedding": asdict(local.embedding_model),
            "nli": asdict(local.nli_model),
        }
        wait, size = settings.ml_max_wait_ms / 1000, settings.ml_queue_size
        state.embed = MicroBatcher(
            local.embed, name="embed", max_items=64, max_wait=wait, queue_size=size
        )
        state.nli = MicroBatcher(
            lambda pairs: [s.as_tuple() for s in local.nli(pairs)],
            name="nli",
            max_items=32,
            max_wait=wait,
            queue_size=size,
        )
        state.ready = True
        log.info("models loaded and warm in %.2f s", time.perf_counter() - started)
        try:
            yield
        finally:
            state.ready = False  # /ready fails first so load balancers drain us
            for batcher in (state.embed, state.nli):
                batcher.close()

    app = FastAPI(title="TruthGraph ml-inference", version=__version__, lifespan=lifespan)
    install_error_handlers(app)

    @app.middleware("http")
    async def measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = route_template(request)
        state.requests.inc(route=route, status=str(response.status_code))
        state.latency.observe(time.perf_counter() - started, route=route)
        return response

    @app.post("/v1/embed")
    async def embed(body: EmbedIn) -> dict[str, Any]:
        _check_sizes(body.texts, settings)
        vectors = await _await(state.embed, body.texts)
        state.items.inc(len(body.texts), task="embed")
        return {"model": state.models["embedding"]["name"], "embeddings": vectors}

    @app.post("/v1/nli")
    async def nli(body: NLIIn) -> dict[str, Any]:
        _check_sizes([p.premise + p.hypothesis for p in body.pairs], settings)
        probs = await _await(state.nli, [(p.premise, p.hypothesis) for p in body.pairs])
        state.items.inc(len(body.pairs), task="nli")
        return {
            "model": state.models["nli"]["name"],
            "labels": [label.value for label in CANONICAL_LABELS],
            "probabilities": [list(p) for p in probs],
        }

    @app.get("/v1/models")
    def models() -> dict[str, Any]:
        if not state.ready:
            raise Problem(503, "not_ready", "The models are still loading.")
        return state.models

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/ready")
    def ready() -> JSONResponse:
        return JSONResponse(
            {"status": "ready" if state.ready else "not_ready"},
            status_code=200 if state.ready else 503,
        )

    @app.get("/metrics", response_class=PlainTextResponse)
    def metrics() -> PlainTextResponse:
        lines = state.requests.render() + state.items.render() + state.latency.render()
        for name, batcher in (("embed", state.embed), ("nli", state.nli)):
            if batcher is not None:
                lines += [
                    f'truthgraph_ml_queue_depth{{task="{name}"}} {batcher.depth}',
                    f'truthgraph_ml_batches_total{{task="{name}"}} {batcher.batches}',
                ]
        return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")

    return app
