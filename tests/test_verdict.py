"""The aggregation rules, and the label order they rely on."""

from __future__ import annotations

import pytest

from truthgraph.domain import (
    CANONICAL_LABELS,
    CitedEvidence,
    NLIScores,
    Passage,
    RetrievedPassage,
    Stance,
    Verdict,
)
from truthgraph.verdict import VerdictRules, decide


def cited(e: float, n: float, c: float, pid: int = 1) -> CitedEvidence:
    passage = Passage(id=pid, doc_id=f"doc-{pid}", text=f"passage {pid}", start=0, end=9)
    return CitedEvidence(RetrievedPassage(passage, fused_score=0.0), NLIScores(e, n, c))


def test_canonical_label_order_is_entailment_neutral_contradiction() -> None:
    assert [s.value for s in CANONICAL_LABELS] == ["entailment", "neutral", "contradiction"]
    assert NLIScores(0.1, 0.2, 0.7).as_tuple() == (0.1, 0.2, 0.7)
    assert NLIScores(0.1, 0.2, 0.7).stance is Stance.CONTRADICTION
    assert NLIScores(0.7, 0.2, 0.1).stance is Stance.ENTAILMENT


def test_refuting_evidence_is_never_scored_as_support() -> None:
    decision = decide([cited(0.02, 0.03, 0.95)])
    assert decision.verdict is Verdict.REFUTED
    assert decision.confidence == pytest.approx(0.95)
    assert decision.support == pytest.approx(0.02)


def test_one_entailing_passage_among_neutral_ones_supports() -> None:
    decision = decide(
        [cited(0.1, 0.85, 0.05, 1), cited(0.91, 0.05, 0.04, 2), cited(0.05, 0.9, 0.05, 3)]
    )
    assert decision.verdict is Verdict.SUPPORTED
    assert decision.confidence == pytest.approx(0.91)
    assert "1 passage," in decision.explanation
    assert "passage 2" in decision.explanation


def test_nothing_above_threshold_is_not_enough_info() -> None:
    decision = decide([cited(0.3, 0.4, 0.3), cited(0.45, 0.5, 0.05, 2)])
    assert decision.verdict is Verdict.NOT_ENOUGH_INFO
    assert decision.confidence == pytest.approx(0.55)


def test_no_evidence_is_not_enough_info_with_full_confidence() -> None:
    decision = decide([])
    assert decision.verdict is Verdict.NOT_ENOUGH_INFO
    assert decision.confidence == 1.0


def test_conflict_with_a_clear_winner_keeps_the_winner_at_reduced_confidence() -> None:
    decision = decide([cited(0.95, 0.03, 0.02, 1), cited(0.1, 0.3, 0.6, 2)])
    assert decision.verdict is Verdict.SUPPORTED
    assert decision.confidence == pytest.approx(0.35)
    decision = decide([cited(0.55, 0.4, 0.05, 1), cited(0.01, 0.02, 0.97, 2)])
    assert decision.verdict is Verdict.REFUTED
    assert decision.confidence == pytest.approx(0.42)


def test_balanced_conflict_is_not_enough_info() -> None:
    decision = decide([cited(0.8, 0.1, 0.1, 1), cited(0.1, 0.1, 0.8, 2)])
    assert decision.verdict is Verdict.NOT_ENOUGH_INFO
    assert "conflicts" in decision.explanation


def test_threshold_is_inclusive_and_configurable() -> None:
    assert decide([cited(0.5, 0.5, 0.0)]).verdict is Verdict.SUPPORTED
    strict = VerdictRules(threshold=0.8)
    assert decide([cited(0.7, 0.3, 0.0)], strict).verdict is Verdict.NOT_ENOUGH_INFO
