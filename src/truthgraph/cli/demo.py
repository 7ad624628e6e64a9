"""`truthgraph demo`: the sample corpus and claims, end to end, in a throw-away database."""

from __future__ import annotations

import json
import tempfile
import time
from importlib import resources
from pathlib import Path

import click

from truthgraph.cli.common import emit_json, friendly_errors, open_verifier, settings_from
from truthgraph.cli.format import render_ingest
from truthgraph.cli.group import main
from truthgraph.ingest.service import open_ingestor


def sample_file(name: str) -> Path:
    return Path(str(resources.files("truthgraph") / "sample" / name))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print every result as JSON.")
@click.option("--keep", type=click.Path(path_type=Path), help="Keep the demo database here.")
@click.pass_context
@friendly_errors
def demo(ctx: click.Context, as_json: bool, keep: Path | None) -> None:
    """Ingest the bundled sample corpus and verify the sample claims."""
    settings = settings_from(ctx)
    with tempfile.TemporaryDirectory(prefix="truthgraph-demo-") as tmp:
        db = keep or Path(tmp) / "demo.db"
        demo_settings = settings.model_copy(update={"database_url": f"sqlite:///{db}"})
        claims = [
            json.loads(line)
            for line in sample_file("claims.jsonl").read_text("utf-8").splitlines()
            if line.strip()
        ]
        with open_verifier(demo_settings) as verifier:
            models = verifier.models()
            if not as_json:
                click.echo(f"Embedding model: {models['embedding']}")
                click.echo(f"NLI model:       {models['nli']}")
                if verifier.inference.nli_model.starter:
                    click.echo(
                        "Note: the NLI model is the small starter model trained on this "
                        "project's synthetic data;\n      set TRUTHGRAPH_NLI_MODEL to a "
                        "production NLI model for real use (docs/models.md)."
                    )
                click.echo(f"\nIngesting the sample corpus into {db} ...")
            ingestor = open_ingestor(demo_settings, verifier.store, verifier.inference)
            started = time.perf_counter()
            report = ingestor.ingest_paths([sample_file("corpus.jsonl")])
            ingest_s = time.perf_counter() - started
            started = time.perf_counter()
            results = list(verifier.verify_many(c["claim"] for c in claims))
            verify_s = time.perf_counter() - started
    correct = sum(r.verdict.value == c["label"] for r, c in zip(results, claims, strict=True))
    if as_json:
        from truthgraph.serialize import result_to_dict

        emit_json(
            {
                "models": models,
                "ingest": report.as_dict(),
                "results": [
                    {"id": c["id"], "expected": c["label"], **result_to_dict(r)}
                    for c, r in zip(claims, results, strict=True)
                ],
                "agreement": {"correct": correct, "total": len(claims)},
            }
        )
        return
    click.echo(render_ingest(report) + f"\n({ingest_s:.1f} s)\n")
    click.echo(f"{'expected':<16} {'verdict':<16} {'conf':>5}  claim")
    for claim, result in zip(claims, results, strict=True):
        mark = " " if result.verdict.value == claim["label"] else "x"
        click.echo(
            f"{claim['label']:<16} {result.verdict.value:<16} {result.confidence:5.2f} "
            f"{mark} {claim['claim']}"
        )
        if result.evidence:
            top = result.evidence[0]
            click.echo(
                f"{'':<40}cites {top.retrieved.passage.doc_id} "
                f"[{top.retrieved.passage.start}:{top.retrieved.passage.end}] "
                f"({top.stance.value})"
            )
    click.echo(
        f"\n{correct}/{len(claims)} verdicts match the expected labels "
        f"({verify_s / max(len(claims), 1) * 1000:.0f} ms per claim). "
        "Run `truthgraph verify --help` to check your own claims."
    )
