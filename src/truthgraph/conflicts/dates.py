"""Years, decades and centuries: "1915" against "1912", "in the 1880s" against "1887",
"the 19th century" against "1863". Years before, after or since a date are left to the
NLI model: a passage usually holds several years and the check cannot know which one a
comparison is about."""

from __future__ import annotations

import re
from dataclasses import dataclass

from truthgraph.conflicts.findings import Finding, FindingKind, Relation, Span
from truthgraph.conflicts.numbers import find_numbers

_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty-first": 21,
}
_DECADE = re.compile(r"\b(1\d\d0|20[0-2]0)s\b")
_CENTURY = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)\s+century\b|\b("
    + "|".join(sorted(_ORDINALS, key=len, reverse=True))
    + r")\s+century\b",
    re.IGNORECASE,
)
_ERA_AFTER = {"bc": -1, "bce": -1, "ad": 1, "ce": 1}
_COMPARISON_BEFORE = re.compile(
    r"(?:before|after|since|until|by|from|till|prior to|later than|earlier than)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    first: int  # first and last year covered: equal for a year, ten apart for a decade
    last: int
    span: Span
    compared: bool  # "before 1900", "since 1990": not checked


def dates(text: str) -> list[DateMention]:
    found: list[DateMention] = []
    for m in find_numbers(text):
        after = m.after[0][2].lower() if m.after else ""
        era = _ERA_AFTER.get(after.replace(".", ""), 0)
        if not m.integer_text or not (era or 1000 <= m.value <= 2100):
            continue
        year = int(m.value) * (era or 1)
        end = m.after[0][1] if era else m.span.end
        compared = bool(_COMPARISON_BEFORE.search(text[: m.span.start]))
        found.append(
            DateMention(year, year, Span(m.span.start, end, text[m.span.start : end]), compared)
        )
    for match in _DECADE.finditer(text):
        first = int(match.group(1))
        compared = bool(_COMPARISON_BEFORE.search(text[: match.start()]))
        found.append(
            DateMention(
                first, first + 9, Span(match.start(), match.end(), match.group(0)), compared
            )
        )
    for match in _CENTURY.finditer(text):
        number = int(match.group(1)) if match.group(1) else _ORDINALS[match.group(2).lower()]
        compared = bool(_COMPARISON_BEFORE.search(text[: match.start()]))
        found.append(
            DateMention(
                (number - 1) * 100 + 1,
                number * 100,
                Span(match.start(), match.end(), match.group(0)),
                compared,
            )
        )
    return found


def _within(inner: DateMention, outer: DateMention) -> bool:
    return outer.first <= inner.first and inner.last <= outer.last


def check_dates(claim: str, passage: str) -> list[Finding]:
    passage_dates = [d for d in dates(passage) if d.first == d.last]  # exact years only
    if not passage_dates:
        return []
    findings = []
    for mention in dates(claim):
        if mention.compared:
            continue
        matching = [p for p in passage_dates if _within(p, mention)]
        if matching:
            findings.append(
                Finding(FindingKind.DATE, Relation.MATCH, mention.span, matching[0].span)
            )
            continue
        nearest = min(passage_dates, key=lambda p: abs(p.first - mention.first))
        findings.append(Finding(FindingKind.DATE, Relation.CONFLICT, mention.span, nearest.span))
    return findings
