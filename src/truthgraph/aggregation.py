"""Learned verdict aggregation: a few calibrated weights per NLI model.

The rules in `verdict.py` take the strongest entailment or contradiction at a fixed
threshold. This module weighs more evidence: the per-passage and per-window stances,
how relevant the top passage is, and the explicit conflict checks, in a multinomial
logistic regression fitted on development claims (scripts/models/fit_verdict.py) and
shipped in the NLI model's manifest under `verdict`. A production model pulled from the
hub carries its own weights, or falls back to the rules. The probabilities are
calibrated on the same development claims, so `confidence` means what it says.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from truthgraph.conflicts import FindingKind, Relation
from truthgraph.conflicts.entities import names
from truthgraph.domain import (
    CitedEvidence,
    CitedFinding,
    EvidenceWindow,
    Verdict,
    VerdictDecision,
)
from truthgraph.verdict import quoted

FEATURES = (
    "support",
    "refute",
    "window_support",
    "window_refute",
    "top_neutral",
    "top_similarity",
    "word_overlap",
    "number_match",
    "number_conflict",
    "date_match",
    "date_conflict",
    "entity_conflict",
    "names_absent",
    "negation_conflict",
)
CLASSES = (Verdict.SUPPORTED, Verdict.REFUTED, Verdict.NOT_ENOUGH_INFO)


class VerdictModelError(ValueError):
    """The `verdict` section of a manifest is malformed."""


@dataclass(frozen=True)
class VerdictModel:
    weights: tuple[tuple[float, ...], ...]  # one row per class, one column per feature
    bias: tuple[float, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VerdictModel:
        if list(data.get("features", [])) != list(FEATURES):
            raise VerdictModelError(f"verdict weights must be for the features {FEATURES}")
        if list(data.get("classes", [])) != [c.value for c in CLASSES]:
            raise VerdictModelError(f"verdict weights must be for the classes {CLASSES}")
        weights = tuple(tuple(float(w) for w in row) for row in data["weights"])
        bias = tuple(float(b) for b in data["bias"])
        if len(weights) != len(CLASSES) or any(len(r) != len(FEATURES) for r in weights):
            raise VerdictModelError("verdict weights have the wrong shape")
        if len(bias) != len(CLASSES):
            raise VerdictModelError("verdict bias has the wrong shape")
        return cls(weights, bias)

    def probabilities(self, features: Mapping[str, float]) -> dict[Verdict, float]:
        x = [features[name] for name in FEATURES]
        logits = [
            b + sum(w * v for w, v in zip(row, x, strict=True))
            for row, b in zip(self.weights, self.bias, strict=True)
        ]
        top = max(logits)
        exp = [math.exp(z - top) for z in logits]
        total = sum(exp)
        return {c: e / total for c, e in zip(CLASSES, exp, strict=True)}


def _decisive(evidence: Sequence[CitedEvidence]) -> set[int]:
    """Passage ids whose conflict findings count: the best-supporting, the best-refuting
    and the top-ranked passage."""
    if not evidence:
        return set()
    chosen = {
        max(evidence, key=lambda e: e.nli.entailment),
        max(evidence, key=lambda e: e.nli.contradiction),
        evidence[0],
    }
    return {e.retrieved.passage.id for e in chosen}


def _names_absent(claim: str, evidence: Sequence[CitedEvidence]) -> float:
    """Share of the claim's names that no retrieved passage or title mentions."""
    claim_names = [n.span.text for n in names(claim)]
    if not claim_names:
        return 0.0
    haystack = " ".join(
        f"{e.retrieved.passage.title} {e.retrieved.passage.text}" for e in evidence
    ).casefold()
    absent = [n for n in claim_names if n.casefold() not in haystack]
    return len(absent) / len(claim_names)


_WORD = re.compile(r"[^\W_]{3,}")
_COMMON = frozenset(
    "the and was were has have had that this with from for are its his her their which "
    "who not but been than more most into also one two".split()
)


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if w not in _COMMON}


