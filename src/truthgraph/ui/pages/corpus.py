"""The corpus pages: the document list (paged, searchable) with upload and delete, and
one document with its passages."""

from __future__ import annotations

import tempfile
from pathlib import Path as FilePath
from typing import Annotated
from urllib.parse import quote, unquote

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from truthgraph.api.deps import AppState, StateDep
from truthgraph.ingest.readers import SUPPORTED_SUFFIXES
from truthgraph.ingest.service import IngestReport, open_ingestor
from truthgraph.ingest.upload_body import read_file_parts
from truthgraph.text_checks import MAX_ID_CHARS
from truthgraph.ui.access import Reader, Visitor, Writer
from truthgraph.ui.pages.forms import MAX_PAGE, PAGE_SIZE, Pages, checked_form, text_field
from truthgraph.ui.session import COOKIE_PATH
from truthgraph.ui.templating import render
from truthgraph.web.problems import Problem

router = APIRouter(prefix="/ui")
FLASH_COOKIE = "tg_flash"
PASSAGES_PER_PAGE = 100
MAX_FILES = 100
ACCEPT = ",".join(sorted(SUPPORTED_SUFFIXES))


def _corpus(
    request: Request,
    state: AppState,
    visitor: Visitor,
    *,
    q: str = "",
    page: int = 1,
    status: int = 200,
    report: IngestReport | None = None,
    notice: str = "",
) -> Response:
    match = q.strip() or None
    pages = Pages(page, PAGE_SIZE, state.store.count_documents(match=match))
    documents = state.store.list_documents(limit=PAGE_SIZE, offset=pages.offset, match=match)
    response = render(
        request,
        "corpus.html",
        visitor,
        status=status,
        active="corpus",
        documents=documents,
        pages=pages,
        q=q,
        counts=state.store.counts(),
        report=report,
        notice=notice,
        accept=ACCEPT,
        max_files=MAX_FILES,
    )
    if request.cookies.get(FLASH_COOKIE):
        response.delete_cookie(FLASH_COOKIE, path=COOKIE_PATH)
    return response


@router.get("/corpus")
def corpus_page(
    request: Request,
    state: StateDep,
    visitor: Reader,
    q: Annotated[str, Query(max_length=MAX_ID_CHARS)] = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    notice = unquote(request.cookies.get(FLASH_COOKIE, ""))[:300]
    return _corpus(request, state, visitor, q=q, page=page, notice=notice)


@router.post("/corpus/upload")
async def upload(request: Request, state: StateDep, visitor: Writer) -> Response:
    """Store the uploaded files, all or nothing: any rejected file or row stores none
    of them, and the page lists every rejection."""
    form = await checked_form(request, max_files=MAX_FILES)
    uploads = [
        value
        for _, value in form.multi_items()
        if isinstance(value, UploadFile) and (value.filename or value.size)
    ]
    if not uploads:
        raise Problem(422, "no_files", "Choose at least one file to upload.")
    files = [(upload_file.filename, await upload_file.read()) for upload_file in uploads]
    with tempfile.TemporaryDirectory(prefix="truthgraph-upload-") as tmp:
        items = await run_in_threadpool(
            read_file_parts, files, FilePath(tmp), max_chars=state.settings.document_max_chars
        )
        ingestor = open_ingestor(state.settings, state.store, state.verifier.inference)
        report = await run_in_threadpool(ingestor.ingest_items, items, all_or_nothing=True)
    if not report.rejected:
        state.metrics.stored_passages(report.passages_added)
    return await run_in_threadpool(
        lambda: _corpus(
            request, state, visitor, status=422 if report.rejected else 200, report=report
        )
    )


@router.post("/corpus/delete")
async def delete(request: Request, state: StateDep, visitor: Writer) -> Response:
    form = await checked_form(request)
    doc_id = text_field(form, "doc_id")
    if not doc_id or len(doc_id) > MAX_ID_CHARS:
        raise Problem(422, "invalid_id", "No document was named.")
    if not await run_in_threadpool(state.store.delete_document, doc_id):
        raise Problem(404, "document_not_found", "There is no such document (any more).")
    response = RedirectResponse("/ui/corpus", status_code=303)
    response.set_cookie(
        FLASH_COOKIE,
        quote(f"Deleted “{doc_id[:200]}”."),
        max_age=60,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
    )
    return response


@router.get("/documents/{doc_id:path}")
def document_page(
    doc_id: Annotated[str, Path(min_length=1, max_length=MAX_ID_CHARS)],
    request: Request,
    state: StateDep,
    visitor: Reader,
    passage: Annotated[int | None, Query(ge=0)] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    info = state.store.get_document(doc_id)
    if info is None:
        raise Problem(404, "document_not_found", "There is no such document.")
    passages = state.store.document_passages(doc_id)
    if passage is not None:
        where = next((i for i, p in enumerate(passages) if p.id == passage), None)
        if where is not None:
            page = where // PASSAGES_PER_PAGE + 1
    pages = Pages(page, PASSAGES_PER_PAGE, len(passages))
    return render(
        request,
        "document.html",
        visitor,
        active="corpus",
        info=info,
        passages=passages[pages.offset : pages.offset + PASSAGES_PER_PAGE],
        pages=pages,
        marked=passage,
    )
