"""`truthgraph serve` (the REST API) and `truthgraph ml-serve` (the ml-inference service)."""

from __future__ import annotations

from collections.abc import Callable

import click

from truthgraph.cli.common import F, friendly_errors, settings_from
from truthgraph.cli.group import main


def server_options(port: int) -> Callable[[F], F]:
    """--host, --port and --log-level, shared by both servers."""

    def decorate(func: F) -> F:
        levels = click.Choice(["critical", "error", "warning", "info", "debug"])
        func = click.option(
            "--log-level", default="info", show_default=True, type=levels, help="Server log level."
        )(func)
        func = click.option(
            "--port",
            default=port,
            show_default=True,
            type=click.IntRange(1, 65535),
            help="Port to listen on.",
        )(func)
        return click.option(
            "--host",
            default="127.0.0.1",
            show_default=True,
            help="Address to listen on (0.0.0.0: every interface).",
        )(func)

    return decorate


@main.command()
@server_options(port=8000)
@click.pass_context
@friendly_errors
def serve(ctx: click.Context, host: str, port: int, log_level: str) -> None:
    """Run the REST API. The settings choose embedded mode (SQLite, in-process models)
    or server mode (PostgreSQL, the ml-inference service)."""
    import uvicorn

    from truthgraph.api.app import create_app

    app = create_app(settings_from(ctx))
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False)


@main.command("ml-serve")
@server_options(port=8001)
@click.pass_context
@friendly_errors
def ml_serve(ctx: click.Context, host: str, port: int, log_level: str) -> None:
    """Run the ml-inference service (embedding and NLI over HTTP; needs the ml extra)."""
    import uvicorn

    from truthgraph.inference.manifest import load_manifest
    from truthgraph.mlserver.app import create_ml_app
    from truthgraph.models.resolve import resolve_model

    settings = settings_from(ctx)
    # Fail with one clear line before the server starts, not a lifespan traceback.
    for spec, task in ((settings.embed_model, "embedding"), (settings.nli_model, "nli")):
        load_manifest(resolve_model(spec, cache=settings.model_cache), task=task)
    uvicorn.run(
        create_ml_app(settings),
        host=host,
        port=port,
        log_level=log_level,
        timeout_graceful_shutdown=30,
    )
