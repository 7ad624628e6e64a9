"""Rendering pages: one Jinja2 environment with autoescaping on for every template,
undefined names as errors, and the few filters the templates need."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse

from truthgraph.ui.access import Visitor
from truthgraph.ui.session import CSRF_FIELD, csrf_token, set_csrf


def _path_part(value: str) -> str:
    """`value` as one URL path segment (document ids may hold slashes)."""
    return quote(value, safe="")


def _web_link(value: str) -> str | None:
    """An http(s) URL from the corpus, or None: no javascript: or data: links."""
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        return None
    return value if scheme in ("http", "https") else None


def _percent(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value * 100:.{digits}f}%"


def _score(value: float | int | None) -> str:
    if value is None:
        return "–"
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def build_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("truthgraph.ui", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(path_part=_path_part, web_link=_web_link, percent=_percent, score=_score)
    return env


ENVIRONMENT = build_environment()


def render(
    request: Request,
    template: str,
    visitor: Visitor,
    *,
    status: int = 200,
    active: str = "",
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """The page `template` with the common context (visitor, form token, navigation);
    sets the form token cookie on a browser's first visit and a Server-Timing header
    with the time spent rendering."""
    started = time.perf_counter()
    token, new = csrf_token(request)
    html = ENVIRONMENT.get_template(template).render(
        visitor=visitor,
        csrf_field=CSRF_FIELD,
        csrf_token=token,
        active=active,
        path=request.url.path,
        **context,
    )
    timing = f"render;dur={(time.perf_counter() - started) * 1000:.1f}"
    all_headers = {"Server-Timing": timing, **(headers or {})}
    response = HTMLResponse(html, status_code=status, headers=all_headers)
    if new:
        set_csrf(response, request, token)
    return response
