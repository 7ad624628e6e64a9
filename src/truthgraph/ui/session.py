"""Web UI cookies: the sign-in session and the form token.

The session cookie names the API key's id and an expiry, signed with HMAC-SHA256; the
key itself is never stored in the browser, and every request looks the key up again,
so a revoked key ends its sessions at once. The form token is a random value kept in
its own cookie and repeated in every form (double submit): another site can neither
read it nor, with SameSite=Strict, make the browser send it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "tg_session"
CSRF_COOKIE = "tg_csrf"
CSRF_FIELD = "csrf_token"
COOKIE_PATH = "/ui"


class Signer:
    def __init__(self, secret: str, minutes: int) -> None:
        # Without a configured secret, a random one: sessions last until a restart.
        self._key = secret.encode("utf-8") if secret else secrets.token_bytes(32)
        self.seconds = minutes * 60

    def _mac(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode("utf-8"), hashlib.sha256).hexdigest()

    def session_value(self, key_id: str, now: float | None = None) -> str:
        payload = f"{key_id}.{int((now or time.time()) + self.seconds)}"
        return f"{payload}.{self._mac(payload)}"

    def session_key_id(self, value: str | None, now: float | None = None) -> str | None:
        """The key id a session cookie names, if its signature holds and it is current."""
        if not value or value.count(".") != 2:
            return None
        key_id, expires, mac = value.split(".")
        if not hmac.compare_digest(mac, self._mac(f"{key_id}.{expires}")):
            return None
        if not expires.isdigit() or int(expires) < (now or time.time()):
            return None
        return key_id


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session(response: Response, request: Request, signer: Signer, key_id: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        signer.session_value(key_id),
        max_age=signer.seconds,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")


def csrf_token(request: Request) -> tuple[str, bool]:
    """The form token of this browser, and whether it is new (to be set as a cookie)."""
    current = request.cookies.get(CSRF_COOKIE, "")
    if len(current) >= 32:
        return current, False
    return secrets.token_urlsafe(32), True


def set_csrf(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        CSRF_COOKIE,
        token,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


def csrf_matches(request: Request, submitted: object) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return (
        isinstance(submitted, str)
        and len(cookie) >= 32
        and hmac.compare_digest(cookie.encode(), submitted.encode())
    )
