"""The claim finder on texts whose every sentence has a known fate."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from truthgraph.claimfinder import find_claims
from truthgraph.claimfinder.segments import blocks, sentences
from truthgraph.claimfinder.worthiness import judge

ARTICLE = """# A century of discovery

Where did the modern world of science come from?
Marie Curie was born in Warsaw in 1867 and moved to Paris in 1891.
She shared the Nobel Prize in Physics in 1903.
Honestly, I think nothing beats the story of the Wright brothers.
Prices could rise again next year.
Book your tickets early.
Read more: the series continues next week
"""


def test_keeps_statements_and_says_why_the_rest_was_skipped() -> None:
    found = find_claims(ARTICLE)
    assert [c.text for c in found.claims] == [
        "Marie Curie was born in Warsaw in 1867.",
        "Marie Curie moved to Paris in 1891.",
        "Marie Curie shared the Nobel Prize in Physics in 1903.",
    ]
    assert [(ARTICLE[s.start : s.end], s.reason) for s in found.skipped] == [
        ("A century of discovery", "heading"),
        ("Where did the modern world of science come from?", "question"),
        ("Honestly, I think nothing beats the story of the Wright brothers.", "opinion"),
        ("Prices could rise again next year.", "speculation"),
        ("Book your tickets early.", "instruction"),
        ("Read more: the series continues next week", "boilerplate"),
    ]


def test_a_split_sentence_maps_each_claim_to_its_own_words() -> None:
    first, second, third = find_claims(ARTICLE).claims
    assert ARTICLE[first.start : first.end] == "Marie Curie was born in Warsaw in 1867"
    assert ARTICLE[second.start : second.end] == "moved to Paris in 1891."
    assert first.sentence_start == second.sentence_start and first.start == first.sentence_start
    assert ARTICLE[second.sentence_start : second.sentence_end].endswith("in 1891.")
    assert first.rewritten and second.rewritten  # a full stop added; the subject restored
    assert ARTICLE[third.start : third.end] == "She shared the Nobel Prize in Physics in 1903."
    assert third.rewritten


@pytest.mark.parametrize(
    "sentence",
    [
        "The Amazon River flows into the Atlantic Ocean.",
        "Water boils at 100 degrees Celsius at sea level.",
        "Cats are mammals.",
        "The stunning bridge, opened in 1937, spans 2.7 km.",
        "Dr. Fleming discovered penicillin in 1928.",
        "In May 1945 the war in Europe ended.",
    ],
)
def test_statements_of_fact_are_check_worthy(sentence: str) -> None:
    assert judge(sentence).worthy, judge(sentence)


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Was the tower really finished in 1889?", "question"),
        ("It was the best film of the decade.", "opinion"),
        ("The company may open a third factory in 2027.", "speculation"),
        ("Things have changed a lot.", "no_checkable_content"),
        ("Visit the museum on a weekday morning.", "instruction"),
        ("Subscribe to our newsletter for more stories.", "boilerplate"),
        ("I loved every minute of it.", "opinion"),
    ],
)
def test_other_sentences_are_skipped_with_their_reason(sentence: str, reason: str) -> None:
    assert judge(sentence).reason == reason


def test_a_pronoun_is_resolved_only_to_a_name() -> None:
    text = "The Eiffel Tower was completed in 1889. It is 330 metres tall."
    assert [c.text for c in find_claims(text).claims] == [
        "The Eiffel Tower was completed in 1889.",
        "The Eiffel Tower is 330 metres tall.",
    ]
    unnamed = "The old bridge was finished in 1889. It is 330 metres tall."
    assert find_claims(unnamed).claims[1].text == "It is 330 metres tall."


def test_lines_structure_the_text() -> None:
    text = (
        "## Early life\nHOST: Ada Lovelace was born in London in 1815.\n"
        "- She published her notes in 1843\n"
        "A long line of prose that the writer wrapped by hand at seventy-two columns\n"
        "continues here and ends in 1900.\n"
    )
    spans = [text[s.start : s.end] for s in sentences(text)]
    assert spans == [
        "Early life",
        "HOST: Ada Lovelace was born in London in 1815.",
        "She published her notes in 1843",
        "A long line of prose that the writer wrapped by hand at seventy-two columns\n"
        "continues here and ends in 1900.",
    ]
    claims = find_claims(text).claims
    assert claims[0].text == "Ada Lovelace was born in London in 1815."
    assert text[claims[0].start : claims[0].end] == claims[0].text  # label left out
    assert len(blocks(text)) == 4


def test_a_text_without_statements_has_no_claims() -> None:
    found = find_claims("What happened next? Nobody knows. Stay tuned!")
    assert found.claims == [] and found.sentences == 3


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Ab1 .?!\n#-:'\"IXt")), max_size=200))
def test_spans_always_lie_inside_the_text_in_order(text: str) -> None:
    found = find_claims(text)
    position = 0
    for claim in found.claims:
        assert 0 <= claim.sentence_start <= claim.start < claim.end <= claim.sentence_end
        assert claim.sentence_end <= len(text)
        assert claim.start >= position and claim.text.strip()
        position = claim.start
    for skipped in found.skipped:
        assert 0 <= skipped.start < skipped.end <= len(text)
