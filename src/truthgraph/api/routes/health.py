"""/health (the process answers), /ready (database and models answer), /metrics."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse

from truthgraph import __version__
from truthgraph.api.deps import StateDep
from truthgraph.api.schemas import HealthPublic, ReadyPublic

log = logging.getLogger(__name__)
router = APIRouter(tags=["operations"])


@router.get("/health", response_model=HealthPublic)
def health() -> HealthPublic:
    return HealthPublic(status="ok", version=__version__)


@router.get("/ready", response_model=ReadyPublic, responses={503: {"model": ReadyPublic}})
async def ready(state: StateDep) -> JSONResponse:
    # /ready is public: a failure is reported as "unavailable", and its reason (which
    # names socket paths, hosts and databases) goes to the log only.
    checks: dict[str, str] = {}
    try:
        await run_in_threadpool(state.store.ping)
        checks["database"] = "ok"
    except Exception as exc:  # any failure means not ready
        log.warning("readiness: database unavailable: %s", exc)
        checks["database"] = "unavailable"
    try:
        await run_in_threadpool(state.verifier.inference.embed, ["ready"])
        checks["inference"] = "ok"
    except Exception as exc:
        log.warning("readiness: inference unavailable: %s", exc)
        checks["inference"] = "unavailable"
    ok = all(v == "ok" for v in checks.values())
    body = ReadyPublic(status="ready" if ok else "not_ready", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(state: StateDep) -> PlainTextResponse:
    return PlainTextResponse(
        state.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8"
    )
