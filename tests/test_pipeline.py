"""verify / verify_many end to end over real SQLite and real ONNX Runtime sessions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from truthgraph.aggregation import CLASSES, FEATURES
from truthgraph.domain import SourceDocument, Verdict
from truthgraph.inference.onnx import LocalInference
from truthgraph.ingest.service import Ingestor
from truthgraph.pipeline import CLAIMS_PER_ROUND, MAX_CLAIM_CHARS, ClaimError, Verifier
from truthgraph.store.sqlite import SQLiteStore


def load(verifier: Verifier, *docs: tuple[str, str]) -> None:
    items = [SourceDocument(id=i, text=t, title=i.title(), origin=i) for i, t in docs]
    Ingestor(verifier.store, verifier.inference).ingest_items(items)


def test_supported_claim_cites_the_entailing_passage_with_offsets(verifier: Verifier) -> None:
    text = "The cat sleeps in the city. The tower is in Paris, as confirmed in the year 1889."
    load(verifier, ("tower", text))
    result = verifier.verify("the tower is in paris")
    assert result.verdict is Verdict.SUPPORTED
    top = result.evidence[0]
    assert top.retrieved.passage.doc_id == "tower"
    assert text[top.retrieved.passage.start : top.retrieved.passage.end] == (
        "The tower is in Paris, as confirmed in the year 1889."
    )
    assert top.nli.entailment > 0.9
    assert result.models["nli"].startswith("test/tiny-nli")
    assert set(result.timings_ms) == {"embed", "retrieve", "nli"}


def test_refuting_passage_gives_refuted(verifier: Verifier) -> None:
    load(verifier, ("whale", "The blue whale was never the largest animal in the ocean."))
    result = verifier.verify("the blue whale is the largest animal")
    assert result.verdict is Verdict.REFUTED
    assert result.confidence > 0.9
    assert "Contradicted by 1 passage" in result.explanation


def test_empty_corpus_gives_not_enough_info(verifier: Verifier) -> None:
    result = verifier.verify("the bridge opened")
    assert (result.verdict, result.evidence) == (Verdict.NOT_ENOUGH_INFO, [])


def test_verify_many_keeps_input_order_across_rounds(verifier: Verifier) -> None:
    load(
        verifier,
        ("tower", "The tower is in Paris, confirmed."),
        ("dog", "The dog never runs in the city."),
    )
    claims = [
        f"the tower is in paris {i}" if i % 2 else f"the dog runs {i}"
        for i in range(CLAIMS_PER_ROUND + 4)
    ]
    results = list(verifier.verify_many(claims))
    assert [r.claim for r in results] == claims
    assert all(r.evidence for r in results)


def test_top_k_limits_cited_passages(verifier: Verifier) -> None:
    load(verifier, ("city", " ".join(f"The city had bridge number {n} built." for n in range(8))))
    assert len(verifier.verify("the city bridge", top_k=3).evidence) == 3


@pytest.mark.parametrize("claim", ["", "   ", "x" * (MAX_CLAIM_CHARS + 1)])
def test_unusable_claims_are_refused(verifier: Verifier, claim: str) -> None:
    with pytest.raises(ClaimError):
        verifier.verify(claim)


def test_search_modes(verifier: Verifier) -> None:
    load(verifier, ("tower", "The tower is in Paris. The whale swims in the ocean."))
    lexical = verifier.search("whale", mode="lexical")
    assert [h.passage.text for h in lexical] == ["The whale swims in the ocean."]
    assert lexical[0].vector_rank is None and lexical[0].lexical_rank == 1
    vector = verifier.search("whale ocean", mode="vector")
    assert vector[0].lexical_rank is None and vector[0].vector_rank == 1


def test_passages_of_one_document_are_also_read_together(verifier: Verifier) -> None:
    text = "The tower is in Paris. The tower was built in the year 1889."
    load(verifier, ("tower", text))
    result = verifier.verify("the tower in paris was built in 1889")
    (window,) = [w for w in result.windows if len(w.passages) == 2]
    assert window.text == text  # the title is named in the passages already
    for member in window.passages:
        passage = member.passage
        assert text[passage.start : passage.end] == passage.text


def test_conflict_findings_carry_document_offsets(verifier: Verifier) -> None:
    text = "The cat sleeps. The tower opened in the year 1889."
    load(verifier, ("tower", text))
    result = verifier.verify("The tower opened in 1900")
    dates = [f for f in result.findings if f.finding.kind.value == "date"]
    assert dates and dates[0].finding.relation.value == "conflict"
    span = dates[0].finding.passage
    assert span is not None
    start = dates[0].passage.start + span.start
    assert text[start : start + 4] == "1889"
    assert "(tower [45:49])" in dates[0].sentence()


def test_learned_weights_in_the_manifest_decide(
    store: SQLiteStore, tiny_models: tuple[Path, Path], tmp_path: Path
) -> None:
    """A model whose verdict weights answer REFUTED on a date conflict, whatever NLI says."""
    nli_dir = tmp_path / "nli"
    shutil.copytree(tiny_models[1], nli_dir)
    manifest = json.loads((nli_dir / "manifest.json").read_text())
    weights = [[0.0] * len(FEATURES) for _ in CLASSES]
    weights[1][FEATURES.index("date_conflict")] = 8.0
    manifest["verdict"] = {
        "features": list(FEATURES),
        "classes": [c.value for c in CLASSES],
        "weights": weights,
        "bias": [0.0, 0.0, 1.0],
    }
    (nli_dir / "manifest.json").write_text(json.dumps(manifest))
    verifier = Verifier(store, LocalInference(tiny_models[0], nli_dir, threads=1), top_k=3)
    load(verifier, ("tower", "The tower is true. The tower opened in the year 1889."))
    assert verifier.verify("The tower opened in 1900").verdict is Verdict.REFUTED
    agreeing = verifier.verify("The tower opened in 1889")
    assert agreeing.verdict is Verdict.NOT_ENOUGH_INFO
    assert 0.0 < agreeing.confidence < 1.0


def test_a_conflict_another_passage_settles_does_not_count() -> None:
    from truthgraph.conflicts import check
    from truthgraph.domain import CitedFinding, Passage
    from truthgraph.pipeline import without_settled_conflicts

    claim = "Fleming discovered penicillin in 1928."
    discovery = Passage(1, "penicillin", "Fleming discovered penicillin in 1928.", 0, 38)
    paper = Passage(2, "penicillin", "Fleming published his findings in 1929.", 39, 78)
    findings = [CitedFinding(f, p) for p in (discovery, paper) for f in check(claim, p.text)]
    kinds = {(f.finding.relation.value, f.passage.id) for f in findings}
    assert ("conflict", 2) in kinds and ("match", 1) in kinds
    kept = without_settled_conflicts(findings)
    assert all(f.finding.relation.value != "conflict" for f in kept)
    # Alone, the conflicting passage still counts.
    alone = [f for f in findings if f.passage.id == 2]
    assert without_settled_conflicts(alone) == alone
