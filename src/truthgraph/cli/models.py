"""`truthgraph models list|verify|pull|export`: the model directories TruthGraph can use."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from truthgraph.cli.common import emit_json, friendly_errors, settings_from
from truthgraph.cli.group import main
from truthgraph.inference.manifest import ModelFormatError, load_manifest, verify_checksums
from truthgraph.models.resolve import BUNDLED_PREFIX, bundled_models, resolve_model

if TYPE_CHECKING:  # only for hints: pulling and exporting load their modules when run
    from truthgraph.models.describe import Task
    from truthgraph.models.model_dir import InstalledModel, Variant


@main.group()
def models() -> None:
    """List, check, pull and export model directories (bundle and local cache)."""


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
        rows.append(
            {
                "model": spec,
                "path": str(path),
                "task": manifest.task,
                "name": manifest.name,
                "quantization": manifest.quantization,
                "starter": manifest.starter,
                "source": manifest.source,
                "size_bytes": sum(f.stat().st_size for f in path.iterdir() if f.is_file()),
            }
        )
    emit_json(
        {"embed_model": settings.embed_model, "nli_model": settings.nli_model, "models": rows}
    )


@models.command("verify")
@click.pass_context
@friendly_errors
def verify_models(ctx: click.Context) -> None:
    """Check the selected models: manifest, checksums, and a real inference run."""
    settings = settings_from(ctx)
    from truthgraph.runtime import open_inference

    failures = 0
    for label, spec, task in (
        ("embedding", settings.embed_model, "embedding"),
        ("nli", settings.nli_model, "nli"),
    ):
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


_VARIANT = click.option(
    "--variant",
    type=click.Choice(["fp32", "int8"]),
    default="fp32",
    show_default=True,
    help="fp32, or int8 (dynamically quantised weights: smaller and faster on CPU).",
)
_TASK = click.option(
    "--task",
    type=click.Choice(["embedding", "nli"]),
    default=None,
    help="Default: nli for a 3-label sequence classifier, else embedding.",
)
_REVISION = click.option("--revision", default=None, help="Branch, tag or commit (default main).")
_FORCE = click.option("--force", is_flag=True, help="Replace the model if it is in the cache.")


def _report(model: InstalledModel) -> None:
    manifest = model.manifest
    emit_json(
        {
            "model": model.path.name,
            "path": str(model.path),
            "task": manifest.task,
            "quantization": manifest.quantization,
            "source": manifest.source,
            "license": manifest.license,
            "from_file": model.onnx_file,
            "labels": manifest.labels,
            "pooling": manifest.pooling,
            "max_length": manifest.max_length,
            "dimension": manifest.dimension,
        }
    )


@models.command("pull")
@click.argument("repo_id")
@_REVISION
@_VARIANT
@_TASK
@_FORCE
@click.pass_context
@friendly_errors
def pull(
    ctx: click.Context,
    repo_id: str,
    revision: str | None,
    variant: Variant,
    task: Task | None,
    force: bool,
) -> None:
    """Fetch REPO_ID's ONNX files from the Hugging Face hub (HF_ENDPOINT) into the cache."""
    from truthgraph.models.hub import pull_model

    settings = settings_from(ctx)
    _report(
        pull_model(
            repo_id,
            cache=settings.model_cache,
            revision=revision,
            variant=variant,
            task=task,
            force=force,
        )
    )


@models.command("export")
@click.argument("source", metavar="REPO_ID_OR_DIR")
@_REVISION
@_VARIANT
@_TASK
@click.option("--name", default=None, help="Cache folder name (default: the repo id or dir).")
@_FORCE
@click.pass_context
@friendly_errors
def export(
    ctx: click.Context,
    source: str,
    revision: str | None,
    variant: Variant,
    task: Task | None,
    name: str | None,
    force: bool,
) -> None:
    """Convert a PyTorch checkpoint to ONNX into the cache (needs truthgraph[export])."""
    from truthgraph.models.export import export_model

    settings = settings_from(ctx)
    _report(
        export_model(
            source,
            cache=settings.model_cache,
            revision=revision,
            variant=variant,
            task=task,
            name=name,
            force=force,
        )
    )
