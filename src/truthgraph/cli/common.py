"""What every command uses: the settings, a verifier over the configured store and
models, JSON output, and one-line errors for what a user can act on."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import click

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
