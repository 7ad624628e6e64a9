"""Who may send a body at all: the API key check and the per-caller rate limit run
here, in front of the application, so that a request without a valid key or over its
rate is answered before a byte of its body is read or parsed. The routes' `require`
dependency then checks only the key's scope."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from truthgraph.api.client_address import client_address, parse_networks
from truthgraph.api.deps import AppState
from truthgraph.api.rate_limit import RateLimiter, retry_after
from truthgraph.api.security import KEY_STATE, hash_key, presented_key
from truthgraph.config import Settings
from truthgraph.store.protocol import StoreError
from truthgraph.web.problems import Problem, problem_of

GATED_PREFIX = "/v1/"


class GateMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.trusted = parse_networks(settings.trusted_proxies)
        per_minute = settings.rate_limit_per_minute
        self.limiter = RateLimiter(per_minute) if per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(GATED_PREFIX):
            await self.app(scope, receive, send)
            return
        try:
            caller = await self._caller(scope)
            if self.limiter is not None:
                wait = self.limiter.take(caller)
                if wait > 0:
                    raise Problem(
                        429,
                        "rate_limited",
                        "Too many requests; retry later.",
                        headers={"Retry-After": retry_after(wait)},
                    )
        except Problem as problem:
            await problem_of(Request(scope), problem)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _caller(self, scope: Scope) -> str:
        """The rate-limit identity: the key's id when keys are required (after checking
        the key), otherwise the client's address."""
        headers = Headers(scope=scope)
        if not self.settings.api_keys_required:
            peer = scope.get("client")
            return "addr:" + client_address(
                peer[0] if peer else None, headers.get("x-forwarded-for"), self.trusted
            )
        key = presented_key(headers)
        if not key:
            raise Problem(401, "unauthorized", "An API key is required (Authorization: Bearer).")
        state: AppState = scope["app"].state.truthgraph
        store = state.store
        try:
            record = await run_in_threadpool(store.records.find_api_key, hash_key(key))
        except StoreError:
            raise Problem(
                503, "store_unavailable", "The database is unavailable; retry shortly."
            ) from None
        if record is None or record.revoked:
            raise Problem(401, "unauthorized", "The API key is not valid.")
        scope.setdefault("state", {})[KEY_STATE] = record
        return "key:" + record.id
