"""Reading a document upload body into documents (or rejections), by its content type:
a JSON object `{"documents": [...]}`, JSONL (one document per line) or multipart files.

A JSON body is all or nothing at the schema level: one invalid document refuses the
body. JSONL and files are read item by item, so every problem is listed at once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import Enum
from pathlib import Path

from pydantic import ValidationError

from truthgraph import safe_json
from truthgraph.ingest.readers import ReadItem, Rejection, record_to_document
from truthgraph.ingest.upload_schema import MAX_DOCUMENTS_PER_REQUEST, DocumentIn, DocumentsIn
from truthgraph.ingest.uploads import read_upload

JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines")
# A multipart file as the client sent it: its (untrusted) name and its bytes.
FilePart = tuple[str | None, bytes]


class BodyFormat(Enum):
    JSON = "application/json"
    JSONL = "application/x-ndjson"
    FILES = "multipart/form-data"


class BodyRefused(ValueError):
    """The body as a whole cannot be read. `code` names why (the API's problem code);
    for a JSON body that does not match the schema, `invalid` holds the errors, and
    the answer's code comes from them (`invalid_text` or `validation_error`)."""

    def __init__(self, code: str, detail: str, invalid: ValidationError | None = None) -> None:
        super().__init__(detail)
        self.code, self.detail, self.invalid = code, detail, invalid


def body_format(content_type: str) -> BodyFormat:
    """The format a Content-Type header names (parameters such as charset ignored)."""
    media = content_type.split(";")[0].strip().lower()
    if media in JSONL_TYPES:
        return BodyFormat.JSONL
    for known in BodyFormat:
        if media == known.value:
            return known
    raise BodyRefused(
        "unsupported_media_type",
        "Send application/json, application/x-ndjson or multipart/form-data.",
    )


def _document(document: DocumentIn, origin: str, max_chars: int) -> ReadItem:
    return record_to_document(document.model_dump(exclude_none=True), origin, "body", max_chars)


def read_json_body(body: bytes, *, max_chars: int) -> list[ReadItem]:
    try:
        parsed = DocumentsIn.model_validate(safe_json.loads(body))
    except json.JSONDecodeError as exc:
        raise BodyRefused(
            "invalid_json", f"The body is not JSON: {exc.msg} (line {exc.lineno})."
        ) from None
    except safe_json.JSONInputError as exc:
        raise BodyRefused("invalid_json", f"The body is not acceptable JSON: {exc}.") from None
    except ValidationError as exc:
        raise BodyRefused("validation_error", "The documents are not valid.", exc) from None
    return [_document(d, f"body:{i}", max_chars) for i, d in enumerate(parsed.documents, start=1)]


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    return f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"[:300]


def _jsonl_line(raw: bytes, origin: str, max_chars: int) -> ReadItem:
    try:
        document = DocumentIn.model_validate(safe_json.loads(raw))
    except json.JSONDecodeError as exc:
        return Rejection(origin, f"invalid JSON: {exc.msg} (column {exc.colno})")
    except safe_json.JSONInputError as exc:
        return Rejection(origin, f"invalid JSON: {exc}")
    except ValidationError as exc:
        return Rejection(origin, _first_error(exc))
    return _document(document, origin, max_chars)


def read_jsonl_body(body: bytes, *, max_chars: int) -> list[ReadItem]:
    items: list[ReadItem] = []
    for number, raw in enumerate(body.splitlines(), start=1):
        if raw.strip():
            items.append(_jsonl_line(raw, f"body:{number}", max_chars))
        if len(items) > MAX_DOCUMENTS_PER_REQUEST:
            raise BodyRefused(
                "too_many_documents",
                f"At most {MAX_DOCUMENTS_PER_REQUEST} documents per request.",
            )
    return items


def read_file_parts(files: Sequence[FilePart], workdir: Path, *, max_chars: int) -> list[ReadItem]:
    """Multipart files, each read through a file in `workdir` (see uploads.py)."""
    if not files:
        raise BodyRefused("no_files", "The multipart body holds no files.")
    items: list[ReadItem] = []
    for number, (name, data) in enumerate(files):
        items += read_upload(name, data, number, workdir, max_chars=max_chars)
    return items


def read_body(
    kind: BodyFormat, body: bytes, files: Sequence[FilePart], workdir: Path, *, max_chars: int
) -> list[ReadItem]:
    """The documents of a body of format `kind` (its multipart files already split
    out by the web framework into `files`)."""
    if kind is BodyFormat.JSON:
        return read_json_body(body, max_chars=max_chars)
    if kind is BodyFormat.JSONL:
        return read_jsonl_body(body, max_chars=max_chars)
    return read_file_parts(files, workdir, max_chars=max_chars)
