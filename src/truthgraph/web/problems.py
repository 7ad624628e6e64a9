"""RFC 9457 problem details with stable machine-readable codes.

Every error answer has `type`, `title`, `status`, `detail`, `instance` and a `code`
that clients can switch on. Unexpected failures become a plain 500 problem; the
traceback goes to the log, never to the client.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Route

from truthgraph.web.validation import validation_code, validation_errors

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


class Problem(StarletteHTTPException):
    """An error answer with a stable code. It is an HTTPException so that FastAPI
    passes it through unchanged when it is raised while the body is read (a body over
    the size limit, JSON nested too deep) instead of turning it into a generic 400."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(status, detail, headers)
        self.status, self.code, self.detail, self.extra = status, code, detail, extra


def problem_response(
    request: Request,
    status: int,
    code: str,
    detail: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {
        "type": f"urn:truthgraph:problem:{code}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "code": code,
        **extra,
    }
    all_headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    all_headers.update(headers or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=all_headers)


def problem_of(request: Request, problem: Problem) -> JSONResponse:
    return problem_response(
        request,
        problem.status,
        problem.code,
        problem.detail,
        headers=problem.headers,
        **problem.extra,
    )


def allowed_methods(request: Request) -> str:
    """Every method the app serves at this path, from its published contract.
    Starlette's own 405 names only the first route that matched the path, but GET and
    POST /v1/jobs are two routes."""
    path = request.url.path
    methods: set[str] = set()
    for template, item in request.app.openapi().get("paths", {}).items():
        if re.fullmatch(re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)), path):
            methods |= {method.upper() for method in item}
    for route in request.app.routes:  # the docs pages, outside the contract
        if isinstance(route, Route) and route.path == path:
            methods |= set(route.methods or ())
    return ", ".join(sorted(methods))


def answer_with(
    app: FastAPI, exc_class: type[Exception], status: int, code: str, detail: str | None = None
) -> None:
    """Answer `exc_class` with one problem. Without `detail` the exception's message
    is shown; with it, the message (which may name hosts, files or databases) goes to
    the log only."""

    async def handler(request: Request, exc: Exception) -> JSONResponse:
        if detail is None:
            return problem_response(request, status, code, str(exc))
        log.warning("%s on %s: %s", code, request.url.path, exc)
        return problem_response(request, status, code, detail)

    app.add_exception_handler(exc_class, handler)


def install_problem_handlers(app: FastAPI) -> None:
    """Problems, schema errors, HTTP errors, hang-ups and the unexpected, as problem
    documents. A service adds its own exceptions with `answer_with`."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_of(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(
            request,
            422,
            validation_code(exc),
            "The request does not match the schema.",
            errors=validation_errors(exc),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return problem_response(request, exc.status_code, code, str(exc.detail), headers=headers)

    @app.exception_handler(ClientDisconnect)
    async def _gone(request: Request, exc: ClientDisconnect) -> JSONResponse:
        # The client hung up while sending its body: nobody reads this answer, and it
        # is no server error.
        log.info("client disconnected during the body on %s", request.url.path)
        return problem_response(request, 400, "client_disconnected", "The client disconnected.")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem_response(request, 500, "internal_error", "An unexpected error occurred.")
