"""Recognise files that probably hold credentials, from the name and a small content head.

Only files up to ``MAX_SECRET_FILE`` bytes are inspected and only their first
``SECRET_HEAD`` bytes are read; contents are never stored, only the reason.
"""

from __future__ import annotations

MAX_SECRET_FILE = 1 << 20
SECRET_HEAD = 64 * 1024

_KEY_NAMES = frozenset(
    {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"}
)
_KEY_SUFFIXES = (".pem", ".key", ".p8")
_ENV_TEMPLATES = frozenset({".env.example", ".env.sample", ".env.template", ".env.dist"})
# file name -> byte markers, any of which means the file carries a credential
_TOKEN_FILES: dict[str, tuple[bytes, ...]] = {
    ".npmrc": (b"_authtoken", b"_auth=", b"_password"),
    ".pypirc": (b"password",),
    ".netrc": (b"password",),
    ".git-credentials": (b"://",),
    "credentials": (b"aws_secret_access_key",),
    "config.json": (b'"auth"',),
}


def wants_head(name: str, size: int) -> bool:
    """Whether the scanner should read the head of this file for ``classify``."""
    if size == 0 or size > MAX_SECRET_FILE:
        return False
    base = name.rpartition("/")[2]
    if base in _KEY_NAMES or base in _TOKEN_FILES:
        return base != "config.json" or name.endswith(".docker/config.json")
    if base == ".env" or (base.startswith(".env.") and base not in _ENV_TEMPLATES):
        return True
    return base.endswith(_KEY_SUFFIXES)


def classify(name: str, head: bytes) -> str | None:
    """Return a short reason if the file looks like a secret, else None."""
    base = name.rpartition("/")[2]
    if base == ".env" or base.startswith(".env."):
        return "dotenv file" if b"=" in head else None
    if base in _KEY_NAMES or base.endswith(_KEY_SUFFIXES):
        return "private key" if b"PRIVATE KEY-----" in head else None
    markers = _TOKEN_FILES.get(base)
    if markers:
        lowered = head.lower()
        if any(marker in lowered for marker in markers):
            return f"credentials in {base}"
    return None
