"""All checks over one (claim, passage) pair."""

from __future__ import annotations

from truthgraph.conflicts.dates import check_dates
from truthgraph.conflicts.entities import check_entities
from truthgraph.conflicts.findings import Finding
from truthgraph.conflicts.negation import check_negation
from truthgraph.conflicts.quantities import check_quantities


def check(claim: str, passage: str, *, title: str = "") -> list[Finding]:
    """Findings for one pair. Spans index into `claim` and `passage`; `title` (the
    passage's document title) counts as mentioned for entity checks."""
    return [
        *check_quantities(claim, passage),
        *check_dates(claim, passage),
        *check_entities(claim, passage, title=title),
        *check_negation(claim, passage),
    ]
