"""Verdict aggregation: from per-passage NLI probabilities to one verdict.

A pure function, so the rules are easy to read and to test:

* support = the highest entailment probability among the cited passages,
  refute  = the highest contradiction probability.
* A stance counts only at or above `threshold` (default 0.5).
* Exactly one stance counts -> SUPPORTED or REFUTED, confidence = that probability.
* Both count (conflicting evidence) -> the stronger one wins if it leads by at least
  `margin` (confidence = its probability minus the other's); otherwise
  NOT_ENOUGH_INFO, because the corpus disagrees with itself.
* Neither counts -> NOT_ENOUGH_INFO, confidence = 1 - max(support, refute).

The maximum, not the mean, is deliberate: one passage that states the fact decides the
claim, and the other retrieved passages are usually merely on topic (neutral).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from truthgraph.domain import CitedEvidence, Stance, Verdict, VerdictDecision

DEFAULT_THRESHOLD = 0.5
DEFAULT_MARGIN = 0.2
_QUOTE_CHARS = 160


@dataclass(frozen=True)
class VerdictRules:
    threshold: float = DEFAULT_THRESHOLD
    margin: float = DEFAULT_MARGIN


def quoted(evidence: CitedEvidence) -> str:
    """A passage quoted for an explanation: its text (shortened) and its source."""
    text = evidence.retrieved.passage.text
    if len(text) > _QUOTE_CHARS:
        text = text[: _QUOTE_CHARS - 1].rstrip() + "\u2026"
    source = evidence.retrieved.passage.title or evidence.retrieved.passage.doc_id
    return f'"{text}" ({source})'


def _count(evidence: Sequence[CitedEvidence], stance: Stance, threshold: float) -> int:
    if stance is Stance.ENTAILMENT:
        return sum(1 for e in evidence if e.nli.entailment >= threshold)
    return sum(1 for e in evidence if e.nli.contradiction >= threshold)


def _passages(n: int) -> str:
    return f"{n} passage{'s' if n != 1 else ''}"


def decide(evidence: Sequence[CitedEvidence], rules: VerdictRules | None = None) -> VerdictDecision:
    rules = rules or VerdictRules()
    if not evidence:
        return VerdictDecision(
            Verdict.NOT_ENOUGH_INFO,
            1.0,
            0.0,
            0.0,
            "No evidence in the corpus matched the claim.",
        )
    best_support = max(evidence, key=lambda e: e.nli.entailment)
    best_refute = max(evidence, key=lambda e: e.nli.contradiction)
    support, refute = best_support.nli.entailment, best_refute.nli.contradiction
    supports = support >= rules.threshold
    refutes = refute >= rules.threshold
    n_support = _count(evidence, Stance.ENTAILMENT, rules.threshold)
    n_refute = _count(evidence, Stance.CONTRADICTION, rules.threshold)

    if supports and refutes:
        if support - refute >= rules.margin:
            return VerdictDecision(
                Verdict.SUPPORTED,
                support - refute,
                support,
                refute,
                f"Supported by {_passages(n_support)}, most strongly {quoted(best_support)} "
                f"(entailment {support:.2f}); {_passages(n_refute)} disagree "
                f"(strongest contradiction {refute:.2f}).",
            )
        if refute - support >= rules.margin:
            return VerdictDecision(
                Verdict.REFUTED,
                refute - support,
                support,
                refute,
                f"Contradicted by {_passages(n_refute)}, most strongly {quoted(best_refute)} "
                f"(contradiction {refute:.2f}); {_passages(n_support)} agree "
                f"(strongest entailment {support:.2f}).",
            )
        return VerdictDecision(
            Verdict.NOT_ENOUGH_INFO,
            1.0 - abs(support - refute),
            support,
            refute,
            f"The evidence conflicts: {quoted(best_support)} supports the claim "
            f"({support:.2f}) but {quoted(best_refute)} contradicts it ({refute:.2f}).",
        )
    if supports:
        return VerdictDecision(
            Verdict.SUPPORTED,
            support,
            support,
            refute,
            f"Supported by {_passages(n_support)}, most strongly {quoted(best_support)} "
            f"(entailment {support:.2f}).",
        )
    if refutes:
        return VerdictDecision(
            Verdict.REFUTED,
            refute,
            support,
            refute,
            f"Contradicted by {_passages(n_refute)}, most strongly {quoted(best_refute)} "
            f"(contradiction {refute:.2f}).",
        )
    return VerdictDecision(
        Verdict.NOT_ENOUGH_INFO,
        1.0 - max(support, refute),
        support,
        refute,
        f"None of the {_passages(len(evidence))} retrieved states or contradicts the claim "
        f"(best entailment {support:.2f}, best contradiction {refute:.2f}).",
    )
