"""Tiny ONNX models built by the tests themselves, to drive the real ONNX Runtime code
path without shipping weights. Their outputs are meaningful only for the tests: the
embedder averages per-word vectors; the NLI model reads cue words."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
# Cue words of the tiny NLI model.
ENTAIL_CUES = ["true", "yes", "confirmed", "indeed"]
CONTRA_CUES = ["false", "never", "wrong", "denied"]
WORDS = [
    "the",
    "a",
    "is",
    "was",
    "in",
    "of",
    "and",
    "tower",
    "paris",
    "built",
    "river",
    "long",
    "bridge",
    "city",
    "opened",
    "year",
    "metres",
    "tall",
    "blue",
    "whale",
    "ocean",
    "largest",
    "animal",
    "mountain",
    "high",
    "capital",
    "france",
    "cat",
    "dog",
    "sleeps",
    "runs",
    *ENTAIL_CUES,
    *CONTRA_CUES,
]
VOCAB = {token: index for index, token in enumerate(SPECIALS + WORDS)}


def _tokenizer() -> Tokenizer:
    tok = Tokenizer(models.WordLevel(VOCAB, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", VOCAB["[CLS]"]), ("[SEP]", VOCAB["[SEP]"])],
    )
    return tok


def _write_dir(path: Path, graph: onnx.GraphProto, manifest: dict[str, object]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path / "model.onnx"))
    _tokenizer().save(str(path / "tokenizer.json"))
    manifest["files"] = {
        name: hashlib.sha256((path / name).read_bytes()).hexdigest()
        for name in ("model.onnx", "tokenizer.json")
    }
    (path / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return path


def _inputs() -> list[onnx.ValueInfoProto]:
    return [
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "seq"])
        for name in ("input_ids", "attention_mask", "token_type_ids")
    ]


def build_embedder(path: Path, dim: int = 16) -> Path:
    rng = np.random.default_rng(7)
    table = rng.normal(size=(len(VOCAB), dim)).astype(np.float32)
    table[: len(SPECIALS)] *= 0.05  # special tokens carry little meaning
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "input_ids"], ["last_hidden_state"])],
        "tiny_embedder",
        _inputs()[:1],
        [
            helper.make_tensor_value_info(
                "last_hidden_state", TensorProto.FLOAT, ["batch", "seq", dim]
            )
        ],
        [numpy_helper.from_array(table, "table")],
    )
    return _write_dir(
        path,
        graph,
        {
            "format_version": 1,
            "name": "test/tiny-embedder",
            "task": "embedding",
            "quantization": "fp32",
            "max_length": 64,
            "inputs": ["input_ids"],
            "output": "last_hidden_state",
            "pooling": "mean",
            "normalize": True,
            "dimension": dim,
        },
    )


def build_nli(
    path: Path,
    labels: tuple[str, str, str] = ("contradiction", "entailment", "neutral"),
    *,
    lie_about: tuple[str, str, str] | None = None,
) -> Path:
    """An NLI model whose output columns follow `labels`. `lie_about` writes a different
    label order into the manifest than the graph really has (for the label-order tests)."""
    table = np.zeros((len(VOCAB), 3), dtype=np.float32)
    table[:, labels.index("neutral")] = 0.4  # any ordinary word leans neutral
    table[VOCAB["[PAD]"]] = 0.0  # padding must not change a pair's scores
    for word in ENTAIL_CUES:
        table[VOCAB[word]] = 0.0
        table[VOCAB[word], labels.index("entailment")] = 12.0
    for word in CONTRA_CUES:
        table[VOCAB[word]] = 0.0
        table[VOCAB[word], labels.index("contradiction")] = 12.0
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["table", "input_ids"], ["per_token"]),
            helper.make_node("ReduceSum", ["per_token", "axes"], ["logits"], keepdims=0),
        ],
        "tiny_nli",
        _inputs(),
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 3])],
        [
            numpy_helper.from_array(table, "table"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "axes"),
        ],
    )
    return _write_dir(
        path,
        graph,
        {
            "format_version": 1,
            "name": "test/tiny-nli",
            "task": "nli",
            "quantization": "fp32",
            "max_length": 64,
            "inputs": ["input_ids", "attention_mask", "token_type_ids"],
            "output": "logits",
            "labels": list(lie_about or labels),
            "starter": True,
        },
    )
