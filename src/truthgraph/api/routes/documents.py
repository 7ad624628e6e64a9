"""/v1/documents: upload (JSON, JSONL or multipart files), list, get, delete."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from truthgraph import safe_json
from truthgraph.api.deps import CanRead, CanWrite, PageDep, StateDep
from truthgraph.api.json_route import SafeJSONRoute, parse_json
from truthgraph.api.schemas import (
    DocumentDetail,
    DocumentPublic,
    DocumentsPublic,
    IngestSummary,
    PassagePublic,
)
from truthgraph.domain import DocumentInfo
from truthgraph.ingest.readers import ReadItem, Rejection, record_to_document
from truthgraph.ingest.service import DUPLICATE_ID
from truthgraph.ingest.upload_schema import MAX_DOCUMENTS_PER_REQUEST, DocumentIn, DocumentsIn
from truthgraph.ingest.uploads import ingestor_for, read_upload, relabel
from truthgraph.text_checks import MAX_ID_CHARS
from truthgraph.text_fields import Text
from truthgraph.web.problems import Problem
from truthgraph.web.validation import validation_code, validation_errors

router = APIRouter(prefix="/v1/documents", tags=["documents"], route_class=SafeJSONRoute)
DocId = Annotated[Text, PathParam(min_length=1, max_length=MAX_ID_CHARS)]
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines")


def _from_models(documents: list[DocumentIn], origin: str) -> list[ReadItem]:
    return [
        record_to_document(d.model_dump(exclude_none=True), f"{origin}:{i}", origin, 10**9)
        for i, d in enumerate(documents, start=1)
    ]


def _parse_json(body: bytes) -> list[ReadItem]:
    try:
        parsed = DocumentsIn.model_validate(parse_json(body))
    except json.JSONDecodeError as exc:
        raise Problem(
            422, "invalid_json", f"The body is not JSON: {exc.msg} (line {exc.lineno})."
        ) from None
    except ValidationError as exc:
        raise Problem(
            422,
            validation_code(exc),
            "The documents are not valid.",
            errors=validation_errors(exc, limit=50),
        ) from None
    return _from_models(parsed.documents, "body")


def _first_error(exc: ValidationError) -> str:
    error = validation_errors(exc, limit=1)[0]
    return f"{error['location']}: {error['message']}"[:300]


def _parse_jsonl(body: bytes) -> list[ReadItem]:
    items: list[ReadItem] = []
    for number, raw in enumerate(body.splitlines(), start=1):
        if not raw.strip():
            continue
        origin = f"body:{number}"
        try:
            document = DocumentIn.model_validate(safe_json.loads(raw))
        except json.JSONDecodeError as exc:
            items.append(Rejection(origin, f"invalid JSON: {exc.msg} (column {exc.colno})"))
            continue
        except safe_json.JSONInputError as exc:
            items.append(Rejection(origin, f"invalid JSON: {exc}"))
            continue
        except ValidationError as exc:
            items.append(Rejection(origin, _first_error(exc)))
            continue
        items.append(relabel(_from_models([document], "body")[0], origin))
        if len(items) > MAX_DOCUMENTS_PER_REQUEST:
            raise Problem(
                413,
                "too_many_documents",
                f"At most {MAX_DOCUMENTS_PER_REQUEST} documents per request.",
            )
    return items


async def _parse_files(request: Request, workdir: Path) -> list[ReadItem]:
    form = await request.form()
    uploads = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
    if not uploads:
        raise Problem(422, "no_files", "The multipart body holds no files.")
    items: list[ReadItem] = []
    for number, upload in enumerate(uploads):
        items += read_upload(upload.filename, await upload.read(), number, workdir)
    return items


# The route reads the body itself (three formats); the contract states the JSON form,
# whose schema is exactly what is accepted. JSONL and multipart are described in words:
# what makes them valid (each line or file holds valid documents) is not a schema.
_JSON_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DocumentsIn"}}},
        "description": "Also accepted: application/x-ndjson (one document object per line)"
        " and multipart/form-data with `files` (.jsonl, .json, .csv, .txt, .md).",
    }
}


@router.post("", response_model=IngestSummary, dependencies=[CanWrite], openapi_extra=_JSON_BODY)
async def upload_documents(request: Request, state: StateDep) -> IngestSummary:
    """Add documents: a JSON body `{"documents": [...]}`, a JSONL body, or multipart
    files (.jsonl, .json, .csv, .txt, .md). All or nothing: if any document is
    rejected, nothing is stored and the answer lists every problem."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    # The body limit middleware caps it at TRUTHGRAPH_MAX_UPLOAD_BYTES as it streams in.
    body = await request.body()
    with tempfile.TemporaryDirectory(prefix="truthgraph-upload-") as tmp:
        if content_type == "application/json":
            items = _parse_json(body)
        elif content_type in JSONL_TYPES:
            items = _parse_jsonl(body)
        elif content_type == "multipart/form-data":
            items = await _parse_files(request, Path(tmp))
        else:
            raise Problem(
                415,
                "unsupported_media_type",
                "Send application/json, application/x-ndjson or multipart/form-data.",
            )
        ingestor = ingestor_for(state.store, state.verifier.inference, state.settings)
        report = await run_in_threadpool(ingestor.ingest_items, items, all_or_nothing=True)
    if report.rejected:
        errors = [{"location": r.origin, "message": r.reason} for r in report.rejected[:200]]
        if all(r.reason.startswith(DUPLICATE_ID) for r in report.rejected):
            # Each document is valid; the request contradicts itself.
            raise Problem(
                409,
                "duplicate_document_id",
                "Documents in one upload share an id but differ; nothing was stored.",
                errors=errors,
            )
        raise Problem(
            422,
            "invalid_documents",
            f"{len(report.rejected)} document(s) rejected; nothing was stored.",
            errors=errors,
        )
    state.metrics.stored_passages(report.passages_added)
    return IngestSummary(
        documents_added=report.documents_added,
        documents_replaced=report.documents_replaced,
        documents_unchanged=report.documents_unchanged,
        passages_added=report.passages_added,
        duplicate_passages=report.duplicate_passages,
    )


def _public(info: DocumentInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "title": info.title,
        "url": info.url,
        "source": info.source,
        "passages": info.passages,
        "created_at": info.created_at,
    }


@router.get("", response_model=DocumentsPublic, dependencies=[CanRead])
def list_documents(state: StateDep, page: PageDep) -> DocumentsPublic:
    docs = state.store.list_documents(limit=page.limit, offset=page.offset)
    return DocumentsPublic(
        data=[DocumentPublic(**_public(d)) for d in docs],
        count=state.store.counts()["documents"],
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{doc_id:path}", response_model=DocumentDetail, dependencies=[CanRead])
def get_document(doc_id: DocId, state: StateDep) -> DocumentDetail:
    info = state.store.get_document(doc_id)
    text = state.store.document_text(doc_id)
    if info is None or text is None:
        raise Problem(404, "document_not_found", f"No document with id {doc_id!r}.")
    passages = [
        PassagePublic(id=p.id, text=p.text, start=p.start, end=p.end)
        for p in state.store.document_passages(doc_id)
    ]
    return DocumentDetail(**_public(info), text=text, passage_list=passages)


@router.delete("/{doc_id:path}", status_code=204, dependencies=[CanWrite])
def delete_document(doc_id: DocId, state: StateDep) -> Response:
    if not state.store.delete_document(doc_id):
        raise Problem(404, "document_not_found", f"No document with id {doc_id!r}.")
    return Response(status_code=204)
