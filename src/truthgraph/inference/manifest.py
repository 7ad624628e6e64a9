"""The model directory format: `model.onnx`, `tokenizer.json` and `manifest.json`.

The manifest says what the model is for, how to pool it and, for NLI, the label of each
output column. TruthGraph reads label order from here and never assumes it: hub NLI
models disagree on it, and reading it wrong turns refuting evidence into support.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from truthgraph.domain import Stance
from truthgraph.inference.protocol import ModelInfo

MANIFEST_NAME = "manifest.json"
# The files a manifest carries checksums for, besides itself.
MODEL_FILES = ("model.onnx", "tokenizer.json")

# Names hub models use for the three classes, mapped to TruthGraph's stances.
_LABEL_ALIASES = {
    "entailment": Stance.ENTAILMENT,
    "entails": Stance.ENTAILMENT,
    "entailed": Stance.ENTAILMENT,
    "supports": Stance.ENTAILMENT,
    "neutral": Stance.NEUTRAL,
    "not enough info": Stance.NEUTRAL,
    "contradiction": Stance.CONTRADICTION,
    "contradicts": Stance.CONTRADICTION,
    "refutes": Stance.CONTRADICTION,
}


class ModelFormatError(ValueError):
    """A model directory is incomplete, inconsistent or fails its checksums."""


def stance_for_label(label: str) -> Stance:
    try:
        return _LABEL_ALIASES[label.strip().lower().replace("_", " ")]
    except KeyError:
        raise ModelFormatError(f"unknown NLI label {label!r}") from None


class ModelManifest(BaseModel):
    format_version: Literal[1] = 1
    name: str
    task: Literal["embedding", "nli"]
    description: str = ""
    source: str = ""
    license: str = ""
    quantization: str = "fp32"
    max_length: int = Field(ge=8, le=8192)
    inputs: list[str] = Field(default_factory=lambda: ["input_ids", "attention_mask"])
    output: str
    pooling: Literal["mean", "cls"] | None = None
    normalize: bool = True
    dimension: int | None = None
    labels: list[str] = Field(default_factory=list)
    starter: bool = False
    files: dict[str, str] = Field(default_factory=dict)
    # NLI only: verdict weights fitted for this model on development claims.
    verdict: dict[str, Any] | None = None

    @field_validator("labels")
    @classmethod
    def _known_labels(cls, labels: list[str]) -> list[str]:
        stances = [stance_for_label(label) for label in labels]
        if labels and sorted(stances) != sorted(Stance):
            raise ValueError("NLI labels must name entailment, neutral and contradiction once")
        return labels

    def info(self) -> ModelInfo:
        return ModelInfo(
            name=self.name,
            task=self.task,
            quantization=self.quantization,
            max_length=self.max_length,
            source=self.source,
            dimension=self.dimension,
            labels=tuple(self.labels),
            starter=self.starter,
            verdict=self.verdict,
        )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_manifest(model_dir: Path, *, task: str | None = None) -> ModelManifest:
    path = model_dir / MANIFEST_NAME
    try:
        manifest = ModelManifest.model_validate(json.loads(path.read_text("utf-8")))
    except FileNotFoundError:
        raise ModelFormatError(f"{model_dir}: no {MANIFEST_NAME}") from None
    except json.JSONDecodeError as exc:
        raise ModelFormatError(f"{path}: invalid JSON: {exc.msg}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "manifest"
        raise ModelFormatError(f"{path}: {where}: {first['msg']}") from None
    if task is not None and manifest.task != task:
        raise ModelFormatError(f"{model_dir}: a {manifest.task} model, expected {task}")
    if manifest.task == "nli" and len(manifest.labels) != 3:
        raise ModelFormatError(f"{path}: an NLI manifest must list its 3 labels in order")
    if manifest.task == "embedding" and manifest.pooling is None:
        raise ModelFormatError(f"{path}: an embedding manifest must name its pooling")
    for name in MODEL_FILES:
        if not (model_dir / name).is_file():
            raise ModelFormatError(f"{model_dir}: missing {name}")
    return manifest


def verify_checksums(model_dir: Path, manifest: ModelManifest) -> list[str]:
    """Problems found: files whose sha256 differs from the manifest, or lack one."""
    problems = []
    for name in MODEL_FILES:
        expected = manifest.files.get(name)
        if expected is None:
            problems.append(f"{name}: no checksum in manifest")
        elif sha256_file(model_dir / name) != expected:
            problems.append(f"{name}: sha256 mismatch")
    return problems
