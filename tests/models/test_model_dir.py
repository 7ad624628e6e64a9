"""write_model_dir: the writer behind `models pull`, `models export` and the scripts that
build the bundled models (which record a `build` block the runtime never reads)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.tiny_models import build_nli
from truthgraph.inference.manifest import ModelFormatError, sha256_file, verify_checksums
from truthgraph.models.errors import HubError
from truthgraph.models.model_dir import write_model_dir


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    """A tiny NLI model whose tokenizer pads and truncates, as a hub repo's would."""
    model = build_nli(tmp_path / "source", ("entailment", "neutral", "contradiction"))
    tokenizer = json.loads((model / "tokenizer.json").read_text("utf-8"))
    tokenizer["truncation"] = {
        "direction": "Right",
        "max_length": 8,
        "strategy": "LongestFirst",
        "stride": 0,
    }
    tokenizer["padding"] = {
        "strategy": {"Fixed": 8},
        "direction": "Right",
        "pad_to_multiple_of": None,
        "pad_id": 0,
        "pad_type_id": 0,
        "pad_token": "[PAD]",
    }
    (model / "tokenizer.json").write_text(json.dumps(tokenizer), "utf-8")
    return model


def fields(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "format_version": 1,
        "name": "test/nli-int8",
        "task": "nli",
        "quantization": "int8-dynamic",
        "max_length": 64,
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "output": "logits",
        "labels": ["entailment", "neutral", "contradiction"],
        "build": {"opset": 17, "seed": 42},
        "starter": True,
    }
    return base | changes


def test_the_manifest_keeps_the_fields_in_order_and_adds_checksums(
    source: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "out"
    manifest = write_model_dir(
        dest,
        onnx_file=source / "model.onnx",
        tokenizer_file=source / "tokenizer.json",
        fields=fields(),
    )
    written = json.loads((dest / "manifest.json").read_text("utf-8"))
    assert list(written) == [*fields(), "files"]
    assert written["build"] == {"opset": 17, "seed": 42}
    assert written["files"] == {
        "model.onnx": sha256_file(dest / "model.onnx"),
        "tokenizer.json": sha256_file(dest / "tokenizer.json"),
    }
    assert (dest / "model.onnx").read_bytes() == (source / "model.onnx").read_bytes()
    assert manifest.starter and manifest.labels == ["entailment", "neutral", "contradiction"]
    assert verify_checksums(dest, manifest) == []


def test_the_tokenizer_is_saved_without_padding_or_truncation(source: Path, tmp_path: Path) -> None:
    dest = tmp_path / "out"
    write_model_dir(
        dest,
        onnx_file=source / "model.onnx",
        tokenizer_file=source / "tokenizer.json",
        fields=fields(),
    )
    saved = json.loads((dest / "tokenizer.json").read_text("utf-8"))
    assert saved["padding"] is None and saved["truncation"] is None
    assert saved["model"] == json.loads((source / "tokenizer.json").read_text("utf-8"))["model"]


def test_a_directory_can_be_rewritten_in_place(source: Path) -> None:
    """The scripts write over the bundled folder their graph already sits in."""
    manifest = write_model_dir(
        source,
        onnx_file=source / "model.onnx",
        tokenizer_file=source / "tokenizer.json",
        fields=fields(name="test/rewritten"),
    )
    assert manifest.name == "test/rewritten"
    assert verify_checksums(source, manifest) == []


def test_a_manifest_the_runtime_cannot_read_is_refused(source: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelFormatError, match="labels"):
        write_model_dir(
            tmp_path / "out",
            onnx_file=source / "model.onnx",
            tokenizer_file=source / "tokenizer.json",
            fields=fields(labels=["entailment", "neutral", "neutral"]),
        )


def test_a_model_that_does_not_run_as_described_is_refused(source: Path, tmp_path: Path) -> None:
    with pytest.raises(HubError, match="does not run"):
        write_model_dir(
            tmp_path / "out",
            onnx_file=source / "model.onnx",
            tokenizer_file=source / "tokenizer.json",
            fields=fields(output="scores"),
        )
