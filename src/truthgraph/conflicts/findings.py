"""The result type of every check, and the per-kind counts the verdict uses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class FindingKind(StrEnum):
    NUMBER = "number"
    DATE = "date"
    ENTITY = "entity"
    NEGATION = "negation"


class Relation(StrEnum):
    MATCH = "match"
    CONFLICT = "conflict"
    ABSENT = "absent"  # the claim names something the passage never mentions


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of a text, with the text itself for messages."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    relation: Relation
    claim: Span
    passage: Span | None  # None when the passage side is an absence (e.g. no negation)

    def sentence(self, source: str = "") -> str:
        """One explanation sentence naming both spans; `source` says where the passage
        span sits (document id and offsets)."""
        where = f" ({source})" if source else ""
        said = f'"{self.passage.text}"' if self.passage else "nothing of the kind"
        if self.kind is FindingKind.NEGATION:
            return (
                f'The claim says "{self.claim.text}" where the passage says {said}{where}.'
                if self.passage
                else f'The claim is negated ("{self.claim.text}") and the passage is not{where}.'
            )
        if self.relation is Relation.ABSENT:
            return f'The passage does not mention "{self.claim.text}"{where}.'
        if self.relation is Relation.CONFLICT:
            return f'The claim says "{self.claim.text}"; the passage says {said}{where}.'
        return f'The passage confirms "{self.claim.text}" with {said}{where}.'


def summarise(findings: Iterable[Finding]) -> dict[str, int]:
    """Counts by `<kind>_<relation>`, the features the verdict model reads."""
    counts = {f"{k.value}_{r.value}": 0 for k in FindingKind for r in Relation}
    for finding in findings:
        counts[f"{finding.kind.value}_{finding.relation.value}"] += 1
    return counts
