"""`truthgraph db upgrade`: bring the database schema to this version of TruthGraph;
`truthgraph db wait`: wait until another process has done so."""

from __future__ import annotations

import click

from truthgraph.cli.common import friendly_errors, settings_from
from truthgraph.cli.group import main


@main.group()
def db() -> None:
    """Create or upgrade the database schema."""


@db.command("upgrade")
@click.option(
    "--wait",
    "wait_seconds",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Seconds to wait for a PostgreSQL server that is still starting.",
)
@click.pass_context
@friendly_errors
def upgrade(ctx: click.Context, wait_seconds: float) -> None:
    """Apply pending schema migrations (run once per deployment, before the API)."""
    settings = settings_from(ctx)
    path = settings.sqlite_path
    if path is not None:
        # The embedded store migrates itself when it opens the file.
        from truthgraph.store.sqlite import SQLiteStore

        store = SQLiteStore(path)
        version = store.schema_version
        store.close()
        click.echo(f"SQLite database {path}: schema version {version}")
        return
    try:
        from truthgraph.store.pg_migrate import describe, upgrade_database, wait_for_database
    except ImportError as exc:
        raise click.ClickException(
            f"PostgreSQL needs the postgres extra (pip install 'truthgraph[postgres]'): {exc}"
        ) from None
    url = settings.database_url
    wait_for_database(url, timeout=wait_seconds)
    before, after = upgrade_database(url)
    if before == after:
        click.echo(f"{describe(url)}: schema already at revision {after}")
    else:
        click.echo(f"{describe(url)}: schema upgraded from {before or 'nothing'} to {after}")


@db.command("wait")
@click.option(
    "--timeout",
    "timeout",
    type=click.FloatRange(min=0),
    default=300.0,
    show_default=True,
    help="Seconds to wait before giving up (exit status 1).",
)
@click.pass_context
@friendly_errors
def wait(ctx: click.Context, timeout: float) -> None:
    """Wait until the schema is at this version's revision (an API pod waits this way
    for the migration Job). Never changes the database."""
    settings = settings_from(ctx)
    if settings.sqlite_path is not None:
        click.echo(f"SQLite database {settings.sqlite_path}: migrated when opened")
        return
    try:
        from truthgraph.store.pg_migrate import describe, wait_for_schema
    except ImportError as exc:
        raise click.ClickException(
            f"PostgreSQL needs the postgres extra (pip install 'truthgraph[postgres]'): {exc}"
        ) from None
    revision = wait_for_schema(settings.database_url, timeout=timeout)
    click.echo(f"{describe(settings.database_url)}: schema at revision {revision}")
