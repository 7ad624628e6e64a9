"""Who is using the UI. With API keys off, everyone may do everything (as on /v1).
With keys on, a visitor signs in with a key once; the signed session cookie then names
the key, which is looked up on every request (revocation is immediate) and whose
scopes decide what the visitor may read and change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.params import Depends as DependsParam

from truthgraph.api.deps import AppState, get_state
from truthgraph.ui.session import SESSION_COOKIE, Signer
from truthgraph.web.problems import Problem


class SignInRequired(Exception):
    """Answered with a redirect to the sign-in page, which comes back to `next_path`."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


@dataclass(frozen=True)
class Visitor:
    keys_required: bool
    key_name: str | None = None
    scopes: frozenset[str] = frozenset({"read", "write"})

    @property
    def signed_in(self) -> bool:
        return self.key_name is not None

    def may(self, scope: str) -> bool:
        return scope in self.scopes


def signer_of(request: Request) -> Signer:
    signer: Signer = request.app.state.ui_signer
    return signer


def current_visitor(request: Request, state: AppState) -> Visitor:
    """The visitor as the session cookie names them (no scopes when not signed in)."""
    if not state.settings.api_keys_required:
        return Visitor(keys_required=False)
    key_id = signer_of(request).session_key_id(request.cookies.get(SESSION_COOKIE))
    record = state.store.records.get_api_key(key_id) if key_id else None
    if record is None or record.revoked:
        return Visitor(keys_required=True, scopes=frozenset())
    return Visitor(keys_required=True, key_name=record.name, scopes=frozenset(record.scopes))


def _where(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query and request.method == "GET" else "")


def need(scope: str) -> DependsParam:
    """A dependency giving the Visitor, who must hold `scope` when keys are on."""

    def check(request: Request, state: Annotated[AppState, Depends(get_state)]) -> Visitor:
        visitor = current_visitor(request, state)
        if not visitor.keys_required or visitor.may(scope):
            return visitor
        if not visitor.signed_in:
            raise SignInRequired(_where(request) if request.method == "GET" else "/ui/")
        raise Problem(403, "forbidden", f"Your API key lacks the {scope!r} scope.")

    dependency: DependsParam = Depends(check)
    return dependency


Reader = Annotated[Visitor, need("read")]
Writer = Annotated[Visitor, need("write")]
