"""`truthgraph models list|verify`: the model directories TruthGraph can use."""

from __future__ import annotations

from pathlib import Path

import click

from truthgraph.cli import emit_json, friendly_errors, main, settings_from
from truthgraph.inference.manifest import ModelFormatError, load_manifest, verify_checksums
from truthgraph.inference.models import BUNDLED_PREFIX, bundled_models, resolve_model


@main.group()
def models() -> None:
    """List and check model directories (bundle and local cache)."""


def _known_models(cache: Path) -> list[tuple[str, Path]]:
    found = [(BUNDLED_PREFIX + p.name, p) for p in bundled_models()]
    if cache.is_dir():
        found += [(p.name, p) for p in sorted(cache.iterdir()) if (p / "manifest.json").is_file()]
    return found


@models.command("list")
@click.pass_context
@friendly_errors
def list_models(ctx: click.Context) -> None:
    """Show bundled and cached models and which ones the settings select."""
    settings = settings_from(ctx)
    rows: list[dict[str, object]] = []
    for spec, path in _known_models(settings.model_cache):
        try:
            manifest = load_manifest(path)
        except ModelFormatError as exc:
            rows.append({"model": spec, "path": str(path), "error": str(exc)})
            continue
        rows.append({
            "model": spec, "path": str(path), "task": manifest.task, "name": manifest.name,
            "quantization": manifest.quantization, "starter": manifest.starter,
            "size_bytes": sum(f.stat().st_size for f in path.iterdir() if f.is_file()),
        })
    emit_json({"embed_model": settings.embed_model, "nli_model": settings.nli_model,
               "models": rows})


@models.command("verify")
@click.pass_context
@friendly_errors
def verify_models(ctx: click.Context) -> None:
    """Check the selected models: manifest, checksums, and a real inference run."""
    settings = settings_from(ctx)
    from truthgraph.runtime import open_inference

    failures = 0
    for label, spec, task in (("embedding", settings.embed_model, "embedding"),
                              ("nli", settings.nli_model, "nli")):
        path = resolve_model(spec, cache=settings.model_cache)
        manifest = load_manifest(path, task=task)
        problems = verify_checksums(path, manifest)
        failures += len(problems)
        status = "ok" if not problems else "; ".join(problems)
        click.echo(f"{label:<10} {manifest.name} ({path}): checksums {status}")
    inference = open_inference(settings)
    vectors = inference.embed(["A quick check sentence."])
    scores = inference.nli([("The bridge opened in 1932.", "The bridge opened in 1932.")])
    click.echo(f"embedding  ran: dimension {len(vectors[0])}")
    click.echo(f"nli        ran: entailment {scores[0].entailment:.2f} on an identical pair")
    if failures:
        raise click.ClickException(f"{failures} checksum problem(s)")
