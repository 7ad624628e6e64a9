"""Errors on UI pages are HTML pages with a plain message, never a traceback or a JSON
problem document. Each of the API's exception handlers is wrapped: under /ui the page
is rendered, elsewhere the API's own answer is given unchanged."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from truthgraph.inference.protocol import InferenceError
from truthgraph.pipeline import ClaimError
from truthgraph.store.protocol import StoreError
from truthgraph.ui.access import SignInRequired, Visitor
from truthgraph.ui.templating import render
from truthgraph.web.problems import Problem

log = logging.getLogger(__name__)
UI_PREFIX = "/ui"
Handler = Callable[[Request, Any], Awaitable[Response] | Response]

INFERENCE_DOWN = (
    "The models are not answering: the inference service (ml-inference) is unavailable. "
    "Nothing was verified or stored. It usually comes back by itself; try again in a "
    "minute, and if it persists, ask whoever runs this server to check that service."
)
STORE_DOWN = "The database is unavailable. Nothing was changed; try again shortly."
TITLES = {
    400: "Bad request",
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    413: "Too large",
    415: "Unsupported upload",
    422: "Cannot use this input",
    429: "Too many requests",
    503: "Service unavailable",
}


def is_ui(request: Request) -> bool:
    path = request.url.path
    return path == UI_PREFIX or path.startswith(UI_PREFIX + "/")


def message_of(exc: Exception) -> tuple[int, str]:
    """The status and the message a visitor sees for `exc`."""
    if isinstance(exc, InferenceError):
        log.warning("inference unavailable: %s", exc)
        return 503, INFERENCE_DOWN
    if isinstance(exc, StoreError):
        log.warning("store error: %s", exc)
        return 503, STORE_DOWN
    if isinstance(exc, ClaimError):
        return 422, f"The claim cannot be checked: {exc}."
    if isinstance(exc, Problem):
        return exc.status, exc.detail
    if isinstance(exc, RequestValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'input'}: {e['msg']}"
            for e in exc.errors()[:5]
        )
        return 422, f"The request is not valid ({problems})."
    if isinstance(exc, HTTPException):
        if exc.status_code == 404:
            return 404, "There is no such page."
        return exc.status_code, str(exc.detail)
    log.exception("unhandled error on a UI page", exc_info=exc)
    return 500, "Something went wrong on the server. Nothing was changed."


def error_page(request: Request, exc: Exception) -> Response:
    status, message = message_of(exc)
    headers = {"Retry-After": "30"} if status == 503 else None
    return render(
        request,
        "error.html",
        Visitor(keys_required=False, scopes=frozenset()),
        status=status,
        headers=headers,
        title=TITLES.get(status, "Error"),
        message=message,
    )


def _wrap(api_handler: Handler) -> Handler:
    async def handler(request: Request, exc: Any) -> Response:
        if is_ui(request):
            return error_page(request, exc)
        result = api_handler(request, exc)
        return await result if isinstance(result, Awaitable) else result

    return handler


def install_html_errors(app: FastAPI) -> None:
    """Call after the API's handlers are installed."""
    for exc_class, api_handler in list(app.exception_handlers.items()):
        app.exception_handlers[exc_class] = _wrap(api_handler)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(f"/ui/login?next={quote(exc.next_path, safe='/')}", 303)
