"""`truthgraph search`: retrieval only, no NLI."""

from __future__ import annotations

import click

from truthgraph.cli.common import emit_json, friendly_errors, open_verifier, settings_from
from truthgraph.cli.group import main
from truthgraph.serialize import retrieved_to_dict


@main.command()
@click.argument("query")
@click.option(
    "--mode",
    type=click.Choice(["hybrid", "vector", "lexical"]),
    default="hybrid",
    show_default=True,
    help="Embeddings and words fused, or either alone.",
)
@click.option(
    "--top-k", type=click.IntRange(1, 100), default=10, show_default=True, help="Passages shown."
)
@click.pass_context
@friendly_errors
def search(ctx: click.Context, query: str, mode: str, top_k: int) -> None:
    """Show the passages retrieval finds for QUERY (no NLI)."""
    with open_verifier(settings_from(ctx)) as verifier:
        hits = verifier.search(query, top_k=top_k, mode=mode)  # type: ignore[arg-type]
        emit_json([retrieved_to_dict(h) for h in hits])
