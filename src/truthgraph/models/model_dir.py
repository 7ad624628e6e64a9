"""Writing a model directory (`model.onnx`, `tokenizer.json`, `manifest.json`), checking
it with TruthGraph's own runtime, and installing it into the cache with one rename.
Used by `models pull`, `models export` and the scripts that build the bundled models."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from truthgraph.inference.manifest import (
    MANIFEST_NAME,
    MODEL_FILES,
    ModelManifest,
    load_manifest,
    sha256_file,
)
from truthgraph.models.describe import ModelPlan, Task
from truthgraph.models.errors import HubError

LOG = logging.getLogger(__name__)

Variant = Literal["fp32", "int8"]

RUNTIME_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
EMBEDDING_OUTPUTS = ("last_hidden_state", "token_embeddings")
STAGING_PREFIX = ".partial-"


@dataclass(frozen=True)
class InstalledModel:
    path: Path
    manifest: ModelManifest
    onnx_file: str  # the repo file the graph came from ("export" for an export)


@contextmanager
def staging(cache: Path) -> Iterator[Path]:
    """A scratch folder inside the cache (so the final rename stays on one file system),
    removed whatever happens. Its dot-name keeps it out of `models list`."""
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=cache))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_model_dir(
    dest: Path, *, onnx_file: Path, tokenizer_file: Path, fields: dict[str, Any]
) -> ModelManifest:
    """Write model.onnx, tokenizer.json and manifest.json into `dest` (created if needed)
    and check the result with the code the runtime uses. The manifest holds `fields` in
    their order, fields the format does not read (a build record) included, followed by
    the sha256 of both files."""
    dest.mkdir(parents=True, exist_ok=True)
    if onnx_file.resolve() != (dest / "model.onnx").resolve():
        shutil.copyfile(onnx_file, dest / "model.onnx")
    _write_tokenizer(tokenizer_file, dest / "tokenizer.json")
    fields = {**fields, "files": {f: sha256_file(dest / f) for f in MODEL_FILES}}
    text = json.dumps(fields, indent=2, ensure_ascii=False) + "\n"
    (dest / MANIFEST_NAME).write_text(text, "utf-8")
    manifest = _smoke_test(dest)
    LOG.info("wrote %s (model.onnx %.1f MB)", dest, (dest / "model.onnx").stat().st_size / 1e6)
    return manifest


def _write_tokenizer(source: Path, dest: Path) -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(source))
    # The runtime pads and truncates per batch itself; saved settings would fight it.
    tokenizer.no_truncation()
    tokenizer.no_padding()
    tokenizer.save(str(dest), pretty=True)


def build_model_dir(
    dest: Path,
    *,
    onnx_file: Path,
    tokenizer_file: Path,
    plan: ModelPlan,
    name: str,
    source: str,
    license: str,
    quantization: str,
    description: str,
) -> ModelManifest:
    """A model directory whose manifest comes from the repo's description (`plan`) and
    the graph's own inputs and output."""
    inputs, output = _graph_signature(onnx_file, plan.task, name=name)
    manifest = ModelManifest(
        name=name,
        task=plan.task,
        description=description,
        source=source,
        license=license,
        quantization=quantization,
        max_length=plan.max_length,
        inputs=inputs,
        output=output,
        pooling=plan.pooling,
        dimension=plan.dimension,
        labels=plan.labels,
    )
    fields = manifest.model_dump(mode="json", exclude={"files"})
    return write_model_dir(dest, onnx_file=onnx_file, tokenizer_file=tokenizer_file, fields=fields)


def _graph_signature(model: Path, task: Task, *, name: str) -> tuple[list[str], str]:
    import onnxruntime as ort

    try:
        session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors
        raise HubError(f"{name}: ONNX Runtime cannot load the model: {exc}") from exc
    inputs = [i.name for i in session.get_inputs()]
    outputs = [o.name for o in session.get_outputs()]
    extra = [i for i in inputs if i not in RUNTIME_INPUTS]
    if "input_ids" not in inputs or extra:
        raise HubError(
            f"{name}: the graph takes inputs {inputs}; TruthGraph feeds only "
            f"{', '.join(RUNTIME_INPUTS)}"
        )
    wanted = ("logits",) if task == "nli" else EMBEDDING_OUTPUTS
    for candidate in wanted:
        if candidate in outputs:
            return inputs, candidate
    raise HubError(f"{name}: a {task} graph needs a {' or '.join(wanted)} output, it has {outputs}")


def _smoke_test(model_dir: Path) -> ModelManifest:
    """Load the directory as the runtime does and run one input through it."""
    from truthgraph.inference.onnx import OnnxEmbedder, OnnxNLI
    from truthgraph.inference.protocol import InferenceError

    manifest = load_manifest(model_dir)
    try:
        if manifest.task == "nli":
            shape = OnnxNLI(model_dir, threads=1).probabilities([("A test.", "A test.")]).shape
            expected: tuple[int, ...] = (1, 3)
        else:
            shape = OnnxEmbedder(model_dir, threads=1).embed(["A test."]).shape
            expected = (1, manifest.dimension or shape[-1])
    except (InferenceError, ValueError, IndexError) as exc:
        raise HubError(f"{manifest.name}: the written model does not run: {exc}") from exc
    if shape != expected:
        raise HubError(f"{manifest.name}: the model gives shape {shape}, expected {expected}")
    return manifest


def check_free(target: Path, *, force: bool) -> None:
    if target.exists() and not force:
        raise HubError(f"{target} already exists; pass --force to replace it")


def install(built: Path, target: Path, *, force: bool) -> Path:
    """Move a finished model directory into place with one rename (same file system)."""
    check_free(target, force=force)
    try:
        if target.exists():
            retired = built.with_name(built.name + ".replaced")
            os.rename(target, retired)
            try:
                os.rename(built, target)
            except OSError:
                os.rename(retired, target)  # keep the old model rather than none
                raise
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(built, target)
    except OSError as exc:  # another pull or export won the race for the same folder
        raise HubError(f"cannot move the model into {target}: {exc.strerror}") from None
    return target
