"""`models export` on a tiny, randomly initialised BERT classifier saved to a temp folder
(no downloads). Runs only where the `export` extra (torch) is installed."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from tests.models.fake_hub import FakeHub, point_client_at
from tests.tiny_models import VOCAB, build_nli
from truthgraph.cli import main
from truthgraph.inference.manifest import load_manifest, verify_checksums
from truthgraph.inference.onnx import OnnxNLI

HAS_TORCH = importlib.util.find_spec("torch") is not None
needs_torch = pytest.mark.skipif(
    not HAS_TORCH, reason="torch is not installed (pip install 'truthgraph[export]')"
)
# The order some public MNLI models use: the manifest must copy it from id2label.
ID2LABEL = {0: "contradiction", 1: "entailment", 2: "neutral"}


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer BERT with 3 labels and the tiny word-level tokenizer, as a hub repo
    folder: config.json, model.safetensors, tokenizer.json."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    root = tmp_path_factory.mktemp("checkpoint")
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(VOCAB),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
        id2label=ID2LABEL,
        label2id={label: index for index, label in ID2LABEL.items()},
        architectures=["BertForSequenceClassification"],
    )
    BertForSequenceClassification(config).eval().save_pretrained(str(root))
    tokenizer_source = build_nli(tmp_path_factory.mktemp("tokenizer"))
    (root / "tokenizer.json").write_bytes((tokenizer_source / "tokenizer.json").read_bytes())
    return root


def _torch_logits(checkpoint: Path, feed: dict[str, Any]) -> Any:
    import torch
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(str(checkpoint)).eval()
    with torch.no_grad():
        return model(**{k: torch.from_numpy(v) for k, v in feed.items()}).logits.numpy()


@needs_torch
@pytest.mark.slow
def test_export_matches_torch_and_copies_the_label_order(
    checkpoint: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import onnxruntime as ort

    cache = tmp_path / "cache"
    monkeypatch.setenv("TRUTHGRAPH_MODEL_CACHE", str(cache))
    result = CliRunner().invoke(main, ["models", "export", str(checkpoint), "--name", "tiny-bert"])
    assert result.exit_code == 0, result.output
    model_dir = cache / "tiny-bert"
    assert json.loads(result.stdout)["path"] == str(model_dir)
    manifest = load_manifest(model_dir, task="nli")
    assert verify_checksums(model_dir, manifest) == []
    assert manifest.labels == [ID2LABEL[i] for i in range(3)]
    assert (manifest.task, manifest.quantization, manifest.output, manifest.max_length) == (
        "nli",
        "fp32",
        "logits",
        128,
    )
    assert manifest.inputs == ["input_ids", "attention_mask", "token_type_ids"]
    assert manifest.source == f"export:{checkpoint.resolve()}"

    # Another batch size and length than the export used, with a padded row.
    rng = np.random.default_rng(3)
    ids = rng.integers(4, len(VOCAB), size=(4, 19), dtype=np.int64)
    mask = np.ones_like(ids)
    mask[1, 9:] = 0
    types = np.zeros_like(ids)
    types[:, 10:] = 1
    feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
    session = ort.InferenceSession(
        str(model_dir / "model.onnx"), providers=["CPUExecutionProvider"]
    )
    (got,) = session.run(["logits"], feed)
    np.testing.assert_allclose(got, _torch_logits(checkpoint, feed), rtol=0, atol=1e-4)

    # The runtime reorders the exported columns to canonical order (entail, neutral, contra).
    pairs = [("the tower is in paris", "that is true"), ("the cat", "the dog runs")]
    encodings = OnnxNLI(model_dir).model.tokenizer.encode_batch(pairs)
    probabilities = OnnxNLI(model_dir).probabilities(pairs)
    for row, encoding in enumerate(encodings):
        one = {
            "input_ids": np.array([encoding.ids]),
            "attention_mask": np.array([encoding.attention_mask]),
            "token_type_ids": np.array([encoding.type_ids]),
        }
        logits = _torch_logits(checkpoint, one)[0].astype(np.float64)
        soft = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
        np.testing.assert_allclose(probabilities[row], soft[[1, 2, 0]], atol=1e-4)


@needs_torch
@pytest.mark.slow
def test_int8_export_quantises_the_weights(
    checkpoint: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import onnx

    cache = tmp_path / "cache"
    monkeypatch.setenv("TRUTHGRAPH_MODEL_CACHE", str(cache))
    result = CliRunner().invoke(main, ["models", "export", str(checkpoint), "--variant", "int8"])
    assert result.exit_code == 0, result.output
    model_dir = cache / checkpoint.name
    manifest = load_manifest(model_dir, task="nli")
    assert manifest.quantization == "int8"
    assert manifest.labels == [ID2LABEL[i] for i in range(3)]
    ops = {node.op_type for node in onnx.load(str(model_dir / "model.onnx")).graph.node}
    assert "DynamicQuantizeLinear" in ops and "MatMulInteger" in ops
    again = CliRunner().invoke(main, ["models", "export", str(checkpoint), "--variant", "int8"])
    assert again.exit_code == 1
    assert again.stderr == f"Error: {model_dir} already exists; pass --force to replace it\n"


@needs_torch
@pytest.mark.slow
def test_export_of_a_hub_repo_fetches_the_checkpoint_and_records_the_commit(
    checkpoint: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from truthgraph.models.export import export_model

    with FakeHub(tmp_path / "hub") as hub:
        point_client_at(hub, monkeypatch, tmp_path)
        files = {p.name: p.read_bytes() for p in checkpoint.iterdir() if p.is_file()}
        files["README.md"] = b"---\nlicense: apache-2.0\n---\n"
        hub.add_repo("acme/bert-tiny", files)
        exported = export_model("acme/bert-tiny", cache=tmp_path / "cache", task="nli")
        fetched = {
            path.rsplit("/", 1)[1]
            for method, path in hub.requests
            if method == "HEAD" and "/resolve/" in path
        }
        commit = hub.commit("acme/bert-tiny")
    assert fetched == {"config.json", "tokenizer.json", "model.safetensors"}
    assert exported.path == tmp_path / "cache" / "acme--bert-tiny"
    manifest = load_manifest(exported.path, task="nli")
    assert manifest.source == f"hub:acme/bert-tiny@{commit}"
    assert (manifest.license, manifest.labels) == ("apache-2.0", [ID2LABEL[i] for i in range(3)])


@pytest.mark.skipif(HAS_TORCH, reason="checks the message shown when torch is missing")
def test_export_without_the_extra_says_what_to_install(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRUTHGRAPH_MODEL_CACHE", str(tmp_path / "cache"))
    result = CliRunner().invoke(main, ["models", "export", "acme/nli-mini"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: exporting needs torch: install truthgraph[export] "
        "(pip install 'truthgraph[export]')\n"
    )
    assert not (tmp_path / "cache").exists()
