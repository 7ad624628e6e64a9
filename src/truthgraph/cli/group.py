"""The `truthgraph` click group and its global `--db` option. Command modules register
on it; it imports none of them (the package's __init__ does), so nothing imports in a
circle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from truthgraph import __version__
from truthgraph.config import Settings
from truthgraph.redact import redact


@click.group()
@click.version_option(__version__, prog_name="truthgraph")
@click.option(
    "--db",
    "database",
    metavar="PATH|URL",
    help="Database file or URL (default: TRUTHGRAPH_DATABASE_URL or the user data folder).",
)
@click.pass_context
def main(ctx: click.Context, database: str | None) -> None:
    """TruthGraph: load an evidence corpus, then check claims against it."""
    overrides: dict[str, Any] = {}
    if database:
        overrides["database_url"] = (
            database if "://" in database else f"sqlite:///{Path(database).resolve()}"
        )
    try:
        ctx.obj = Settings(**overrides)
    except ValueError as exc:
        raise click.ClickException(redact(f"invalid settings: {exc}")) from None
