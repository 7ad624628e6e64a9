"""`truthgraph eval`: verdict quality on a labelled claim set over its own corpus."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from truthgraph.cli.common import emit_json, friendly_errors, open_verifier, settings_from
from truthgraph.cli.group import main
from truthgraph.config import Settings
from truthgraph.evaluation import (
    LABELS,
    Outcome,
    Report,
    outcome,
    render_markdown,
    render_text,
    score,
)
from truthgraph.ingest.service import IngestReport, open_ingestor


def read_claims(path: Path, limit: int | None) -> list[dict[str, Any]]:
    claims = []
    for line_no, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"{path}:{line_no}: invalid JSON: {exc.msg}") from None
        if not isinstance(row, dict) or "claim" not in row or "label" not in row:
            raise click.ClickException(f"{path}:{line_no}: needs 'claim' and 'label'")
        if row["label"] not in LABELS:
            raise click.ClickException(f"{path}:{line_no}: unknown label {row['label']!r}")
        claims.append(row)
    return claims[:limit] if limit else claims


def run_evaluation(
    settings: Settings, corpus: tuple[Path, ...], claims: list[dict[str, Any]], top_k: int
) -> tuple[Report, dict[str, str]]:
    """Load `corpus` into a throw-away database, verify `claims` (progress on stderr)
    and score them; also returns the models used."""
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="truthgraph-eval-") as tmp:
        eval_settings = settings.model_copy(
            update={"database_url": f"sqlite:///{Path(tmp) / 'eval.db'}"}
        )
        with open_verifier(eval_settings) as verifier:
            report = IngestReport()
            ingestor = open_ingestor(eval_settings, verifier.store, verifier.inference)
            ingestor.ingest_items(ingestor.read_paths(list(corpus), report), report)
            if report.rejected:
                click.echo(f"note: {report.rejected} corpus rows were rejected", err=True)
            results = verifier.verify_many((c["claim"] for c in claims), top_k=top_k)
            with click.progressbar(
                results, length=len(claims), label="Verifying", file=sys.stderr
            ) as bar:
                for claim, result in zip(claims, bar, strict=True):
                    outcomes.append(outcome(claim, result))
            models = verifier.models()
    return score(outcomes, top_k=top_k), models


@main.command("eval")
@click.option(
    "--corpus",
    "corpus",
    multiple=True,
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Evidence files or folders (repeatable); loaded into a throw-away database.",
)
@click.option(
    "--claims",
    "claims_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL: claim, label, optional kind and evidence [{doc_id, quote}].",
)
@click.option(
    "--top-k", type=click.IntRange(1, 100), help="Passages per claim (default: settings)."
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N claims.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--markdown", is_flag=True, help="Print the report as Markdown tables.")
@click.option(
    "--min-accuracy",
    type=click.FloatRange(0, 1),
    help="Exit with status 4 when label accuracy is below this floor.",
)
@click.pass_context
@friendly_errors
def evaluate(
    ctx: click.Context,
    corpus: tuple[Path, ...],
    claims_path: Path,
    top_k: int | None,
    limit: int | None,
    as_json: bool,
    markdown: bool,
    min_accuracy: float | None,
) -> None:
    """Verify labelled claims over a corpus and score the verdicts: label accuracy,
    macro-F1, FEVER score, evidence recall@k, confusion matrix, ECE, and per kind."""
    settings = settings_from(ctx)
    claims = read_claims(claims_path, limit)
    if not claims:
        raise click.ClickException(f"{claims_path}: no claims")
    k = top_k or settings.top_k
    scored, models = run_evaluation(settings, corpus, claims, k)
    if as_json:
        emit_json({"models": models, "claims_file": str(claims_path), **scored.as_dict()})
    elif markdown:
        click.echo(render_markdown(scored))
    else:
        click.echo(f"NLI model: {models['nli']}\n")
        click.echo(render_text(scored))
    if min_accuracy is not None and scored.accuracy < min_accuracy:
        click.echo(
            f"label accuracy {scored.accuracy:.3f} is below the floor {min_accuracy}", err=True
        )
        ctx.exit(4)
