"""Turning file bytes into text, and refusing what is not text."""

from __future__ import annotations

import codecs

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


class NotTextError(ValueError):
    """The bytes are binary or in no encoding TruthGraph can read."""


def detect_encoding(head: bytes, *, allow_nul: bool = False) -> str:
    """Encoding for a file whose first bytes are `head`: a BOM wins, then UTF-8 if the
    sample decodes, else Windows-1252 (which also reads plain Latin-1 text).
    `allow_nul` is for line-oriented files, where a binary line costs only that line."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if b"\x00" in head and not allow_nul:
        raise NotTextError("binary content (NUL bytes)")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still UTF-8.
        if exc.start < len(head) - 3:
            return "cp1252"
    return "utf-8"


def looks_binary(text: str) -> bool:
    """More than 1% control characters (outside whitespace) means not prose."""
    sample = text[:65536]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ch < " " and ch not in _ALLOWED_CONTROLS)
    return controls > len(sample) // 100 or "\x00" in sample


def decode_bytes(data: bytes) -> str:
    encoding = detect_encoding(data[:65536])
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise NotTextError(f"cannot decode as {encoding}") from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    if looks_binary(text):
        raise NotTextError("binary content (control characters)")
    return text


def decode_line(raw: bytes, encoding: str) -> str:
    """Decode one line of a line-oriented file, falling back per line so that one bad
    byte costs one line, not the file."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")
