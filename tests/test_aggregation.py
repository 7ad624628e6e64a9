"""The learned verdict model: features, weights from a manifest, explanations."""

from __future__ import annotations

import pytest

from truthgraph.aggregation import (
    CLASSES,
    FEATURES,
    VerdictModel,
    VerdictModelError,
    decide_learned,
    features,
)
from truthgraph.conflicts import check
from truthgraph.domain import (
    CitedEvidence,
    CitedFinding,
    EvidenceWindow,
    NLIScores,
    Passage,
    RetrievedPassage,
    Verdict,
)


def cited(text: str, e: float, n: float, c: float, pid: int = 1) -> CitedEvidence:
    passage = Passage(
        id=pid, doc_id=f"doc-{pid}", text=text, start=100, end=100 + len(text), title="Titanic"
    )
    return CitedEvidence(
        RetrievedPassage(passage, fused_score=1.0, vector_score=0.8), NLIScores(e, n, c)
    )


def weights_for(feature: str, cls: Verdict, value: float = 5.0) -> dict[str, object]:
    """A model that answers `cls` when `feature` is high and NOT_ENOUGH_INFO otherwise."""
    rows = [[0.0] * len(FEATURES) for _ in CLASSES]
    rows[CLASSES.index(cls)][FEATURES.index(feature)] = value
    return {
        "features": list(FEATURES),
        "classes": [c.value for c in CLASSES],
        "weights": rows,
        "bias": [0.0, 0.0, 1.0],
    }


def test_features_read_passages_windows_and_conflicts() -> None:
    claim = "The ship sank in 1915."
    evidence = [cited("The ship sank in 1912 on its first voyage.", 0.1, 0.2, 0.7)]
    window = EvidenceWindow((evidence[0].retrieved,), "text", NLIScores(0.6, 0.3, 0.1))
    findings = [
        CitedFinding(f, evidence[0].retrieved.passage)
        for f in check(claim, evidence[0].retrieved.passage.text)
    ]
    values = features(claim, evidence, [window], findings)
    assert values["refute"] == pytest.approx(0.7)
    assert values["window_support"] == pytest.approx(0.6)
    assert values["date_conflict"] == 1.0
    assert values["date_match"] == 0.0
    assert values["top_similarity"] == pytest.approx(0.8)
    assert values["names_absent"] == 0.0


def test_a_claim_about_names_no_passage_mentions_scores_names_absent() -> None:
    evidence = [cited("The ship sank in 1912.", 0.1, 0.8, 0.1)]
    assert features("Lusitania sank off Kinsale.", evidence, [], [])["names_absent"] == 1.0


def test_weights_decide_and_the_explanation_names_the_conflict() -> None:
    model = VerdictModel.from_dict(weights_for("date_conflict", Verdict.REFUTED))
    claim = "The ship sank in 1915."
    evidence = [cited("The ship sank in 1912 on its first voyage.", 0.1, 0.8, 0.1)]
    findings = [
        CitedFinding(f, evidence[0].retrieved.passage)
        for f in check(claim, evidence[0].retrieved.passage.text)
    ]
    decision = decide_learned(model, claim, evidence, [], findings)
    assert decision.verdict is Verdict.REFUTED
    assert 0.5 < decision.confidence < 1.0
    assert 'The claim says "1915"; the passage says "1912" (doc-1 [117:121])' in (
        decision.explanation
    )
    no_conflict = decide_learned(model, "The ship sank in 1912.", evidence, [], [])
    assert no_conflict.verdict is Verdict.NOT_ENOUGH_INFO


def test_probabilities_sum_to_one() -> None:
    model = VerdictModel.from_dict(weights_for("support", Verdict.SUPPORTED))
    probs = model.probabilities(dict.fromkeys(FEATURES, 0.5))
    assert sum(probs.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "broken",
    [
        {"features": ["support"]},
        {"classes": ["REFUTED", "SUPPORTED", "NOT_ENOUGH_INFO"]},
        {"weights": [[0.0] * len(FEATURES)]},
        {"bias": [0.0]},
    ],
)
def test_malformed_weights_are_refused(broken: dict[str, object]) -> None:
    data = {**weights_for("support", Verdict.SUPPORTED), **broken}
    with pytest.raises(VerdictModelError):
        VerdictModel.from_dict(data)
