"""Plain-dict forms of results: the JSON that the CLI prints and JSONL files hold."""

from __future__ import annotations

from typing import Any

from truthgraph.domain import CitedEvidence, RetrievedPassage, VerificationResult


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def retrieved_to_dict(hit: RetrievedPassage) -> dict[str, Any]:
    passage = hit.passage
    return {
        "passage_id": passage.id,
        "doc_id": passage.doc_id,
        "title": passage.title,
        "url": passage.url,
        "text": passage.text,
        "start": passage.start,
        "end": passage.end,
        "scores": {
            "fused": _round(hit.fused_score),
            "vector": _round(hit.vector_score),
            "vector_rank": hit.vector_rank,
            "lexical": _round(hit.lexical_score),
            "lexical_rank": hit.lexical_rank,
        },
    }


def evidence_to_dict(evidence: CitedEvidence) -> dict[str, Any]:
    data = retrieved_to_dict(evidence.retrieved)
    data["stance"] = evidence.stance.value
    data["nli"] = {
        "entailment": _round(evidence.nli.entailment),
        "neutral": _round(evidence.nli.neutral),
        "contradiction": _round(evidence.nli.contradiction),
    }
    return data


def result_to_dict(result: VerificationResult) -> dict[str, Any]:
    return {
        "claim": result.claim,
        "verdict": result.verdict.value,
        "confidence": result.confidence,
        "explanation": result.explanation,
        "evidence": [evidence_to_dict(e) for e in result.evidence],
        "models": result.models,
        "timings_ms": {k: round(v, 2) for k, v in result.timings_ms.items()},
    }
