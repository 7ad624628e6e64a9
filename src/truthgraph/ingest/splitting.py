"""Sentence-level passage splitting that keeps character offsets into the source text.

Passages are what TruthGraph cites, so every passage records `start`/`end` such that
`document_text[start:end] == passage.text`. The splitter is a single linear pass of
regular expressions: a 10 MB line costs the same per character as a short one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator

from truthgraph.domain import PassageDraft

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt ft vs etc e.g i.e cf al approx ca no nos vol fig figs "
    "jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp u.s u.k u.n dept est "
    "gen col lt sgt capt rev hon".split()
)
# A candidate end of sentence: terminal punctuation, optional closing quotes/brackets,
# then whitespace. Paragraph breaks always end a passage.
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)|\n[ \t]*\n")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_HAS_WORD = re.compile(r"\w")
_WHITESPACE = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """Hash of the normalised text: NFKC, case-folded, whitespace collapsed."""
    normalised = _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:32]


def _is_abbreviation(text: str, end: int) -> bool:
    match = _WORD_BEFORE.search(text, max(0, end - 12), end)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    if word in _ABBREVIATIONS:
        return True
    # A lone capital initial such as the "J" in "J. Smith".
    return len(word) == 1 and word.isalpha()


def _sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group(0).startswith(".") and len(match.group(0)) == 1:
            if _is_abbreviation(text, match.start()):
                continue
            # "3.5" never matches (no whitespace follows), but "No. 5" would.
        yield start, match.end()
        start = match.end()
    yield start, len(text)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "#>*-+|"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_long(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """Cut an over-long sentence at the last clause or word break before `max_chars`."""
    while end - start > max_chars:
        window = text[start : start + max_chars]
        cut = max(window.rfind("; "), window.rfind(", "))
        if cut < max_chars // 2:
            cut = window.rfind(" ")
        if cut < max_chars // 4:
            cut = max_chars - 1  # no break at all: a hard cut
        piece_end = _strip_span(text, start, start + cut + 1)[1]
        if piece_end > start:
            yield start, piece_end
        start, end = _strip_span(text, start + cut + 1, end)
    if end > start:
        yield start, end


def _join_backwards(text: str, spans: list[tuple[int, int]], fragment: int) -> None:
    """Attach a short trailing fragment ("Yes.") to the previous passage of its
    paragraph; a fragment alone in its paragraph is dropped."""
    if spans and "\n\n" not in text[spans[-1][1] : fragment]:
        end = _strip_span(text, fragment, _paragraph_end(text, fragment))[1]
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
    for raw_start, raw_end in _sentence_spans(text):
        start, end = _strip_span(text, raw_start, raw_end)
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
        start, end = _strip_span(text, 0, len(text))
        spans.extend(_split_long(text, start, end, max_chars))
    return [
        PassageDraft(text=text[s:e], start=s, end=e, content_hash=content_hash(text[s:e]))
        for s, e in spans
        if e > s
    ]
