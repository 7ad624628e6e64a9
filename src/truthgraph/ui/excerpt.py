"""A cited passage shown inside its document: the surrounding text with the passage
marked at its exact character offsets. Only a window around the passage is read from
the store, however long the document."""

from __future__ import annotations

from dataclasses import dataclass

from truthgraph.store.protocol import Store

CONTEXT_CHARS = 280


@dataclass(frozen=True)
class Excerpt:
    before: str
    marked: str
    after: str
    more_before: bool
    more_after: bool


def cut(window: str, window_start: int, start: int, end: int, *, at_end: bool) -> Excerpt:
    """Split `window` (document text from offset `window_start`) around [start, end),
    trimming the context to whole words where it was cut out of longer text.
    `at_end` says the window reaches the end of the document."""
    lo, hi = start - window_start, end - window_start
    before, marked, after = window[:lo], window[lo:hi], window[hi:]
    more_before = window_start > 0
    if more_before and " " in before:
        before = before[before.index(" ") + 1 :]
    more_after = not at_end
    if more_after and " " in after:
        after = after[: after.rindex(" ")]
    return Excerpt(before.strip(), marked, after.strip(), more_before, more_after)


def excerpt(
    store: Store, doc_id: str, start: int, end: int, passage: str, context: int = CONTEXT_CHARS
) -> Excerpt | None:
    """The passage in its context, or None when the document is gone or its text has
    changed since the passage was cited (the offsets no longer hold that passage)."""
    if start < 0 or end < start:
        return None
    window_start = max(0, start - context)
    window_end = end + context
    window = store.document_slice(doc_id, window_start, window_end)
    if window is None or window[start - window_start : end - window_start] != passage:
        return None
    at_end = len(window) < window_end - window_start
    return cut(window, window_start, start, end, at_end=at_end)
