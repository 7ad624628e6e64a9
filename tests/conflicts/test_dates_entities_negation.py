"""Years, names in the same slot, and one-sided negation."""

from __future__ import annotations

from truthgraph.conflicts import Finding, FindingKind, Relation, check, summarise
from truthgraph.conflicts.findings import Span


def of_kind(kind: FindingKind, claim: str, passage: str, title: str = "") -> list[Finding]:
    return [f for f in check(claim, passage, title=title) if f.kind is kind]


def test_a_different_year_conflicts_with_the_nearest_one() -> None:
    (finding,) = of_kind(
        FindingKind.DATE,
        "The ship sank in 1915.",
        "Launched in 1911, the ship sank on its first voyage in 1912.",
    )
    assert finding.relation is Relation.CONFLICT
    assert finding.passage is not None and finding.passage.text == "1912"
    assert finding.sentence("rms-titanic [40:44]") == (
        'The claim says "1915"; the passage says "1912" (rms-titanic [40:44]).'
    )


def test_decades_centuries_and_eras_match_years_inside_them() -> None:
    passage = "Opened in 1863, the line was the first underground railway."
    for claim in (
        "It opened in the 1860s.",
        "It opened in the 19th century.",
        "It opened in the nineteenth century.",
    ):
        (finding,) = of_kind(FindingKind.DATE, claim, passage)
        assert finding.relation is Relation.MATCH, claim
    (bc,) = of_kind(
        FindingKind.DATE, "China was unified in 221 BC.", "Qin Shi Huang unified China in 221 BC."
    )
    assert bc.relation is Relation.MATCH
    assert of_kind(FindingKind.DATE, "It opened in the 20th century.", passage)[0].relation is (
        Relation.CONFLICT
    )


def test_years_after_before_or_since_are_left_to_the_model() -> None:
    assert of_kind(FindingKind.DATE, "It opened before 1900.", "It opened in 1863.") == []


def test_a_different_name_in_the_same_slot_conflicts() -> None:
    (finding,) = of_kind(
        FindingKind.ENTITY,
        "Photo 51 was taken at Cambridge.",
        "Photo 51 was taken in 1952 at King's College London.",
    )
    assert finding.relation is Relation.CONFLICT
    assert finding.passage is not None and finding.passage.text == "King's College London"


def test_the_slot_word_may_stand_a_few_words_before_the_name_it_governs() -> None:
    (finding,) = of_kind(
        FindingKind.ENTITY,
        "The Mona Lisa was painted by Michelangelo.",
        "The Mona Lisa is a portrait painted by the Italian artist Leonardo da Vinci.",
    )
    assert finding.relation is Relation.CONFLICT
    assert finding.passage is not None and finding.passage.text == "Leonardo da Vinci"
    # The first slot of that word is the rival, not a later one; punctuation ends a slot.
    (born,) = of_kind(
        FindingKind.ENTITY, "He was born in Munich.", "He was born in Ulm and died in Princeton."
    )
    assert born.passage is not None and born.passage.text == "Ulm"
    (apart,) = of_kind(
        FindingKind.ENTITY, "It was built by Eiffel.", "It was built by 1889, Koechlin"
    )
    assert apart.relation is Relation.ABSENT


def test_a_name_the_passage_never_mentions_is_absent_and_the_title_counts() -> None:
    (absent,) = of_kind(FindingKind.ENTITY, "Rutherford discovered it.", "It was found in 1911.")
    assert absent.relation is Relation.ABSENT
    assert of_kind(
        FindingKind.ENTITY,
        "Rutherford discovered it in Manchester.",
        "It was found in Manchester.",
        title="Ernest Rutherford",
    )[0].relation is (Relation.MATCH)


def test_negation_on_one_side_only_is_flagged() -> None:
    (finding,) = of_kind(
        FindingKind.NEGATION, "The painting was never stolen.", "The painting was stolen in 1911."
    )
    assert finding.relation is Relation.CONFLICT and finding.claim.text == "never"
    assert of_kind(FindingKind.NEGATION, "It was not stolen.", "It was not found.") == []


def test_summary_counts_every_kind_and_relation() -> None:
    finding = Finding(FindingKind.DATE, Relation.CONFLICT, Span(0, 4, "1915"), None)
    counts = summarise([finding, finding])
    assert counts["date_conflict"] == 2
    assert counts["number_match"] == 0
    assert len(counts) == 12
