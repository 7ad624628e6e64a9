"""`truthgraph apikey`: create, list and revoke API keys."""

from __future__ import annotations

import click

from truthgraph.api.security import SCOPES, generate_key, hash_key
from truthgraph.cli.common import emit_json, friendly_errors, settings_from
from truthgraph.cli.group import main
from truthgraph.store.protocol import Store


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
    """List every key (revoked ones too) as JSON; keys themselves are never shown."""
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
    """Revoke the key with id KEY_ID (from `apikey list`); it stops working at once."""
    store = _store(ctx)
    try:
        if not store.records.revoke_api_key(key_id):
            raise click.ClickException(f"no active key with id {key_id!r}")
    finally:
        store.close()
    click.echo(f"revoked {key_id}")
