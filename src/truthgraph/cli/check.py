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
    claim_runs,
    deciding_passage,
    find_checkable,
    verify_found,
)
from truthgraph.checking.inputs import read_text
from truthgraph.cli.common import emit_json, friendly_errors, open_verifier, settings_from
from truthgraph.cli.group import main
from truthgraph.serialize import text_check_to_dict, verdict_counts

_COLOURS = {"SUPPORTED": "green", "REFUTED": "red", "NOT_ENOUGH_INFO": "yellow"}
# A text file is read whole; 4 bytes per character is the most UTF-8 needs.
_BYTES_PER_CHAR = 4


def _annotated(check: TextCheck, colour: bool) -> str:
    """The text with each claim's words marked and numbered: "words[1]"."""
    pieces = []
    for run in claim_runs(check):
        if run.number is None or run.verdict is None:
            pieces.append(run.text)
            continue
        marked = (
            click.style(run.text, fg=_COLOURS[run.verdict], underline=True) if colour else run.text
        )
        pieces += [marked, f"[{run.number}]"]
    return "".join(pieces)


def _claim_line(number: int, item: CheckedClaim) -> str:
    result = item.result
    line = f"[{number}] {result.verdict.value} ({result.confidence:.2f})  {item.claim.text}"
    best = deciding_passage(result)
    if best is not None:
        line += f"\n     evidence: {best.doc_id} [{best.start}:{best.end}] {best.text[:100]}"
    return line


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
