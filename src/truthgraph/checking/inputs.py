"""Reading a text to check from a file: plain text and Markdown as they are, HTML
reduced to its visible text (block elements become line breaks, scripts and styles
are dropped). Offsets of claims then refer to the text this returns."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import BinaryIO

from truthgraph.checking import TextCheckError
from truthgraph.ingest.decoding import NotTextError, decode_bytes

_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table td th tr ul title".split()
)
_HIDDEN = frozenset("script style noscript template svg head".split())
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and not self._hidden:
            self.parts.append("#" * int(tag[1]) + " ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]*\n[ \t\r\f\v]*", "\n", text)  # no spaces around breaks
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def looks_like_html(text: str) -> bool:
    head = text[:1000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or bool(
        re.search(r"<(?:p|div|article|body|h1)\b", head)
    )


def read_text(handle: BinaryIO, name: str, *, max_bytes: int) -> str:
    """The text of a .txt/.md/.html stream, reading at most `max_bytes` + 1 bytes;
    TextCheckError says why there is no usable text."""
    data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TextCheckError("text_too_large", f"{name} is larger than {max_bytes:,} bytes")
    try:
        text = decode_bytes(data)
    except NotTextError as exc:
        raise TextCheckError("invalid_text", f"{name} is not text: {exc}") from None
    if name.lower().endswith(_HTML_SUFFIXES) or looks_like_html(text):
        return html_to_text(text)
    return text
