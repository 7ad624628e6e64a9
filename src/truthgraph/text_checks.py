"""The one check every text input goes through, whichever door it comes in by (API
bodies and paths, evidence files, claims files, command-line claims).

Two things are valid Python strings but not storable text: NUL (PostgreSQL refuses it
in text columns) and unpaired surrogates (from JSON escapes such as "\\ud800" or
undecodable command-line bytes; UTF-8 cannot encode them). Both are refused with the
same reason everywhere, instead of failing later in a driver or a tokenizer.
"""

from __future__ import annotations

MAX_ID_CHARS = 256


class TextError(ValueError):
    """The text cannot be stored; the message says why."""


def text_problem(value: str) -> str | None:
    """Why `value` is not storable text, or None if it is."""
    if "\x00" in value:
        return "contains a NUL character (U+0000)"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return f"contains an unpaired surrogate (U+{ord(value[exc.start]):04X})"
    return None


def check_text(value: str, what: str = "text") -> str:
    problem = text_problem(value)
    if problem is not None:
        raise TextError(f"{what} {problem}")
    return value


def id_problem(value: str) -> str | None:
    """Why `value` cannot be a document id, or None. Ids are stored trimmed, so an id
    of only whitespace would become "" and could be neither fetched nor deleted."""
    if not value.strip():
        return "is blank"
    if len(value.strip()) > MAX_ID_CHARS:
        return f"is longer than {MAX_ID_CHARS} characters"
    return text_problem(value)
