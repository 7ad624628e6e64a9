"""Sentence-level passage splitting that keeps character offsets into the source text.

Passages are what TruthGraph cites, so every passage records `start`/`end` such that
`document_text[start:end] == passage.text`. The splitter is a single linear pass of
regular expressions (`truthgraph.sentences`): a 10 MB line costs the same per character
as a short one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator

from truthgraph.domain import PassageDraft
from truthgraph.sentences import raw_sentence_spans, strip_span

_HAS_WORD = re.compile(r"\w")
_WHITESPACE = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """Hash of the normalised text: NFKC, case-folded, whitespace collapsed."""
    normalised = _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:32]


def _split_long(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """Cut an over-long sentence at the last clause or word break before `max_chars`."""
    while end - start > max_chars:
        window = text[start : start + max_chars]
        cut = max(window.rfind("; "), window.rfind(", "))
        if cut < max_chars // 2:
            cut = window.rfind(" ")
        if cut < max_chars // 4:
            cut = max_chars - 1  # no break at all: a hard cut
        piece_end = strip_span(text, start, start + cut + 1)[1]
        if piece_end > start:
            yield start, piece_end
        start, end = strip_span(text, start + cut + 1, end)
    if end > start:
        yield start, end


def _join_backwards(text: str, spans: list[tuple[int, int]], fragment: int) -> None:
    """Attach a short trailing fragment ("Yes.") to the previous passage of its
    paragraph; a fragment alone in its paragraph is dropped."""
    if spans and "\n\n" not in text[spans[-1][1] : fragment]:
        end = strip_span(text, fragment, _paragraph_end(text, fragment))[1]
        spans[-1] = (spans[-1][0], end)


def _paragraph_end(text: str, position: int) -> int:
    found = text.find("\n\n", position)
    return len(text) if found < 0 else found


def split_passages(text: str, *, max_chars: int = 600, min_chars: int = 12) -> list[PassageDraft]:
    """Split `text` into sentence passages. A fragment shorter than `min_chars` (a list
    number, a short heading) is joined to the next sentence of its paragraph; alone in
    its paragraph it is not evidence and is dropped."""
    spans: list[tuple[int, int]] = []
    pending: int | None = None  # start of a short fragment waiting to be joined
    for raw_start, raw_end in raw_sentence_spans(text):
        start, end = strip_span(text, raw_start, raw_end)
        if end <= start or not _HAS_WORD.search(text, start, end):
            continue
        if pending is not None:
            if "\n\n" not in text[pending:start]:
                start = pending
            else:
                _join_backwards(text, spans, pending)
            pending = None
        if end - start < min_chars:
            pending = start
            continue
        spans.extend(_split_long(text, start, end, max_chars))
    if pending is not None:
        _join_backwards(text, spans, pending)
    if not spans and _HAS_WORD.search(text):
        # A document that is one short fragment ("Yes.") is still evidence: without
        # this it would have no passage at all and be refused.
        start, end = strip_span(text, 0, len(text))
        spans.extend(_split_long(text, start, end, max_chars))
    return [
        PassageDraft(text=text[s:e], start=s, end=e, content_hash=content_hash(text[s:e]))
        for s, e in spans
        if e > s
    ]
