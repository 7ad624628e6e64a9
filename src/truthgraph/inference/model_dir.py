"""Turning a folder of repo files into a TruthGraph model directory: the manifest read
from the files (task, NLI label order from `id2label`, pooling, max length, sizes),
a smoke test with TruthGraph's own runtime, and an atomic install into the cache.
Shared by `models pull` and `models export`."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from truthgraph.domain import Stance
from truthgraph.inference.manifest import (
    MANIFEST_NAME,
    ModelFormatError,
    ModelManifest,
    load_manifest,
    sha256_file,
    stance_for_label,
)

Task = Literal["embedding", "nli"]
Variant = Literal["fp32", "int8"]

# Repo files that describe the model; only those the repo has are fetched.
METADATA_FILES = (
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "sentence_bert_config.json",
    "modules.json",
    "1_Pooling/config.json",
)
RUNTIME_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
EMBEDDING_OUTPUTS = ("last_hidden_state", "token_embeddings")
STAGING_PREFIX = ".partial-"


class HubError(ModelFormatError):
    """A model cannot be pulled or exported: offline, not found, no usable files, or a
    repo whose description TruthGraph cannot read without guessing."""


@dataclass(frozen=True)
class ModelPlan:
    """What a repo's metadata says about its model, before any weights are read."""

    task: Task
    labels: list[str]
    pooling: Literal["mean", "cls"] | None
    max_length: int
    dimension: int | None


@dataclass(frozen=True)
class InstalledModel:
    path: Path
    manifest: ModelManifest
    onnx_file: str  # the repo file the graph came from ("export" for an export)


# --- reading a repo's description -------------------------------------------------


def _read_json(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise HubError(f"{path.name}: invalid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise HubError(f"{path.name}: expected a JSON object")
    return data


def plan_model(root: Path, *, name: str, task: Task | None) -> ModelPlan:
    """Read task, labels, pooling, length and width from a repo checkout at `root`."""
    config = _read_json(root / "config.json")
    if config is None:
        raise HubError(f"{name}: no config.json, so the model cannot be described")
    chosen: Task = task or _guess_task(config)
    return ModelPlan(
        task=chosen,
        labels=nli_labels(config, name=name) if chosen == "nli" else [],
        pooling=_pooling(root, name=name) if chosen == "embedding" else None,
        max_length=_max_length(root, config),
        dimension=_hidden_size(config) if chosen == "embedding" else None,
    )


def _guess_task(config: dict[str, Any]) -> Task:
    architectures = config.get("architectures") or []
    classifier = any(str(a).endswith("ForSequenceClassification") for a in architectures)
    id2label = config.get("id2label")
    count = len(id2label) if isinstance(id2label, dict) else config.get("num_labels")
    return "nli" if classifier and count == 3 else "embedding"


def nli_labels(config: dict[str, Any], *, name: str) -> list[str]:
    """The labels of the output columns, in column order, from `id2label`. A model whose
    labels do not name entailment, neutral and contradiction once is refused: guessing
    the order would turn refuting evidence into support."""
    raw = config.get("id2label")
    found = json.dumps(raw) if raw is not None else "none"
    problem = HubError(
        f"{name}: cannot map config.json id2label ({found}) to entailment, neutral and "
        "contradiction; refusing to guess the NLI label order"
    )
    if not isinstance(raw, dict):
        raise problem
    try:
        columns = sorted((int(index), str(label)) for index, label in raw.items())
        stances = [stance_for_label(label) for _, label in columns]
    except (ValueError, ModelFormatError):
        raise problem from None
    if [index for index, _ in columns] != [0, 1, 2] or sorted(stances) != sorted(Stance):
        raise problem
    return [label for _, label in columns]


def _pooling(root: Path, *, name: str) -> Literal["mean", "cls"]:
    folder = "1_Pooling"
    for module in _read_json_list(root / "modules.json") or []:
        kind = str(module.get("type", ""))
        if kind.endswith(".Pooling"):
            folder = str(module.get("path") or folder)
        elif kind.endswith(".Dense"):
            # The ONNX graph covers the transformer only; its vectors would lack the layer.
            raise HubError(
                f"{name}: its sentence-transformers pipeline has a Dense layer, "
                "which the ONNX transformer output does not include"
            )
    config = _read_json(root / folder / "config.json")
    if config is None:
        return "mean"  # what sentence-transformers itself uses for a plain transformer
    mode = config.get("pooling_mode")
    enabled = (
        {str(mode)}
        if isinstance(mode, str)
        else {
            key.removeprefix("pooling_mode_")
            for key, on in config.items()
            if key.startswith("pooling_mode_") and on is True
        }
    )
    if enabled == {"mean_tokens"} or enabled == {"mean"}:
        return "mean"
    if enabled == {"cls_token"} or enabled == {"cls"}:
        return "cls"
    raise HubError(f"{name}: pooling {sorted(enabled)} is not supported (mean or cls only)")


def _read_json_list(path: Path) -> list[dict[str, Any]] | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise HubError(f"{path.name}: invalid JSON: {exc.msg}") from None
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else None


def _max_length(root: Path, config: dict[str, Any]) -> int:
    """The longest input: sentence-transformers' setting, else the tokenizer's, else
    the model's position table."""
    found: int | None = None
    sbert = _read_json(root / "sentence_bert_config.json") or {}
    tokenizer_config = _read_json(root / "tokenizer_config.json") or {}
    tokenizer = _read_json(root / "tokenizer.json") or {}
    truncation = tokenizer.get("truncation")
    for value in (
        sbert.get("max_seq_length"),
        tokenizer_config.get("model_max_length"),
        truncation.get("max_length") if isinstance(truncation, dict) else None,
    ):
        # Tokenizers without a limit report a huge sentinel (1e30); skip it.
        if isinstance(value, int) and 0 < value <= 100_000:
            found = value
            break
    if found is None:
        positions = config.get("max_position_embeddings")
        if isinstance(positions, int):
            # RoBERTa-family position ids start after the padding index.
            found = positions - 2 if "roberta" in str(config.get("model_type", "")) else positions
    return max(8, min(found or 512, 8192))


def _hidden_size(config: dict[str, Any]) -> int | None:
    for key in ("hidden_size", "dim", "d_model"):  # BERT-likes, DistilBERT, T5-likes
        value = config.get(key)
        if isinstance(value, int):
            return value
    return None


# --- writing and installing a model directory --------------------------------------


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
    """Write model.onnx, tokenizer.json and manifest.json to `dest` and check the result
    with the same code the runtime uses."""
    from tokenizers import Tokenizer

    dest.mkdir(parents=True)
    shutil.copyfile(onnx_file, dest / "model.onnx")
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    # The runtime pads and truncates per batch itself; saved settings would fight it.
    tokenizer.no_padding()
    tokenizer.no_truncation()
    tokenizer.save(str(dest / "tokenizer.json"))
    inputs, output = _graph_signature(dest / "model.onnx", plan.task, name=name)
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
        files={f: sha256_file(dest / f) for f in ("model.onnx", "tokenizer.json")},
    )
    (dest / MANIFEST_NAME).write_text(manifest.model_dump_json(indent=2) + "\n", "utf-8")
    _smoke_test(dest, manifest)
    return manifest


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


def _smoke_test(model_dir: Path, manifest: ModelManifest) -> None:
    from truthgraph.inference.onnx import OnnxEmbedder, OnnxNLI
    from truthgraph.inference.protocol import InferenceError

    load_manifest(model_dir, task=manifest.task)
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


# --- talking to the hub -------------------------------------------------------------
