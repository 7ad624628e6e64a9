"""Scores of verdicts against labelled claims: accuracy, macro-F1, FEVER score,
evidence recall, confusion matrix, expected calibration error, and a table per kind.

Pure functions over plain records, shared by `truthgraph eval` and the benchmarks.
The metrics are few and textbook, so they are written out here rather than pulling a
scientific stack into the core install.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from truthgraph.domain import Verdict, VerificationResult

LABELS = tuple(v.value for v in Verdict)
FEVER_EVIDENCE = 5  # FEVER counts a gold sentence among the first five cited
ECE_BINS = 10


@dataclass(frozen=True)
class Outcome:
    """One claim's gold label and evidence, and what the pipeline answered."""

    gold: str
    predicted: str
    confidence: float
    kind: str
    gold_evidence: tuple[tuple[str, str], ...]  # (doc id, quote)
    retrieved: tuple[tuple[str, str], ...]  # (doc id, passage text), rank order
    cited: tuple[tuple[str, str], ...]  # (doc id, passage text), citation order


def _is_gold(doc_id: str, text: str, gold: Sequence[tuple[str, str]]) -> bool:
    return any(doc_id == d and (q in text or text in q) for d, q in gold)


def outcome(claim: Mapping[str, Any], result: VerificationResult) -> Outcome:
    gold = tuple((str(e["doc_id"]), str(e["quote"])) for e in claim.get("evidence") or [])
    by_rank = sorted(result.evidence, key=lambda e: -e.retrieved.fused_score)
    return Outcome(
        gold=str(claim["label"]),
        predicted=result.verdict.value,
        confidence=float(result.confidence),
        kind=str(claim.get("kind") or "-"),
        gold_evidence=gold,
        retrieved=tuple((e.retrieved.passage.doc_id, e.retrieved.passage.text) for e in by_rank),
        cited=tuple(
            (e.retrieved.passage.doc_id, e.retrieved.passage.text) for e in result.evidence
        ),
    )


def confusion(outcomes: Sequence[Outcome]) -> dict[str, dict[str, int]]:
    matrix = {g: dict.fromkeys(LABELS, 0) for g in LABELS}
    for o in outcomes:
        matrix[o.gold][o.predicted] += 1
    return matrix


