"""`truthgraph serve` (the REST API) and `truthgraph apikey` (key management)."""

from __future__ import annotations

from collections.abc import Callable

import click

from truthgraph.api.security import SCOPES, generate_key, hash_key
from truthgraph.cli import F, emit_json, friendly_errors, main, settings_from
from truthgraph.store.protocol import Store


def server_options(port: int) -> Callable[[F], F]:
    """--host, --port and --log-level, shared by both servers."""

    def decorate(func: F) -> F:
        levels = click.Choice(["critical", "error", "warning", "info", "debug"])
        func = click.option("--log-level", default="info", show_default=True, type=levels)(func)
        func = click.option(
            "--port", default=port, show_default=True, type=click.IntRange(1, 65535)
        )(func)
        return click.option("--host", default="127.0.0.1", show_default=True)(func)

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


@main.group()
def apikey() -> None:
    """Create, list and revoke API keys (used when TRUTHGRAPH_API_KEYS_REQUIRED=true)."""


def _store(ctx: click.Context) -> Store:
    from truthgraph.runtime import open_store

    return open_store(settings_from(ctx))


@apikey.command("create")
@click.option("--name", required=True, help="What the key is for.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(SCOPES),
    default=["read"],
    show_default=True,
    help="Repeat for several scopes.",
)
@click.pass_context
@friendly_errors
def create_key(ctx: click.Context, name: str, scopes: tuple[str, ...]) -> None:
    """Create a key and print it once; only its hash is stored."""
    store = _store(ctx)
    try:
        key = generate_key()
        record = store.records.add_api_key(name=name, key_hash=hash_key(key), scopes=scopes)
    finally:
        store.close()
    emit_json({"id": record.id, "name": name, "scopes": list(scopes), "key": key})


@apikey.command("list")
@click.pass_context
@friendly_errors
def list_keys(ctx: click.Context) -> None:
    store = _store(ctx)
    try:
        emit_json(
            [
                {
                    "id": k.id,
                    "name": k.name,
                    "scopes": list(k.scopes),
                    "created_at": k.created_at,
                    "revoked": k.revoked,
                }
                for k in store.records.list_api_keys()
            ]
        )
    finally:
        store.close()


@apikey.command("revoke")
@click.argument("key_id")
@click.pass_context
@friendly_errors
def revoke_key(ctx: click.Context, key_id: str) -> None:
    store = _store(ctx)
    try:
        if not store.records.revoke_api_key(key_id):
            raise click.ClickException(f"no active key with id {key_id!r}")
    finally:
        store.close()
    click.echo(f"revoked {key_id}")


@main.command("ml-serve")
@server_options(port=8001)
@click.pass_context
@friendly_errors
def ml_serve(ctx: click.Context, host: str, port: int, log_level: str) -> None:
    """Run the ml-inference service (embedding and NLI over HTTP; needs the ml extra)."""
    import uvicorn

    from truthgraph.inference.manifest import load_manifest
    from truthgraph.inference.models import resolve_model
    from truthgraph.mlserver.app import create_ml_app

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
