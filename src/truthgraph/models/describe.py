"""Reading a repo checkout's description of its model, before any weights are read:
task, NLI label order from `id2label`, pooling, max length and width. `models pull`
and `models export` both build their manifests from this."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from truthgraph.domain import Stance
from truthgraph.inference.manifest import ModelFormatError, stance_for_label
from truthgraph.models.errors import HubError

Task = Literal["embedding", "nli"]

# Repo files that describe the model; only those the repo has are fetched.
METADATA_FILES = (
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "sentence_bert_config.json",
    "modules.json",
    "1_Pooling/config.json",
)


@dataclass(frozen=True)
class ModelPlan:
    """What a repo's metadata says about its model, before any weights are read."""

    task: Task
    labels: list[str]
    pooling: Literal["mean", "cls"] | None
    max_length: int
    dimension: int | None


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
