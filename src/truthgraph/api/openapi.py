"""The published contract, made to match what the server does: every status an
operation can answer is declared, errors as application/problem+json with the
problem schema, and the limits that depend on settings (the job batch size, whether
API keys are required) are filled in from the running settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict
from pydantic.json_schema import models_json_schema

from truthgraph.config import Settings
from truthgraph.ingest.upload_schema import DocumentsIn
from truthgraph.web.problems import PROBLEM_JSON, TITLES

REF = "#/components/schemas/{model}"


class ErrorItem(BaseModel):
    location: str
    message: str


class ProblemPublic(BaseModel):
    """RFC 9457 problem details with TruthGraph's stable `code`."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    errors: list[ErrorItem] | None = None


def _statuses(path: str, method: str, operation: dict[str, Any], settings: Settings) -> set[int]:
    """Every error status this operation can answer."""
    found = {500}
    has_body = "requestBody" in operation
    has_params = bool(operation.get("parameters")) or has_body
    if path.startswith("/v1/"):
        found |= {503}
        if settings.api_keys_required:
            found |= {401, 403}
        if settings.rate_limit_per_minute > 0:
            found |= {429}
    if has_body:
        found |= {400, 413, 415, 422}
    if has_params:
        found |= {422}
    if "{" in path:
        found |= {404}
    if path.endswith("/cancel"):
        found |= {409}
    if method == "post" and path == "/v1/jobs":
        found |= {413}
    return found


def _problem_response(status: int) -> dict[str, Any]:
    return {
        "description": TITLES.get(status, "Error"),
        "content": {PROBLEM_JSON: {"schema": {"$ref": REF.format(model="ProblemPublic")}}},
    }


def contract(app: FastAPI, settings: Settings) -> Callable[[], dict[str, Any]]:
    """An `app.openapi` replacement building the document described above, once."""

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        _, extra = models_json_schema(
            [(ProblemPublic, "serialization"), (DocumentsIn, "validation")], ref_template=REF
        )
        schemas.update(extra.get("$defs", {}))
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        schemas["JobIn"]["properties"]["claims"]["maxItems"] = settings.max_batch_claims
        if settings.api_keys_required:
            spec["components"]["securitySchemes"] = {
                "bearer": {"type": "http", "scheme": "bearer"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            }
        for path, item in spec["paths"].items():
            for method, operation in item.items():
                responses = operation.setdefault("responses", {})
                for status in _statuses(path, method, operation, settings):
                    current = responses.get(str(status), {})
                    if "ReadyPublic" not in str(current):  # /ready's 503 is its own body
                        responses[str(status)] = _problem_response(status)
                if path.startswith("/v1/") and settings.api_keys_required:
                    operation["security"] = [{"bearer": []}, {"apiKey": []}]
        app.openapi_schema = spec
        return spec

    return build
