"""`truthgraph verify`: one claim, or a file of claims."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

import click

from truthgraph.cli.common import emit_json, friendly_errors, open_verifier, settings_from
from truthgraph.cli.format import render_result
from truthgraph.cli.group import main
from truthgraph.ingest.claims import read_claims
from truthgraph.serialize import result_to_dict


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
