"""The `truthgraph` command: a thin shell over the pipeline, store and models."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from truthgraph import __version__
from truthgraph.config import Settings
from truthgraph.inference.manifest import ModelFormatError
from truthgraph.inference.protocol import InferenceError
from truthgraph.pipeline import ClaimError, Verifier
from truthgraph.redact import redact
from truthgraph.store.protocol import StoreError

F = TypeVar("F", bound=Callable[..., Any])
USER_ERRORS = (StoreError, InferenceError, ModelFormatError, ClaimError, OSError)


def friendly_errors(func: F) -> F:
    """Turn the errors a user can act on into one line and exit code 1, not a trace."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except USER_ERRORS as exc:
            raise click.ClickException(redact(str(exc))) from None

    return wrapper  # type: ignore[return-value]


def settings_from(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


@contextmanager
def open_verifier(settings: Settings) -> Iterator[Verifier]:
    from truthgraph.runtime import open_inference, open_store

    store = open_store(settings)
    try:
        inference = open_inference(settings)
        yield Verifier(store, inference, top_k=settings.top_k, candidates=settings.candidates)
    finally:
        store.close()


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


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


def _register() -> None:
    # Subcommands live in their own modules; importing registers them on `main`.
    from truthgraph.cli import (  # noqa: F401
        apikey,
        check,
        db,
        demo,
        evaluate,
        ingest,
        models,
        search,
        serve,
        stats,
        verify,
    )


_register()
