"""API keys: random tokens shown once, stored only as SHA-256 hashes, with scopes.

A fast hash is enough here: keys are 256-bit random values, not passwords, so there is
nothing to brute-force; a slow hash would only slow every request down.
"""

from __future__ import annotations

import hashlib
import secrets

SCOPES = ("read", "write")
KEY_PREFIX = "tg_"


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
