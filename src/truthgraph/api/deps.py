"""Shared dependencies for the routes, as named `Annotated` aliases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.params import Depends as DependsParam

from truthgraph.api.metrics import ApiMetrics
from truthgraph.api.readiness import DependencyMonitor
from truthgraph.api.schemas import MAX_PAGE_SIZE
from truthgraph.api.security import KEY_STATE, hash_key, presented_key
from truthgraph.config import Settings
from truthgraph.jobs import JobRunner
from truthgraph.pipeline import Verifier
from truthgraph.store.protocol import Store
from truthgraph.store.records import ApiKeyRecord
from truthgraph.web.problems import Problem


@dataclass
class AppState:
    settings: Settings
    store: Store
    verifier: Verifier
    runner: JobRunner
    metrics: ApiMetrics
    monitor: DependencyMonitor


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.truthgraph
    return state


StateDep = Annotated[AppState, Depends(get_state)]


def require(scope: str) -> DependsParam:
    """A dependency that admits requests whose API key has `scope` (when keys are on)."""

    def check(request: Request, state: StateDep) -> None:
        if not state.settings.api_keys_required:
            return
        # The gate middleware has checked the key before the body was read.
        record: ApiKeyRecord | None = getattr(request.state, KEY_STATE, None)
        if record is None:
            key = presented_key(request.headers)
            record = state.store.records.find_api_key(hash_key(key)) if key else None
        if record is None or record.revoked:
            raise Problem(401, "unauthorized", "The API key is not valid.")
        if scope not in record.scopes:
            raise Problem(403, "forbidden", f"The API key lacks the {scope!r} scope.")

    dependency: DependsParam = Depends(check)
    return dependency


CanRead = require("read")
CanWrite = require("write")


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def page(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page:
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(page)]
