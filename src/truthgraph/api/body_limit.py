"""A streaming cap on request bodies, enforced as the bytes arrive.

The cap is checked in the ASGI `receive` channel, below FastAPI, so it holds for every
route and every way of sending a body: a declared Content-Length over the cap is
refused before a byte is read, and a chunked body (no Content-Length) is cut off as
soon as the running total passes the cap. Nothing is buffered here, so memory stays at
most one cap per request however large the body the client streams.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from truthgraph.web.problems import Problem, problem_of

# Encodings a client may declare for a request body. A compressed body would have to
# be inflated to be read, and a small gzip bomb inflates to gigabytes: refuse it.
_IDENTITY = frozenset({"", "identity"})


def too_large(limit: int) -> Problem:
    return Problem(413, "payload_too_large", f"The body exceeds {limit} bytes.")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        """`limit_for(path)` is the largest body, in bytes, accepted on that path."""
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        headers = {k.lower(): v for k, v in scope["headers"]}
        encoding = headers.get(b"content-encoding", b"").decode("latin-1").strip().lower()
        if encoding not in _IDENTITY:
            problem = Problem(
                415,
                "unsupported_content_encoding",
                "Compressed request bodies are not accepted; send the body uncompressed.",
            )
            await self._answer(scope, receive, send, problem)
            return
        declared = headers.get(b"content-length", b"").decode("latin-1").strip()
        if declared.isdigit() and int(declared) > limit:
            await self._answer(scope, receive, send, too_large(limit))
            return

        received = 0
        started = False

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, capped_receive, tracking_send)
        except Problem as problem:
            # Raised from the receive channel where no handler below turned it into an
            # answer (reading the body outside a route, say).
            if started or problem.status != 413:
                raise
            await self._answer(scope, receive, send, problem)

    @staticmethod
    async def _answer(scope: Scope, receive: Receive, send: Send, problem: Problem) -> None:
        await problem_of(Request(scope), problem)(scope, receive, send)
