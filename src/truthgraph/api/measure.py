"""Request counts and latency by route, as a plain ASGI middleware (it leaves the
receive channel untouched, so the body limit's errors reach the routes as raised)."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from truthgraph.api.metrics import route_template_of


class MeasureMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            state = getattr(scope["app"].state, "truthgraph", None)
            if state is not None:
                route = route_template_of(scope)
                state.metrics.requests.inc(method=scope["method"], route=route, status=str(status))
                state.metrics.latency.observe(time.perf_counter() - started, route=route)
