"""Security headers on every response, errors and middleware answers included.

The API serves JSON, so the policy forbids everything a browser could do with a
response; only the interactive docs page (/docs, /redoc) may load its scripts,
styles and images from the CDN FastAPI takes them from. The web UI (/ui) loads its one
script and stylesheet from this server and nothing else: no inline script or style,
and forms post only here.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
DOCS_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "connect-src 'self'; worker-src blob:; frame-ancestors 'none'; base-uri 'none'"
)
UI_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
UI_PREFIX = "/ui"
UI_STATIC = "/ui/static/"
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        policy = API_POLICY
        if path in DOCS_PATHS:
            policy = DOCS_POLICY
        elif path == UI_PREFIX or path.startswith(UI_PREFIX + "/"):
            policy = UI_POLICY
        # The UI's script and stylesheet may be kept, revalidated; nothing else is.
        caching = "no-cache" if path.startswith(UI_STATIC) else "no-store"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in COMMON.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", policy)
                # Answers carry corpus text and verdicts: no shared cache keeps them.
                headers.setdefault("Cache-Control", caching)
            await send(message)

        await self.app(scope, receive, send_with_headers)
