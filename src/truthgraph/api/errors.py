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
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Route

from truthgraph.inference.protocol import InferenceError
from truthgraph.pipeline import ClaimError
from truthgraph.store.protocol import StoreError

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


def validation_errors(
    exc: RequestValidationError | ValidationError, limit: int = 100
) -> list[dict[str, Any]]:
    """Schema errors as `{location, message}` items, the shape every 422 problem uses."""
    return [
        {"location": ".".join(str(p) for p in error["loc"]), "message": error["msg"]}
        for error in exc.errors()[:limit]
    ]


def allowed_methods(request: Request) -> str:
    """Every method the API serves at this path, from the published contract.
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


def validation_code(exc: RequestValidationError | ValidationError) -> str:
    """`invalid_text` when a text was refused by the shared text check (NUL, unpaired
    surrogate, blank id), else `validation_error`."""
    if any(error["type"] == "invalid_text" for error in exc.errors()):
        return "invalid_text"
    return "validation_error"


def install_error_handlers(app: FastAPI) -> None:
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

    @app.exception_handler(ClaimError)
    async def _claim(request: Request, exc: ClaimError) -> JSONResponse:
        return problem_response(request, 422, "invalid_claim", str(exc))

    @app.exception_handler(InferenceError)
    async def _inference(request: Request, exc: InferenceError) -> JSONResponse:
        log.warning("inference unavailable: %s", exc)
        return problem_response(
            request,
            503,
            "inference_unavailable",
            "The inference service is unavailable; retry shortly.",
        )

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> JSONResponse:
        # The error names the database (a socket path, a host, a database name): it goes
        # to the log, and the client learns only that the store is unavailable.
        log.warning("store error on %s: %s", request.url.path, exc)
        return problem_response(
            request, 503, "store_unavailable", "The database is unavailable; retry shortly."
        )

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
