"""Routes whose JSON bodies are parsed with the bounded parser (`safe_json`): a body
nested too deep, not UTF-8, or holding NaN is a 422 `invalid_json` problem instead
of a RecursionError or a generic 400."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from truthgraph import safe_json
from truthgraph.web.problems import Problem


def parse_json(body: bytes) -> Any:
    """`body` parsed; JSON syntax errors propagate as json.JSONDecodeError."""
    try:
        return safe_json.loads(body)
    except safe_json.JSONInputError as exc:
        raise Problem(422, "invalid_json", f"The body is not acceptable JSON: {exc}.") from None


class _SafeJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = parse_json(await self.body())
        return self._json


class SafeJSONRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def safe_handler(request: Request) -> Response:
            return await handler(_SafeJSONRequest(request.scope, request.receive))

        return safe_handler
