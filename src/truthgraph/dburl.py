"""PostgreSQL URLs: built from parts, or repaired when a password holds characters
that a URL reserves.

Generated passwords (base64, say) often contain `/`, `+` or `=`. Written into a URL as
they are, `/` ends the host part early and libpq reads the rest as host and database,
then prints it in its error. Here the user and password are percent-encoded, which libpq
decodes, and the password is registered for masking before anything can fail.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from truthgraph import redact

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def _encode(part: str) -> str:
    # unquote first, so that a part which is already percent-encoded stays as it is.
    return quote(unquote(part), safe="")


def _split(url: str) -> tuple[str, str, str, str] | None:
    """(scheme://, user, password, rest after the '@'), or None without user info.

    The user info ends at the *last* '@': a password may hold '@', '/', '?' or '#',
    a host, port and database name hold none of them."""
    scheme = next((s for s in POSTGRES_SCHEMES if url.startswith(s)), None)
    if scheme is None:
        return None
    rest = url[len(scheme) :]
    user_info, at, host_part = rest.rpartition("@")
    if not at:
        return None
    user, _, password = user_info.partition(":")
    return scheme, user, password, host_part


def password_of(url: str) -> str:
    """The (decoded) password in a PostgreSQL URL, '' when it has none."""
    parts = _split(url)
    return unquote(parts[2]) if parts else ""


def normalize(url: str) -> str:
    """`url` with its user and password percent-encoded; the password is registered
    for masking. Other URLs come back unchanged."""
    parts = _split(url)
    if parts is None:
        return url
    scheme, user, password, host_part = parts
    redact.register(unquote(password))
    credentials = _encode(user) + (f":{_encode(password)}" if password else "")
    return f"{scheme}{credentials}@{host_part}"


def build(*, host: str, port: int, name: str, user: str, password: str) -> str:
    """A PostgreSQL URL from its parts; any character is allowed in each of them.
    A host starting with '/' is a Unix socket directory."""
    redact.register(password)
    credentials = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
    database = quote(name, safe="")
    if host.startswith("/"):
        return f"postgresql://{credentials}@/{database}?host={quote(host, safe='')}&port={port}"
    address = f"[{host}]" if ":" in host else host
    return f"postgresql://{credentials}@{address}:{port}/{database}"
