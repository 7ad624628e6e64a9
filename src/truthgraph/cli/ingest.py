"""`truthgraph ingest`: load evidence files and folders."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from truthgraph.cli.common import emit_json, friendly_errors, open_verifier, settings_from
from truthgraph.cli.format import render_ingest
from truthgraph.cli.group import main
from truthgraph.ingest.readers import iter_files
from truthgraph.ingest.service import IngestReport, open_ingestor


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Exit with status 3 if any row or file was rejected.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
@friendly_errors
def ingest(ctx: click.Context, paths: tuple[Path, ...], strict: bool, as_json: bool) -> None:
    """Load .csv, .json, .jsonl, .txt and .md files (or folders of them)."""
    settings = settings_from(ctx)
    files = sum(1 for f in iter_files(paths) if isinstance(f, Path))
    with open_verifier(settings) as verifier:
        ingestor = open_ingestor(settings, verifier.store, verifier.inference)
        report = IngestReport()
        # The bar is drawn only on a terminal; piped output stays clean.
        with click.progressbar(length=files, label="Ingesting", file=sys.stderr) as bar:
            last = 0

            def advance(_: int) -> None:
                nonlocal last
                bar.update(report.files - last)
                last = report.files

            items = ingestor.read_paths(list(paths), report)
            ingestor.ingest_items(items, report, on_progress=advance)
            bar.update(report.files - last)
    if as_json:
        emit_json(report.as_dict())
    else:
        click.echo(render_ingest(report))
    if strict and report.rejected:
        ctx.exit(3)
