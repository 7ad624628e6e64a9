"""API keys: random tokens shown once, stored only as SHA-256 hashes, with scopes.

A fast hash is enough here: keys are 256-bit random values, not passwords, so there is
nothing to brute-force; a slow hash would only slow every request down.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping

SCOPES = ("read", "write")
KEY_PREFIX = "tg_"
# The request.state attribute where the gate middleware leaves the checked key record.
KEY_STATE = "api_key"


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key a request carries: `Authorization: Bearer KEY` or `X-API-Key: KEY`."""
    header = headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return headers.get("x-api-key") or None
