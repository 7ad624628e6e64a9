"""`truthgraph check`: find the check-worthy claims of a text and verify each."""

from __future__ import annotations

import sys
from collections import Counter
from typing import BinaryIO

import click

from truthgraph.checking import (
    CheckedClaim,
    TextCheck,
    TextCheckError,
    find_checkable,
    verify_found,
)
from truthgraph.checking.inputs import read_text
from truthgraph.cli import emit_json, friendly_errors, main, open_verifier, settings_from
from truthgraph.conflicts import FindingKind, Relation
from truthgraph.domain import Passage
from truthgraph.serialize import text_check_to_dict, verdict_counts

_COLOURS = {"SUPPORTED": "green", "REFUTED": "red", "NOT_ENOUGH_INFO": "yellow"}
# A text file is read whole; 4 bytes per character is the most UTF-8 needs.
_BYTES_PER_CHAR = 4


def _annotated(check: TextCheck, colour: bool) -> str:
    """The text with each claim's words marked and numbered: "words[1]"."""
    pieces, position = [], 0
    for number, item in enumerate(check.claims, start=1):
        claim = item.claim
        if claim.start < position:
            continue  # parts of one sentence never overlap; be safe anyway
        words = check.text[claim.start : claim.end]
        verdict = item.result.verdict.value
        marked = click.style(words, fg=_COLOURS[verdict], underline=True) if colour else words
        pieces += [check.text[position : claim.start], marked, f"[{number}]"]
        position = claim.end
    pieces.append(check.text[position:])
    return "".join(pieces)


def _claim_line(number: int, item: CheckedClaim) -> str:
    result = item.result
    line = f"[{number}] {result.verdict.value} ({result.confidence:.2f})  {item.claim.text}"
    best = _deciding_passage(item)
    if best is not None:
        line += f"\n     evidence: {best.doc_id} [{best.start}:{best.end}] {best.text[:100]}"
    return line


def _deciding_passage(item: CheckedClaim) -> Passage | None:
    """The passage behind a verdict: one whose figure, date or name check agrees with
    the verdict (a match for supported, a conflict for refuted), else the passage with
    the strongest entailment or contradiction. None for not enough info."""
    result = item.result
    wanted = {"SUPPORTED": Relation.MATCH, "REFUTED": Relation.CONFLICT}.get(result.verdict.value)
    if wanted is None or not result.evidence:
        return None
    for cited in result.findings:
        if cited.finding.relation is wanted and cited.finding.kind is not FindingKind.NEGATION:
            return cited.passage
    stance = "entailment" if wanted is Relation.MATCH else "contradiction"
    return max(result.evidence, key=lambda e: getattr(e.nli, stance)).retrieved.passage


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def render_check(check: TextCheck, *, colour: bool = False) -> str:
    counts = verdict_counts(c.result.verdict.value for c in check.claims)
    reasons = Counter(s.reason for s in check.skipped)
    lines = [
        _annotated(check, colour).rstrip(),
        "",
        *(_claim_line(n, c) for n, c in enumerate(check.claims, start=1)),
        "",
        f"{_plural(len(check.claims), 'claim')}: "
        + ", ".join(f"{n} {v}" for v, n in counts.items()),
    ]
    if reasons:
        listed = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in reasons.most_common())
        lines.append(f"{_plural(len(check.skipped), 'sentence')} skipped: {listed}")
    return "\n".join(lines)


@main.command()
@click.argument("source", type=click.File("rb"), metavar="FILE|-")
@click.option("--json", "as_json", is_flag=True, help="Print claims, spans and results as JSON.")
@click.option("--top-k", type=click.IntRange(1, 100), help="Passages checked per claim.")
@click.pass_context
@friendly_errors
def check(ctx: click.Context, source: BinaryIO, as_json: bool, top_k: int | None) -> None:
    """Find the check-worthy claims of FILE (.txt, .md or .html; - reads standard input)
    and verify each against the corpus."""
    settings = settings_from(ctx)
    max_chars = settings.check_max_chars
    try:
        name = getattr(source, "name", "-")
        text = read_text(source, name, max_bytes=max_chars * _BYTES_PER_CHAR)
        found = find_checkable(text, max_chars=max_chars)
    except TextCheckError as exc:
        raise click.ClickException(str(exc)) from None
    with open_verifier(settings) as verifier:
        with click.progressbar(length=len(found.claims), label="Checking", file=sys.stderr) as bar:
            checked = verify_found(verifier, text, found, top_k=top_k, progress=bar.update)
    if as_json:
        emit_json(text_check_to_dict(checked))
    else:
        click.echo(render_check(checked, colour=sys.stdout.isatty()))
