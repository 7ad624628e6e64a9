"""/v1/documents: upload (JSON, JSONL or multipart files), list, get, delete."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from truthgraph.api.deps import CanRead, CanWrite, PageDep, StateDep
from truthgraph.api.json_route import SafeJSONRoute
from truthgraph.api.schemas import (
    DocumentDetail,
    DocumentPublic,
    DocumentsPublic,
    IngestSummary,
    PassagePublic,
)
from truthgraph.domain import DocumentInfo
from truthgraph.ingest.readers import ReadItem
from truthgraph.ingest.service import DUPLICATE_ID, open_ingestor
from truthgraph.ingest.upload_body import (
    BodyFormat,
    BodyRefused,
    FilePart,
    body_format,
    read_body,
)
from truthgraph.text_checks import MAX_ID_CHARS
from truthgraph.text_fields import Text
from truthgraph.web.problems import Problem
from truthgraph.web.validation import validation_code, validation_errors

router = APIRouter(prefix="/v1/documents", tags=["documents"], route_class=SafeJSONRoute)
DocId = Annotated[Text, PathParam(min_length=1, max_length=MAX_ID_CHARS)]


# How the API answers each reason a whole body is refused (others: 422).
_REFUSED_STATUS = {"unsupported_media_type": 415, "too_many_documents": 413}


def _problem(exc: BodyRefused) -> Problem:
    if exc.invalid is not None:
        return Problem(
            422,
            validation_code(exc.invalid),
            exc.detail,
            errors=validation_errors(exc.invalid, limit=50),
        )
    return Problem(_REFUSED_STATUS.get(exc.code, 422), exc.code, exc.detail)


async def _read_body(request: Request, workdir: Path, max_chars: int) -> list[ReadItem]:
    # The body limit middleware caps it at TRUTHGRAPH_MAX_UPLOAD_BYTES as it streams in.
    body = await request.body()
    kind = body_format(request.headers.get("content-type", ""))
    files: list[FilePart] = []
    if kind is BodyFormat.FILES:
        form = await request.form()
        uploads = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
        files = [(upload.filename, await upload.read()) for upload in uploads]
    return await run_in_threadpool(read_body, kind, body, files, workdir, max_chars=max_chars)


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
    with tempfile.TemporaryDirectory(prefix="truthgraph-upload-") as tmp:
        try:
            items = await _read_body(request, Path(tmp), state.settings.document_max_chars)
        except BodyRefused as exc:
            raise _problem(exc) from None
        ingestor = open_ingestor(state.settings, state.store, state.verifier.inference)
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
