"""Signing in with an API key (when the server requires keys) and signing out. The
key is checked once and never stored in the browser: the session cookie names the key's
id, signed by the server."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from truthgraph.api.deps import StateDep
from truthgraph.api.security import hash_key
from truthgraph.ui.access import current_visitor, signer_of
from truthgraph.ui.pages.forms import checked_form, text_field
from truthgraph.ui.session import clear_session, set_session
from truthgraph.ui.templating import render

router = APIRouter(prefix="/ui")
MAX_KEY_CHARS = 200


def safe_next(value: str) -> str:
    """Where to go after signing in: a UI path on this site, nothing else."""
    if value.startswith("/ui") and not value.startswith("//") and "\\" not in value:
        return value
    return "/ui/"


@router.get("/login")
def login_page(
    request: Request,
    state: StateDep,
    next: Annotated[str, Query(max_length=2000)] = "/ui/",
) -> Response:
    visitor = current_visitor(request, state)
    if not state.settings.api_keys_required:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", visitor, active="login", next=safe_next(next), error="")


@router.post("/login")
async def sign_in(request: Request, state: StateDep) -> Response:
    form = await checked_form(request)
    target = safe_next(text_field(form, "next"))
    if not state.settings.api_keys_required:
        return RedirectResponse(target, status_code=303)
    key = text_field(form, "api_key").strip()
    record = None
    if key and len(key) <= MAX_KEY_CHARS:
        record = await run_in_threadpool(state.store.records.find_api_key, hash_key(key))
    if record is None or record.revoked:
        visitor = await run_in_threadpool(current_visitor, request, state)
        return render(
            request,
            "login.html",
            visitor,
            status=401,
            active="login",
            next=target,
            error="That API key is not valid (or it was revoked).",
        )
    response = RedirectResponse(target, status_code=303)
    set_session(response, request, signer_of(request), record.id)
    return response


@router.post("/logout")
async def sign_out(request: Request) -> Response:
    await checked_form(request)
    response = RedirectResponse("/ui/login", status_code=303)
    clear_session(response)
    return response
