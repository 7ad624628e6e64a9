"""Precision and recall of the claim finder against hand-marked check-worthy sentences.

Sentence boundaries may differ slightly between the finder and the person who marked
the text (a speaker label, a closing quote), so a found sentence matches a marked one
when they overlap by at least `MIN_OVERLAP` of the shorter; each is matched once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from truthgraph.claimfinder import find_claims

MIN_OVERLAP = 0.5
Span = tuple[int, int]


@dataclass(frozen=True)
class TextScore:
    found: int
    marked: int
    matched: int
    missed: list[Span]  # marked, not found
    extra: list[Span]  # found, not marked


def marked_spans(text: str, claims: Sequence[str]) -> list[Span]:
    """Offsets of each marked sentence, searched in order (a sentence may repeat)."""
    spans, position = [], 0
    for claim in claims:
        start = text.find(claim, position)
        if start < 0:
            start = text.find(claim)
        if start < 0:
            raise ValueError(f"marked sentence not in the text: {claim[:60]!r}")
        spans.append((start, start + len(claim)))
        position = start + len(claim)
    return spans


def _overlap(a: Span, b: Span) -> float:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    longer = max(a[1] - a[0], b[1] - b[0])
    return shared / longer if longer > 0 and shared > 0 else 0.0


def match(found: Sequence[Span], marked: Sequence[Span]) -> TextScore:
    unmatched = list(marked)
    extra = []
    for span in found:
        best = max(unmatched, key=lambda m: _overlap(span, m), default=None)
        if best is not None and _overlap(span, best) >= MIN_OVERLAP:
            unmatched.remove(best)
        else:
            extra.append(span)
    matched = len(found) - len(extra)
    return TextScore(len(found), len(marked), matched, unmatched, extra)


def found_sentences(text: str) -> list[Span]:
    """The sentences the finder keeps (a split sentence counts once)."""
    seen: dict[Span, None] = {}
    for claim in find_claims(text).claims:
        seen[(claim.sentence_start, claim.sentence_end)] = None
    return list(seen)


def precision_recall(scores: Iterable[TextScore]) -> tuple[float, float]:
    found = marked = matched_found = matched_marked = 0
    for score in scores:
        found += score.found
        marked += score.marked
        matched_found += score.matched
        matched_marked += score.marked - len(score.missed)
    precision = matched_found / found if found else 1.0
    recall = matched_marked / marked if marked else 1.0
    return precision, recall
