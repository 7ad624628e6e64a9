"""Figures with units: "2,850 km" against "1,770 miles", "more than 300 m" against "330
metres". Units are parsed and converted with pint, a maintained units library; a
figure without a unit is compared only with one that counts the same noun."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from truthgraph.conflicts.findings import Finding, FindingKind, Relation, Span
from truthgraph.conflicts.numbers import NumberMention, find_numbers, words_after

# Short English words pint would read as units ("a" = year, "in" = inch, "at" = atmosphere).
_NOT_UNITS = frozenset(
    "a an and are as at be by for from in is it of on or per than that the this to was "
    "were with s h t b c d e f k l n p q r u v w x y z year years old".split()
)
# Temperature scales spelled out, which pint reads as "degree * Celsius".
_SPELLED_UNITS = {
    f"{deg} {scale}": symbol
    for deg in ("degree", "degrees")
    for scale, symbol in (("celsius", "degC"), ("fahrenheit", "degF"), ("kelvin", "kelvin"))
}
_ERAS = frozenset({"bc", "bce", "ad", "ce"})
# A figure followed by one of these is a difference or a ratio ("840 km shorter than the
# Yangtze", "three times heavier"), not the size of anything the passage states.
_RELATIVE = frozenset(
    "shorter longer taller higher lower deeper shallower wider narrower larger smaller "
    "bigger heavier lighter faster slower older younger earlier later more less fewer "
    "farther further closer nearer greater hotter colder warmer cooler "
    "times than".split()
)
# Ordinary rounding of an exact figure; converted or hedged figures get more room.
_EXACT_TOLERANCE = 0.02
_LOOSE_TOLERANCE = 0.1


@cache
def _registry() -> Any:
    import pint  # imported on first use: building the registry takes ~0.4 s

    return pint.UnitRegistry()


@dataclass(frozen=True)
class Quantity:
    mention: NumberMention
    magnitude: Any  # a pint Quantity, or None for a bare count
    nouns: frozenset[str]  # what a bare count may count ("known", "moon"), singular
    span: Span  # number and unit together


def _unit(words: list[tuple[int, int, str]]) -> tuple[Any, int] | None:
    """The longest run of the next words that names a physical unit, and its end."""
    registry = _registry()
    for n in (3, 2, 1):
        if len(words) < n:
            continue
        phrase = " ".join(w for _, _, w in words[:n])
        if n == 1 and phrase.lower() in _NOT_UNITS:
            continue
        phrase = _SPELLED_UNITS.get(phrase.lower(), phrase)
        try:
            unit = registry.parse_expression(phrase.replace("²", "**2").replace("³", "**3"))
        except Exception:  # pint raises many error types for non-units
            continue
        if hasattr(unit, "dimensionality") and not unit.dimensionless:
            return unit, words[n - 1][1]
    return None


def _singular(word: str) -> str:
    word = word.lower()
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _relative(text: str, end: int) -> bool:
    following = words_after(text, end, 1)
    return bool(following) and following[0][2].lower() in _RELATIVE


def quantities(text: str) -> list[Quantity]:
    found = []
    for mention in find_numbers(text):
        if mention.after and mention.after[0][2].lower() in _ERAS:
            continue  # "221 BC" is a date
        parsed = _unit(mention.after)
        if _relative(text, parsed[1] if parsed else mention.span.end):
            continue
        if parsed is None:
            if mention.integer_text and 1000 <= mention.value <= 2100:
                continue  # a year: the date check's business
            nouns = frozenset(_singular(w) for _, _, w in mention.after[:2]) - _NOT_UNITS
            if nouns:
                found.append(Quantity(mention, None, nouns, mention.span))
            continue
        unit, end = parsed
        units = getattr(unit, "units", unit)
        magnitude = _registry().Quantity(mention.value, units)
        span = Span(mention.span.start, end, text[mention.span.start : end])
        found.append(Quantity(mention, magnitude, frozenset(), span))
    return found


def _comparable(claim: Quantity, passage: Quantity) -> bool:
    if claim.magnitude is None or passage.magnitude is None:
        both_counts = claim.magnitude is None and passage.magnitude is None
        return both_counts and bool(claim.nouns & passage.nouns)
    return bool(claim.magnitude.dimensionality == passage.magnitude.dimensionality)


def _values(claim: Quantity, passage: Quantity) -> tuple[float, float, bool]:
    """(claim value, passage value in the claim's unit, whether the units differ)."""
    if claim.magnitude is None:
        return claim.mention.value, passage.mention.value, False
    try:
        converted = passage.magnitude.to(claim.magnitude.units)
    except Exception:  # pint's conversion errors; treat as not comparable
        return float(claim.magnitude.magnitude), float("nan"), True
    differ = str(claim.magnitude.units) != str(passage.magnitude.units)
    return float(claim.magnitude.magnitude), float(converted.magnitude), differ


def agrees(claim: Quantity, passage: Quantity) -> bool:
    c, p, converted = _values(claim, passage)
    qualifier = claim.mention.qualifier
    if qualifier == "gt":
        return p > c
    if qualifier == "ge":
        return p >= c
    if qualifier == "lt":
        return p < c
    if qualifier == "le":
        return p <= c
    loose = converted or qualifier == "approx" or passage.mention.qualifier == "approx"
    tolerance = _LOOSE_TOLERANCE if loose else _EXACT_TOLERANCE
    return abs(p - c) <= tolerance * max(abs(c), abs(p), 1e-9)


def check_quantities(claim: str, passage: str) -> list[Finding]:
    passage_quantities = quantities(passage)
    findings = []
    for quantity in quantities(claim):
        rivals = [p for p in passage_quantities if _comparable(quantity, p)]
        if not rivals:
            continue
        matching = [p for p in rivals if agrees(quantity, p)]
        relation = Relation.MATCH if matching else Relation.CONFLICT
        other = (matching or rivals)[0]
        findings.append(Finding(FindingKind.NUMBER, relation, quantity.span, other.span))
    return findings
