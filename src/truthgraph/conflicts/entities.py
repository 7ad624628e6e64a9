"""Names in the same slot: "taken at Cambridge" against "taken at King's College
London". A capitalised name of the claim that the passage lacks is reported as absent;
if the passage has another name after the same word ("at", "by", "in"...), the two
are reported as a conflict. The slot word may stand a few words before the name
("painted by the Italian artist Leonardo da Vinci"), never across punctuation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from truthgraph.conflicts.findings import Finding, FindingKind, Relation, Span

_NAME = re.compile(
    r"[A-Z][\w'’.-]*(?:\s+(?:(?:of|the|de|del|da|di|von|van|der|la|le|and)\s+)*[A-Z][\w'’.-]*)*"
)
# Capitalised only because they open a sentence, or too common to be a name.
_NOT_NAMES = frozenset(
    "a about after all also an and as at before both but by during each for from he her "
    "his however i if in is it its many more most no not of on one only or over she since "
    "some that the their there these they this those to under until was we when where "
    "which while who with yes you celsius fahrenheit kelvin".split()
)
_SLOT_WORDS = frozenset("at in by from to of near for with against under into on than as".split())
# How far back a slot word may stand: "by the Italian artist Leonardo" is three words.
_SLOT_REACH = 4


@dataclass(frozen=True)
class Name:
    span: Span
    slot: str  # the lower-cased slot word before the name (else the word right before it)
    slot_at: int = -1  # which word of the text the slot word is; names after one share it


def names(text: str) -> list[Name]:
    found = []
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        start = match.start()
        while words and words[0].lower().rstrip(".'’") in _NOT_NAMES:  # "The Hague" keeps "Hague"
            start = text.index(words[1], start) if len(words) > 1 else match.end()
            words = words[1:]
        if not words or len(" ".join(words)) < 2:  # "F" in "212 °F" is no name
            continue
        slot, slot_at = _slot(text[:start].split())
        span = Span(start, match.end(), text[start : match.end()].rstrip(".'’"))
        if len(span.text) < 2:  # "F." ending "212 °F." is a unit, not a name
            continue
        found.append(Name(Span(span.start, span.start + len(span.text), span.text), slot, slot_at))
    return found


def _slot(before: list[str]) -> tuple[str, int]:
    """The nearest slot word among the last few words before a name, and its word
    index; else the word right before it (lower-cased), which is then no slot word."""
    for back, word in enumerate(reversed(before[-_SLOT_REACH:])):
        if word[-1] in ',;:.!?)"”':
            break
        if word.lower() in _SLOT_WORDS:
            return word.lower(), len(before) - 1 - back
    return (before[-1].lower().strip(",;:") if before else ""), -1


def _mentioned(name: str, haystack: str) -> bool:
    return name.casefold() in haystack


def check_entities(claim: str, passage: str, *, title: str = "") -> list[Finding]:
    haystack = f"{title}\n{passage}".casefold()
    passage_names = names(passage)
    findings = []
    for name in names(claim):
        if _mentioned(name.span.text, haystack):
            if name.slot in _SLOT_WORDS:
                at = haystack.index(name.span.text.casefold()) - len(title) - 1
                other = Span(max(at, 0), max(at, 0) + len(name.span.text), name.span.text)
                findings.append(Finding(FindingKind.ENTITY, Relation.MATCH, name.span, other))
            continue
        # A partial mention ("Curie" for "Pierre Curie") decides nothing either way.
        tokens = [t for t in name.span.text.split() if len(t) > 3]
        if any(_mentioned(t, haystack) for t in tokens):
            continue
        rivals = [
            p
            for p in passage_names
            if p.slot == name.slot
            and name.slot in _SLOT_WORDS
            and not _mentioned(p.span.text, claim.casefold())
        ]
        relation = Relation.CONFLICT if rivals else Relation.ABSENT
        # Of several names after the first such slot word, the last is its head
        # ("by the Italian artist Leonardo da Vinci").
        rival = [r for r in rivals if r.slot_at == rivals[0].slot_at][-1] if rivals else None
        findings.append(
            Finding(FindingKind.ENTITY, relation, name.span, rival.span if rival else None)
        )
    return findings
