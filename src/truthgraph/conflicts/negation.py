"""Negation on one side only: "was never stolen" against "was stolen in 1911". Only a
hint (the negated clause may be another one), so the verdict model gives it its weight."""

from __future__ import annotations

import re

from truthgraph.conflicts.findings import Finding, FindingKind, Relation, Span

_NEGATION = re.compile(
    r"\b(?:not|never|no|none|nobody|nothing|neither|nor|without|cannot)\b|n't\b",
    re.IGNORECASE,
)


def check_negation(claim: str, passage: str) -> list[Finding]:
    in_claim = _NEGATION.search(claim)
    in_passage = _NEGATION.search(passage)
    if bool(in_claim) == bool(in_passage):
        return []
    if in_claim:
        span = Span(in_claim.start(), in_claim.end(), in_claim.group(0))
        return [Finding(FindingKind.NEGATION, Relation.CONFLICT, span, None)]
    assert in_passage is not None
    span = Span(in_passage.start(), in_passage.end(), in_passage.group(0))
    return [Finding(FindingKind.NEGATION, Relation.CONFLICT, Span(0, 0, ""), span)]
