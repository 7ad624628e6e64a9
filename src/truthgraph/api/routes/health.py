"""/health (the process answers), /ready (database and models answer), /metrics."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from truthgraph import __version__
from truthgraph.api.deps import StateDep
from truthgraph.api.readiness import Probed
from truthgraph.api.schemas import HealthPublic, ReadyPublic

router = APIRouter(tags=["operations"])


@router.get("/health", response_model=HealthPublic)
def health() -> HealthPublic:
    return HealthPublic(status="ok", version=__version__)


@router.get("/ready", response_model=ReadyPublic, responses={503: {"model": ReadyPublic}})
async def ready(state: StateDep) -> JSONResponse:
    # Answered from the background checks' last results (async: no worker thread
    # needed, even when every one is stuck on a slow dependency), never by waiting on a
    # dependency. /ready is public: a failure is reported as "unavailable", and its
    # reason (which names hosts and databases) goes to the log only.
    checks = state.monitor.status()
    inference = state.verifier.inference
    if isinstance(inference, Probed) and not inference.available:
        checks["inference"] = "unavailable"  # a call failed since the last check
    checks.setdefault("inference", "ok")  # in-process models: loaded at start-up
    ok = all(v == "ok" for v in checks.values())
    body = ReadyPublic(status="ready" if ok else "not_ready", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(state: StateDep) -> Response:
    return state.metrics.registry.response()
