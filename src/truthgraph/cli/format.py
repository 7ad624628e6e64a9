"""Human-readable rendering of results for the terminal."""

from __future__ import annotations

import textwrap

from truthgraph.domain import VerificationResult
from truthgraph.ingest.service import IngestReport

_MAX_REJECTIONS_SHOWN = 20


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def render_result(result: VerificationResult, *, show: int = 5) -> str:
    lines = [
        f"Claim:       {result.claim}",
        f"Verdict:     {result.verdict.value} (confidence {result.confidence:.2f})",
        *textwrap.wrap(
            result.explanation,
            88,
            initial_indent="Explanation: ",
            subsequent_indent="             ",
        ),
        "",
        f"  {'#':>2}  {'stance':<13} {'ent':>5} {'neu':>5} {'con':>5}  {'source':<28} passage",
    ]
    for number, evidence in enumerate(result.evidence[:show], start=1):
        passage = evidence.retrieved.passage
        source = _clip(f"{passage.doc_id} [{passage.start}:{passage.end}]", 28)
        lines.append(
            f"  {number:>2}  {evidence.stance.value:<13} {evidence.nli.entailment:5.2f} "
            f"{evidence.nli.neutral:5.2f} {evidence.nli.contradiction:5.2f}  {source:<28} "
            f"{_clip(passage.text, 60)}"
        )
    if len(result.evidence) > show:
        lines.append(f"  ... {len(result.evidence) - show} more passages (use --json for all)")
    lines.append("")
    lines.append(f"Models:      embedding {result.models['embedding']}")
    lines.append(f"             nli {result.models['nli']}")
    return "\n".join(lines)


def render_ingest(report: IngestReport) -> str:
    lines = [
        f"files read:           {report.files}",
        f"documents added:      {report.documents_added}",
        f"documents replaced:   {report.documents_replaced}",
        f"documents unchanged:  {report.documents_unchanged}",
        f"passages added:       {report.passages_added}",
        f"duplicate passages:   {report.duplicate_passages}",
        f"rejected:             {len(report.rejected)}",
    ]
    for rejection in report.rejected[:_MAX_REJECTIONS_SHOWN]:
        lines.append(f"  {rejection.origin}: {rejection.reason}")
    if len(report.rejected) > _MAX_REJECTIONS_SHOWN:
        lines.append(f"  ... and {len(report.rejected) - _MAX_REJECTIONS_SHOWN} more (see --json)")
    return "\n".join(lines)
