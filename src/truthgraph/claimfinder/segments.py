"""Sentences of a free text with exact offsets, aware of line structure.

Articles, transcripts and Markdown put meaning in line breaks that prose splitting
ignores: a heading or a list item is a unit of its own, a speaker label ("HOST:") opens
a turn. Lines are grouped into blocks first (hard-wrapped prose stays joined), then
each block is cut into sentences by the shared rules in `truthgraph.sentences`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from truthgraph.sentences import raw_sentence_spans, strip_span

_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+\u2022]|\d{1,3}[.)])[ \t]+")
_HEADING = re.compile(r"[ \t]*#{1,6}[ \t]")
# "HOST:", "Q:", "Dr. Jane Goodall:" at the start of a turn (up to four words).
SPEAKER_LABEL = re.compile(r"(?:[A-Z][\w.'\u2019-]*(?:[ \t][A-Z][\w.'\u2019-]*){0,3}):[ \t]+")
_ABBREVIATED_FRAGMENT = re.compile(r"(?:\S+\s+){0,2}[A-Z][a-z]{0,4}\.")
_TERMINAL = tuple(".!?:;\u2026\"'\u201d\u2019)")
# A line this long that ends without punctuation is hard-wrapped prose, not a heading.
_WRAPPED_LINE_CHARS = 60


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    block_start: int
    block_end: int
    heading: bool  # a Markdown heading line
    list_item: bool  # opens with a list marker ("- ", "1. ")
    whole_line: bool  # the only sentence of its block
    speaker: str | None  # the speaker label that opened this turn, when one did
    label_end: int  # where the sentence proper begins (after a speaker label)


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _opens_block(line: str) -> bool:
    return bool(
        not line.strip()
        or _HEADING.match(line)
        or _LIST_ITEM.match(line)
        or SPEAKER_LABEL.match(line.lstrip())
    )


def _closes_block(line: str) -> bool:
    stripped = line.rstrip()
    return (
        not stripped
        or bool(_HEADING.match(line))
        or stripped.endswith(_TERMINAL)
        or len(stripped) < _WRAPPED_LINE_CHARS
    )


def blocks(text: str) -> list[tuple[int, int]]:
    """Spans of text made of whole lines that belong together."""
    out: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    previous = ""
    for start, end in _line_spans(text):
        line = text[start:end]
        if current is not None and (_opens_block(line) or _closes_block(previous)):
            out.append(current)
            current = None
        if line.strip():
            current = (start, end) if current is None else (current[0], end)
        previous = line
    if current is not None:
        out.append(current)
    return out


def _spans(text: str, first: int, end: int) -> list[tuple[int, int]]:
    """Stripped sentence spans of one block; a fragment of one or two words that ends
    in a short capitalised abbreviation ("GREENBELT, Md.") is joined to the sentence
    after it."""
    spans: list[tuple[int, int]] = []
    pending: int | None = None
    for raw_start, raw_end in raw_sentence_spans(text, first, end):
        start, stop = strip_span(text, raw_start, raw_end)
        if stop <= start or not re.search(r"\w", text[start:stop]):
            continue
        if pending is not None:
            start, pending = pending, None
        if stop < end and _ABBREVIATED_FRAGMENT.fullmatch(text, start, stop):
            pending = start
            continue
        spans.append((start, stop))
    if pending is not None:
        spans.append(strip_span(text, pending, end))
    return spans


def sentences(text: str) -> list[Sentence]:
    found: list[Sentence] = []
    for block_start, block_end in blocks(text):
        heading = bool(_HEADING.match(text, block_start))
        item = _LIST_ITEM.match(text, block_start, block_end)
        first = item.end() if item else block_start  # "1. " is not a sentence
        spans = _spans(text, first, block_end)
        speaker: str | None = None
        for index, (start, end) in enumerate(spans):
            label_end = start
            label = SPEAKER_LABEL.match(text, start, end)
            if label and index == 0:
                speaker = label.group(0).rstrip(": \t")
                label_end = label.end()
            found.append(
                Sentence(
                    start,
                    end,
                    block_start,
                    block_end,
                    heading,
                    bool(item),
                    len(spans) == 1,
                    speaker,
                    label_end,
                )
            )
    return found