def _word_overlap(claim: str, evidence: Sequence[CitedEvidence]) -> float:
    """Largest share of the claim's content words found in one of the top passages
    (with its title): a claim whose words no passage holds is rarely settled."""
    words = _content_words(claim)
    if not words:
        return 0.0
    return max(
        len(words & _content_words(f"{e.retrieved.passage.title} {e.retrieved.passage.text}"))
        / len(words)
        for e in evidence[:3]
    )


def features(
    claim: str,
    evidence: Sequence[CitedEvidence],
    windows: Sequence[EvidenceWindow],
    findings: Sequence[CitedFinding],
) -> dict[str, float]:
    """The claim-level inputs of the verdict model; `evidence` in retrieval rank order."""
    values = dict.fromkeys(FEATURES, 0.0)
    if not evidence:
        values["names_absent"] = 1.0 if names(claim) else 0.0
        return values
    values["support"] = max(e.nli.entailment for e in evidence)
    values["refute"] = max(e.nli.contradiction for e in evidence)
    values["window_support"] = max((w.nli.entailment for w in windows), default=0.0)
    values["window_refute"] = max((w.nli.contradiction for w in windows), default=0.0)
    values["top_neutral"] = evidence[0].nli.neutral
    values["top_similarity"] = evidence[0].retrieved.vector_score or 0.0
    values["word_overlap"] = _word_overlap(claim, evidence)
    decisive = _decisive(evidence)
    for cited in findings:
        if cited.passage.id not in decisive:
            continue
        key = f"{cited.finding.kind.value}_{cited.finding.relation.value}"
        if key in values:
            values[key] = 1.0
    values["names_absent"] = _names_absent(claim, evidence)
    return values


def _best_window(windows: Sequence[EvidenceWindow], stance: str) -> EvidenceWindow | None:
    if not windows:
        return None
    return max(windows, key=lambda w: getattr(w.nli, stance))


def _finding_sentences(findings: Sequence[CitedFinding], verdict: Verdict) -> list[str]:
    if verdict is Verdict.SUPPORTED:
        wanted = {Relation.MATCH}
    elif verdict is Verdict.REFUTED:
        wanted = {Relation.CONFLICT}
    else:
        wanted = {Relation.ABSENT}
    picked = [
        f
        for f in findings
        if f.finding.relation in wanted and f.finding.kind is not FindingKind.NEGATION
    ]
    return [f.sentence() for f in picked[:2]]


def explain(
    verdict: Verdict,
    evidence: Sequence[CitedEvidence],
    windows: Sequence[EvidenceWindow],
    findings: Sequence[CitedFinding],
) -> str:
    if not evidence:
        return "No evidence in the corpus matched the claim."
    stance = {"SUPPORTED": "entailment", "REFUTED": "contradiction"}.get(verdict.value)
    if stance is None:
        best = max(max(e.nli.entailment, e.nli.contradiction) for e in evidence)
        head = (
            f"None of the {len(evidence)} passages retrieved settles the claim "
            f"(strongest stance {best:.2f})."
        )
    else:
        passage = max(evidence, key=lambda e: getattr(e.nli, stance))
        window = _best_window(windows, stance)
        verb = "Supported" if verdict is Verdict.SUPPORTED else "Contradicted"
        if window is not None and getattr(window.nli, stance) > getattr(passage.nli, stance):
            sources = ", ".join(sorted({p.passage.doc_id for p in window.passages}))
            head = (
                f"{verb} by {len(window.passages)} passages read together ({sources}) "
                f"({stance} {getattr(window.nli, stance):.2f})."
            )
        else:
            score = getattr(passage.nli, stance)
            head = f"{verb} by {quoted(passage)} ({stance} {score:.2f})."
    return " ".join([head, *_finding_sentences(findings, verdict)])


def decide_learned(
    model: VerdictModel,
    claim: str,
    evidence: Sequence[CitedEvidence],
    windows: Sequence[EvidenceWindow],
    findings: Sequence[CitedFinding],
) -> VerdictDecision:
    values = features(claim, evidence, windows, findings)
    probs = model.probabilities(values)
    verdict = max(probs, key=lambda c: probs[c])
    return VerdictDecision(
        verdict,
        probs[verdict],
        max(values["support"], values["window_support"]),
        max(values["refute"], values["window_refute"]),
        explain(verdict, evidence, windows, findings),
    )
