"""Figures with units, compared through pint."""

from __future__ import annotations

import pytest

from truthgraph.conflicts import FindingKind, Relation, check


def number_findings(claim: str, passage: str) -> list[tuple[str, str, str | None]]:
    return [
        (f.relation.value, f.claim.text, f.passage.text if f.passage else None)
        for f in check(claim, passage)
        if f.kind is FindingKind.NUMBER
    ]


PASSAGE = "The Danube flows for about 2,850 km before emptying into the Black Sea."


@pytest.mark.parametrize(
    ("claim", "relation"),
    [
        ("The Danube is more than 2,500 kilometres long.", "match"),
        ("The Danube is less than 2,000 km long.", "conflict"),
        ("The Danube is roughly 1,770 miles long.", "match"),  # converted, within 10 %
        ("The Danube is 1,200 miles long.", "conflict"),
        ("The Danube runs for about 2,850,000 metres.", "match"),
    ],
)
def test_lengths_are_compared_across_units_and_hedges(claim: str, relation: str) -> None:
    (finding,) = number_findings(claim, PASSAGE)
    assert finding[0] == relation
    assert finding[2] == "about 2,850 km"


def test_temperatures_convert_with_their_offsets() -> None:
    passage = "At sea level water boils at 100 °C."
    assert number_findings("It boils at 212 °F.", passage)[0][0] == "match"
    assert number_findings("It boils at 90 degrees Celsius.", passage)[0][0] == "conflict"


def test_bare_counts_compare_only_when_they_count_the_same_thing() -> None:
    assert number_findings("Saturn has 12 moons.", "Saturn has 146 known moons.")[0][0] == (
        "conflict"
    )
    assert number_findings("It has three levels.", "Visitors reach three public levels.") == [
        ("match", "three", "three")
    ]
    assert number_findings("It has 12 moons.", "It was visited by 4 probes.") == []


def test_years_are_not_quantities() -> None:
    findings = check("The bridge opened in 1932.", "The bridge opened in 1937.")
    assert [f.kind for f in findings] == [FindingKind.DATE]
    assert findings[0].relation is Relation.CONFLICT


def test_spans_index_into_both_texts() -> None:
    claim = "The Danube is 1,200 miles long."
    (finding,) = check(claim, PASSAGE)
    assert claim[finding.claim.start : finding.claim.end] == "1,200 miles"
    assert finding.passage is not None
    assert PASSAGE[finding.passage.start : finding.passage.end] == "about 2,850 km"


def test_a_figure_in_a_passage_about_something_else_is_not_compared() -> None:
    claim = "Darwin published On the Origin of Species in 1871."
    other_book = "He later applied his ideas in The Descent of Man, published in 1871."
    same_book = "Darwin published On the Origin of Species in 1859."
    kinds = {(f.kind.value, f.relation.value) for f in check(claim, other_book)}
    assert ("date", "match") not in kinds and ("entity", "absent") in kinds
    assert ("date", "conflict") in {
        (f.kind.value, f.relation.value) for f in check(claim, same_book)
    }


@pytest.mark.parametrize(
    "claim",
    [
        "The Danube is about 1,000 km longer than the Rhine.",
        "The Danube is three times longer than the Thames.",
        "The source lies 2,850 km farther from the sea than the delta.",
    ],
)
def test_a_difference_or_ratio_is_not_a_stated_length(claim: str) -> None:
    assert number_findings(claim, PASSAGE) == []


def test_a_difference_in_the_passage_is_not_a_rival() -> None:
    passage = "Everest rises to 8,849 metres, some 238 m higher than K2."
    assert number_findings("Everest is 8,849 m tall.", passage) == [
        ("match", "8,849 m", "8,849 metres")
    ]
    assert number_findings("Everest is 238 m tall.", passage) == [
        ("conflict", "238 m", "8,849 metres")
    ]
