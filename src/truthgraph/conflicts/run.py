"""All checks over one (claim, passage) pair."""

from __future__ import annotations

from truthgraph.conflicts.dates import check_dates
from truthgraph.conflicts.entities import check_entities
from truthgraph.conflicts.findings import Finding, Relation
from truthgraph.conflicts.negation import check_negation
from truthgraph.conflicts.quantities import check_quantities


def check(claim: str, passage: str, *, title: str = "") -> list[Finding]:
    """Findings for one pair. Spans index into `claim` and `passage`; `title` (the
    passage's document title) counts as mentioned for entity checks.

    A figure or year is compared only when the passage mentions every name of the
    claim: "published On the Origin of Species in 1871" is neither confirmed by "The
    Descent of Man, published in 1871" nor refuted by a year of some other event."""
    entities = check_entities(claim, passage, title=title)
    about_something_else = any(f.relation is Relation.ABSENT for f in entities)
    figures = (
        []
        if about_something_else
        else [*check_quantities(claim, passage), *check_dates(claim, passage)]
    )
    return [*figures, *entities, *check_negation(claim, passage)]
