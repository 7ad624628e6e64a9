"""Mounting the UI on the API app: its pages under /ui, its stylesheet and script under
/ui/static, HTML error pages under /ui, and / sending browsers to the verify page."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.responses import RedirectResponse
from starlette.staticfiles import StaticFiles

from truthgraph.config import Settings
from truthgraph.ui.errors import install_html_errors
from truthgraph.ui.pages import batch, check, corpus, history, login, search, verify
from truthgraph.ui.session import Signer

# Paths whose bodies are document uploads (the upload size limit applies).
UPLOAD_PATHS = frozenset({"/ui/corpus/upload"})


def install_ui(app: FastAPI, settings: Settings) -> None:
    """Call after the API's routes and error handlers are installed."""
    app.state.ui_signer = Signer(settings.ui_session_secret, settings.ui_session_minutes)
    for module in (verify, check, history, search, corpus, batch, login):
        app.include_router(module.router, include_in_schema=False)
    app.mount("/ui/static", StaticFiles(packages=[("truthgraph.ui", "static")]), name="ui-static")

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=307)

    install_html_errors(app)
