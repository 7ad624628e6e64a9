"""Schema errors (FastAPI's request validation or pydantic's own) as the
`{location, message}` items every 422 problem lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from truthgraph.text_fields import INVALID_TEXT


class SchemaErrors(Protocol):
    """RequestValidationError and pydantic's ValidationError alike."""

    def errors(self) -> Sequence[Mapping[str, Any]]: ...


def validation_errors(exc: SchemaErrors, limit: int = 100) -> list[dict[str, Any]]:
    return [
        {"location": ".".join(str(p) for p in error["loc"]), "message": error["msg"]}
        for error in exc.errors()[:limit]
    ]


def validation_code(exc: SchemaErrors) -> str:
    """`invalid_text` when a text was refused by the shared text check (NUL, unpaired
    surrogate, blank id), else `validation_error`."""
    if any(error["type"] == INVALID_TEXT for error in exc.errors()):
        return INVALID_TEXT
    return "validation_error"
