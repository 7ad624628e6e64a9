"""`truthgraph stats`: what the database holds."""

from __future__ import annotations

from urllib.parse import urlsplit

import click

from truthgraph.cli.common import emit_json, friendly_errors, settings_from
from truthgraph.cli.group import main


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
