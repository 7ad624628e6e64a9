"""Numeric mentions in text: value, span, the words after it and a hedging qualifier.

Shared by the quantity and date checks: a bare integer from 1000 to 2100 with no unit
is read as a year by the date check and skipped by the quantity check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from truthgraph.conflicts.findings import Span

_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Qualifiers, longest first so "more than" wins over "more".
_QUALIFIERS = {
    "more than": "gt",
    "over": "gt",
    "above": "gt",
    "exceeding": "gt",
    "at least": "ge",
    "less than": "lt",
    "fewer than": "lt",
    "under": "lt",
    "below": "lt",
    "at most": "le",
    "up to": "le",
    "about": "approx",
    "around": "approx",
    "approximately": "approx",
    "roughly": "approx",
    "nearly": "approx",
    "almost": "approx",
    "some": "approx",
    "close to": "approx",
    "just over": "approx",
    "just under": "approx",
}
_QUALIFIER_RE = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))
_NUMBER_RE = re.compile(
    rf"(?:(?P<qual>{_QUALIFIER_RE})\s+)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
    + r")\b(?:\s*(?P<scale>thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_WORD_AFTER = re.compile(r"\s*(?:-\s*)?([A-Za-z°µ²³/%][\w°²³/%.-]*)")


@dataclass(frozen=True)
class NumberMention:
    value: float
    span: Span  # the number with its qualifier and scale
    qualifier: str  # "", "gt", "ge", "lt", "le" or "approx"
    integer_text: bool  # written as a plain integer (a year candidate)
    after: list[tuple[int, int, str]]  # the next words: (start, end, word)


def _value(raw: str) -> float:
    lowered = raw.lower()
    if lowered in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[lowered])
    return float(raw.replace(",", ""))


def words_after(text: str, pos: int, n: int = 3) -> list[tuple[int, int, str]]:
    words = []
    for _ in range(n):
        match = _WORD_AFTER.match(text, pos)
        if not match:
            break
        word = match.group(1).rstrip(".")
        words.append((match.start(1), match.start(1) + len(word), word))
        pos = match.end()
    return words


def find_numbers(text: str) -> list[NumberMention]:
    mentions = []
    for match in _NUMBER_RE.finditer(text):
        raw = match.group("num")
        value = _value(raw)
        if match.group("scale"):
            value *= _SCALES[match.group("scale").lower()]
        qualifier = _QUALIFIERS.get((match.group("qual") or "").lower(), "")
        mentions.append(
            NumberMention(
                value=value,
                span=Span(match.start(), match.end(), match.group(0)),
                qualifier=qualifier,
                integer_text=raw.isdigit() and not match.group("scale"),
                after=words_after(text, match.end()),
            )
        )
    return mentions
