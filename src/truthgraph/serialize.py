"""Plain-dict forms of results: the JSON that the CLI prints and JSONL files hold."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from truthgraph.claimfinder import ClaimsFound, FoundClaim, SkippedSentence
from truthgraph.domain import (
    CitedEvidence,
    CitedFinding,
    EvidenceWindow,
    NLIScores,
    RetrievedPassage,
    Verdict,
    VerificationResult,
)

if TYPE_CHECKING:
    from truthgraph.checking import TextCheck


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


def nli_to_dict(scores: NLIScores) -> dict[str, float | None]:
    return {
        "entailment": _round(scores.entailment),
        "neutral": _round(scores.neutral),
        "contradiction": _round(scores.contradiction),
    }


def evidence_to_dict(evidence: CitedEvidence) -> dict[str, Any]:
    data = retrieved_to_dict(evidence.retrieved)
    data["stance"] = evidence.stance.value
    data["nli"] = nli_to_dict(evidence.nli)
    return data


def window_to_dict(window: EvidenceWindow) -> dict[str, Any]:
    """A window cites its member passages by id, document and offsets."""
    return {
        "passages": [
            {
                "passage_id": p.passage.id,
                "doc_id": p.passage.doc_id,
                "start": p.passage.start,
                "end": p.passage.end,
            }
            for p in window.passages
        ],
        "stance": window.stance.value,
        "nli": nli_to_dict(window.nli),
    }


def finding_to_dict(cited: CitedFinding) -> dict[str, Any]:
    """A conflict-check finding; passage offsets are document offsets."""
    finding, passage = cited.finding, cited.passage
    span = cited.document_span()
    return {
        "kind": finding.kind.value,
        "relation": finding.relation.value,
        "claim": {
            "start": finding.claim.start,
            "end": finding.claim.end,
            "text": finding.claim.text,
        },
        "passage_id": passage.id,
        "doc_id": passage.doc_id,
        "passage": None
        if span is None or finding.passage is None
        else {
            "start": span[0],
            "end": span[1],
            "text": finding.passage.text,
        },
        "explanation": cited.sentence(),
    }


def result_to_dict(result: VerificationResult) -> dict[str, Any]:
    return {
        "claim": result.claim,
        "verdict": result.verdict.value,
        "confidence": result.confidence,
        "explanation": result.explanation,
        "evidence": [evidence_to_dict(e) for e in result.evidence],
        "windows": [window_to_dict(w) for w in result.windows],
        "checks": [finding_to_dict(f) for f in result.findings],
        "models": result.models,
        "timings_ms": {k: round(v, 2) for k, v in result.timings_ms.items()},
    }


def found_claim_to_dict(claim: FoundClaim) -> dict[str, Any]:
    return {
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "sentence_start": claim.sentence_start,
        "sentence_end": claim.sentence_end,
        "rewritten": claim.rewritten,
    }


def skipped_to_dict(skipped: SkippedSentence) -> dict[str, Any]:
    return {"start": skipped.start, "end": skipped.end, "reason": skipped.reason}


def verdict_counts(verdicts: Iterable[str]) -> dict[str, int]:
    counts = {v.value: 0 for v in Verdict}
    for verdict in verdicts:
        counts[verdict] += 1
    return counts


def text_check_to_dict(check: TextCheck) -> dict[str, Any]:
    return {
        "claims": [
            {**found_claim_to_dict(c.claim), "result": result_to_dict(c.result)}
            for c in check.claims
        ],
        "skipped": [skipped_to_dict(s) for s in check.skipped],
        "summary": verdict_counts(c.result.verdict.value for c in check.claims),
    }


def claims_found_to_dict(found: ClaimsFound) -> dict[str, Any]:
    """Claims not yet verified (their results come later, from a job)."""
    return {
        "claims": [found_claim_to_dict(c) for c in found.claims],
        "skipped": [skipped_to_dict(s) for s in found.skipped],
    }
