"""`truthgraph verify` (one claim or a file of claims) and `truthgraph search`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

import click

from truthgraph import safe_json
from truthgraph.cli import emit_json, friendly_errors, main, open_verifier, settings_from
from truthgraph.cli.format import render_result
from truthgraph.ingest.lines import bounded_lines
from truthgraph.pipeline import ClaimError, check_claim
from truthgraph.serialize import result_to_dict, retrieved_to_dict

# A claim is at most MAX_CLAIM_CHARS characters; a line also carries its other fields.
MAX_CLAIM_LINE_BYTES = 1_000_000


def read_claims(path: Path) -> list[dict[str, Any]]:
    """Claims from JSONL (objects with "claim", or plain strings) or a text file with
    one claim per line. Other fields (id, label...) are carried into the output. The
    whole file is checked before any claim is verified: the first unusable line stops
    the command with its file:line and the reason."""
    jsonl = path.suffix.lower() in {".jsonl", ".ndjson"}
    claims: list[dict[str, Any]] = []
    with path.open("rb") as handle:
        for number, raw in bounded_lines(handle, MAX_CLAIM_LINE_BYTES, b"\n"):
            where = f"{path}:{number}"
            if raw is None:
                raise ClaimError(f"{where}: line longer than {MAX_CLAIM_LINE_BYTES} bytes")
            try:
                line = raw.decode("utf-8").lstrip("\ufeff").strip()
            except UnicodeDecodeError as exc:
                raise ClaimError(f"{where}: not UTF-8 (byte {exc.start + 1})") from None
            if not line:
                continue
            record = _parse_line(line, where) if jsonl else {"claim": line}
            try:
                check_claim(record["claim"])
            except ClaimError as exc:
                raise ClaimError(f"{where}: {exc}") from None
            claims.append(record)
    return claims


def _parse_line(line: str, where: str) -> dict[str, Any]:
    try:
        record = safe_json.loads(line)
    except json.JSONDecodeError as exc:
        raise ClaimError(f"{where}: invalid JSON: {exc.msg}") from None
    except safe_json.JSONInputError as exc:
        raise ClaimError(f"{where}: invalid JSON: {exc}") from None
    if isinstance(record, str):
        record = {"claim": record}
    if not isinstance(record, dict) or not isinstance(record.get("claim"), str):
        raise ClaimError(f'{where}: expected an object with a "claim" string')
    return record


@main.command()
@click.argument("claim", required=False)
@click.option(
    "--file",
    "claims_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL (or .txt, one per line) of claims; writes JSONL results.",
)
@click.option(
    "--out",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Where --file results go (default: standard output).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.option("--top-k", type=click.IntRange(1, 100), help="Passages checked per claim.")
@click.pass_context
@friendly_errors
def verify(
    ctx: click.Context,
    claim: str | None,
    claims_file: Path | None,
    out: TextIO,
    as_json: bool,
    top_k: int | None,
) -> None:
    """Check CLAIM (or every claim in --file) against the corpus."""
    if (claim is None) == (claims_file is None):
        raise click.UsageError("give either a CLAIM or --file, not both")
    settings = settings_from(ctx)
    with open_verifier(settings) as verifier:
        if claim is not None:
            result = verifier.verify(claim, top_k=top_k)
            if as_json:
                emit_json(result_to_dict(result))
            else:
                click.echo(render_result(result))
            return
        assert claims_file is not None
        records = read_claims(claims_file)
        results = verifier.verify_many((r["claim"] for r in records), top_k=top_k)
        with click.progressbar(
            results, length=len(records), label="Verifying", file=sys.stderr
        ) as bar:
            for record, result in zip(records, bar, strict=True):
                extra = {k: v for k, v in record.items() if k != "claim"}
                line = {**extra, **result_to_dict(result)}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")


@main.command()
@click.argument("query")
@click.option("--mode", type=click.Choice(["hybrid", "vector", "lexical"]), default="hybrid")
@click.option("--top-k", type=click.IntRange(1, 100), default=10)
@click.pass_context
@friendly_errors
def search(ctx: click.Context, query: str, mode: str, top_k: int) -> None:
    """Show the passages retrieval finds for QUERY (no NLI)."""
    with open_verifier(settings_from(ctx)) as verifier:
        hits = verifier.search(query, top_k=top_k, mode=mode)  # type: ignore[arg-type]
        emit_json([retrieved_to_dict(h) for h in hits])
