"""The ml-inference service's state and lifespan. The models load and are warmed up
before /ready answers 200; at shutdown /ready fails first, then the batchers finish
what is queued."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Request

from truthgraph.config import Settings
from truthgraph.mlserver.batching import MicroBatcher
from truthgraph.mlserver.metrics import MLMetrics

log = logging.getLogger(__name__)
In = TypeVar("In")
Out = TypeVar("Out")


@dataclass
class MLState:
    settings: Settings
    metrics: MLMetrics = field(default_factory=MLMetrics)
    ready: bool = False
    models: dict[str, Any] = field(default_factory=dict)
    embed: MicroBatcher[str, list[float]] | None = None
    nli: MicroBatcher[tuple[str, str], tuple[float, float, float]] | None = None

    def batcher(
        self, run: Callable[[Sequence[In]], Sequence[Out]], task: str, max_items: int
    ) -> MicroBatcher[In, Out]:
        batches = self.metrics.batches.labels(task)
        return MicroBatcher(
            run,
            name=task,
            max_items=max_items,
            max_wait=self.settings.ml_max_wait_ms / 1000,
            queue_size=self.settings.ml_queue_size,
            on_depth=self.metrics.queue_depth.labels(task).set,
            on_batch=lambda _: batches.inc(),
        )


def get_state(request: Request) -> MLState:
    state: MLState = request.app.state.ml
    return state


StateDep = Annotated[MLState, Depends(get_state)]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    from truthgraph.runtime import local_inference

    state: MLState = app.state.ml
    started = time.perf_counter()
    local = local_inference(state.settings)
    local.embed(["warm-up"])  # first runs allocate; do it before taking traffic
    local.nli([("warm-up", "warm-up")])
    state.models = {"embedding": asdict(local.embedding_model), "nli": asdict(local.nli_model)}
    state.embed = state.batcher(local.embed, "embed", max_items=64)
    state.nli = state.batcher(
        lambda pairs: [s.as_tuple() for s in local.nli(pairs)], "nli", max_items=32
    )
    state.ready = True
    log.info("models loaded and warm in %.2f s", time.perf_counter() - started)
    try:
        yield
    finally:
        state.ready = False  # /ready fails first so load balancers drain us
        for batcher in (state.embed, state.nli):
            batcher.close()
        state.metrics.registry.close()
