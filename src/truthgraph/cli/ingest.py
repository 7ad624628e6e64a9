"""`truthgraph ingest` and `truthgraph stats`."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from truthgraph.cli import (
    emit_json,
    friendly_errors,
    main,
    make_ingestor,
    open_verifier,
    settings_from,
)
from truthgraph.cli.format import render_ingest
from truthgraph.ingest.readers import iter_files
from truthgraph.ingest.service import IngestReport


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
        ingestor = make_ingestor(verifier, settings)
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


def masked_url(url: str) -> str:
    """The database URL with any password, in the user part or as a `password=` query
    parameter, shown as `***`: stats output is pasted into logs and tickets."""
    parts = urlsplit(url)
    # Edited in place rather than rebuilt (urlunsplit turns sqlite:///PATH into
    # sqlite:/PATH), so everything else reads exactly as given.
    head, sep, query = url.partition("?")
    if parts.password is not None:
        start = len(parts.scheme) + len("://")
        # The host part follows the last "@"; a password may itself hold "@" or ":".
        userinfo, _, hostinfo = parts.netloc.rpartition("@")
        head = (
            f"{head[:start]}{userinfo.partition(':')[0]}:***@{hostinfo}"
            f"{head[start + len(parts.netloc) :]}"
        )
    query = "&".join(
        "password=***" if item.partition("=")[0] == "password" else item
        for item in query.split("&")
    )
    return head + sep + query


@main.command()
@click.pass_context
@friendly_errors
def stats(ctx: click.Context) -> None:
    """Show what the database holds."""
    from truthgraph.runtime import open_store

    settings = settings_from(ctx)
    store = open_store(settings)
    try:
        emit_json({"database": masked_url(settings.database_url), **store.counts()})
    finally:
        store.close()