def macro_f1(matrix: Mapping[str, Mapping[str, int]]) -> float:
    scores = []
    for label in LABELS:
        tp = matrix[label][label]
        predicted = sum(matrix[g][label] for g in LABELS)
        gold = sum(matrix[label].values())
        if not gold:
            continue
        precision = tp / predicted if predicted else 0.0
        recall = tp / gold
        scores.append(2 * precision * recall / (precision + recall) if tp else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def expected_calibration_error(outcomes: Sequence[Outcome], bins: int = ECE_BINS) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by size."""
    if not outcomes:
        return 0.0
    total = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [
            o for o in outcomes if low < o.confidence <= high or (b == 0 and o.confidence == 0.0)
        ]
        if members:
            accuracy = sum(o.gold == o.predicted for o in members) / len(members)
            confidence = sum(o.confidence for o in members) / len(members)
            total += len(members) * abs(accuracy - confidence)
    return total / len(outcomes)


def _fever_correct(o: Outcome) -> bool:
    if o.gold != o.predicted:
        return False
    if not o.gold_evidence:
        return True
    return any(_is_gold(d, t, o.gold_evidence) for d, t in o.cited[:FEVER_EVIDENCE])


@dataclass
class Report:
    claims: int
    accuracy: float
    macro_f1: float
    fever_score: float
    evidence_recall: float | None
    top_k: int
    ece: float
    confusion: dict[str, dict[str, int]]
    per_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    per_label: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "claims": self.claims,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "fever_score": round(self.fever_score, 4),
            f"evidence_recall_at_{self.top_k}": (
                None if self.evidence_recall is None else round(self.evidence_recall, 4)
            ),
            "ece": round(self.ece, 4),
            "confusion": self.confusion,
            "per_label_accuracy": {k: round(v, 4) for k, v in self.per_label.items()},
            "per_kind": self.per_kind,
        }


def score(outcomes: Sequence[Outcome], *, top_k: int) -> Report:
    n = len(outcomes)
    matrix = confusion(outcomes)
    with_gold = [o for o in outcomes if o.gold_evidence]
    recall = (
        sum(any(_is_gold(d, t, o.gold_evidence) for d, t in o.retrieved[:top_k]) for o in with_gold)
        / len(with_gold)
        if with_gold
        else None
    )
    kinds: dict[str, list[Outcome]] = {}
    for o in outcomes:
        kinds.setdefault(o.kind, []).append(o)
    per_kind = {
        kind: {
            "claims": len(group),
            "accuracy": round(sum(o.gold == o.predicted for o in group) / len(group), 4),
        }
        for kind, group in sorted(kinds.items())
    }
    per_label = {
        label: matrix[label][label] / sum(matrix[label].values())
        for label in LABELS
        if sum(matrix[label].values())
    }
    return Report(
        claims=n,
        accuracy=sum(o.gold == o.predicted for o in outcomes) / n if n else 0.0,
        macro_f1=macro_f1(matrix),
        fever_score=sum(_fever_correct(o) for o in outcomes) / n if n else 0.0,
        evidence_recall=recall,
        top_k=top_k,
        ece=expected_calibration_error(outcomes),
        confusion=matrix,
        per_kind=per_kind,
        per_label=per_label,
    )


def render_text(report: Report) -> str:
    d = report.as_dict()
    recall = d[f"evidence_recall_at_{report.top_k}"]
    lines = [
        f"claims              {report.claims}",
        f"label accuracy      {report.accuracy:.3f}",
        f"macro-F1            {report.macro_f1:.3f}",
        f"FEVER score         {report.fever_score:.3f}",
        f"evidence recall@{report.top_k:<3} {'-' if recall is None else f'{recall:.3f}'}",
        f"ECE                 {report.ece:.3f}",
        "",
        "confusion (rows gold, columns predicted)",
        f"{'':<16}" + "".join(f"{label:>17}" for label in LABELS),
    ]
    for gold in LABELS:
        lines.append(f"{gold:<16}" + "".join(f"{report.confusion[gold][p]:>17}" for p in LABELS))
    lines += ["", f"{'kind':<18}{'claims':>7}{'accuracy':>10}"]
    for kind, row in report.per_kind.items():
        lines.append(f"{kind:<18}{int(row['claims']):>7}{row['accuracy']:>10.3f}")
    return "\n".join(lines)


def render_markdown(report: Report) -> str:
    d = report.as_dict()
    recall = d[f"evidence_recall_at_{report.top_k}"]
    lines = [
        "| metric | value |",
        "| --- | ---: |",
        f"| claims | {report.claims} |",
        f"| label accuracy | {report.accuracy:.3f} |",
        f"| macro-F1 | {report.macro_f1:.3f} |",
        f"| FEVER score | {report.fever_score:.3f} |",
        f"| evidence recall@{report.top_k} | {'-' if recall is None else f'{recall:.3f}'} |",
        f"| ECE | {report.ece:.3f} |",
        "",
        "| gold \\ predicted | " + " | ".join(LABELS) + " |",
        "| --- | " + " | ".join("---:" for _ in LABELS) + " |",
    ]
    for gold in LABELS:
        lines.append(
            f"| {gold} | " + " | ".join(str(report.confusion[gold][p]) for p in LABELS) + " |"
        )
    lines += ["", "| kind | claims | accuracy |", "| --- | ---: | ---: |"]
    for kind, row in report.per_kind.items():
        lines.append(f"| {kind} | {int(row['claims'])} | {row['accuracy']:.3f} |")
    return "\n".join(lines)
