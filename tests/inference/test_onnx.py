"""Real ONNX Runtime sessions over tiny models: pooling, batching and label order."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.tiny_models import build_nli
from truthgraph.inference.manifest import ModelFormatError, load_manifest, verify_checksums
from truthgraph.inference.onnx import LocalInference, OnnxEmbedder, OnnxNLI

PAIRS = [
    ("The tower is in Paris.", "That is true."),
    ("The tower is in Paris.", "That is false."),
    ("The tower is in Paris.", "The cat sleeps."),
]


@pytest.mark.parametrize(
    "order",
    [
        ("entailment", "neutral", "contradiction"),
        ("contradiction", "entailment", "neutral"),
        ("neutral", "contradiction", "entailment"),
    ],
)
def test_nli_probabilities_come_out_in_canonical_order_whatever_the_model_order(
    tmp_path: Path, order: tuple[str, str, str]
) -> None:
    nli = OnnxNLI(build_nli(tmp_path / "nli", order))
    probs = nli.probabilities(PAIRS)
    assert probs.shape == (3, 3)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert probs.argmax(axis=1).tolist() == [0, 2, 1]  # entail, contradict, neutral


def test_label_order_is_read_from_the_manifest_not_assumed(tmp_path: Path) -> None:
    # The graph emits (contradiction, entailment, neutral) but the manifest claims
    # (entailment, neutral, contradiction): TruthGraph must follow the manifest, so
    # the "false" pair is now read as entailment. This is why manifests must be right.
    honest = OnnxNLI(build_nli(tmp_path / "a", ("contradiction", "entailment", "neutral")))
    lying = OnnxNLI(
        build_nli(
            tmp_path / "b",
            ("contradiction", "entailment", "neutral"),
            lie_about=("entailment", "neutral", "contradiction"),
        )
    )
    assert honest.probabilities(PAIRS[1:2]).argmax() == 2
    assert lying.probabilities(PAIRS[1:2]).argmax() == 0


def test_embeddings_are_unit_length_and_independent_of_batching(
    tiny_models: tuple[Path, Path],
) -> None:
    embedder = OnnxEmbedder(tiny_models[0])
    texts = ["the tower", "the blue whale is the largest animal in the ocean", "a cat"]
    together = embedder.embed(texts)
    alone = np.stack([embedder.embed([t])[0] for t in texts])
    assert together.shape == (3, 16) and together.dtype == np.float32
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-6)  # padding never leaks into the mean


def test_mean_pooling_matches_a_hand_computed_mean(tiny_models: tuple[Path, Path]) -> None:
    embedder = OnnxEmbedder(tiny_models[0])
    encoding = embedder.model.tokenizer.encode("tower paris")
    states, _mask = embedder.model.run([encoding])[0]
    expected = states.mean(axis=0)
    expected /= np.linalg.norm(expected)
    assert np.allclose(embedder.embed(["tower paris"])[0], expected, atol=1e-6)


def test_batches_respect_the_token_budget(tiny_models: tuple[Path, Path]) -> None:
    embedder = OnnxEmbedder(tiny_models[0])
    embedder.model.token_budget = 20
    encodings = embedder.model.tokenizer.encode_batch(["the tower " * 4, "a", "the cat runs"])
    batches = embedder.model._batches(encodings)
    for batch in batches:
        width = max(len(encodings[i].ids) for i in batch)
        assert width * len(batch) <= 20 or len(batch) == 1
    assert sorted(i for b in batches for i in b) == [0, 1, 2]


def test_local_client_returns_plain_lists_and_scores(tiny_inference: LocalInference) -> None:
    vectors = tiny_inference.embed(["the tower"])
    assert isinstance(vectors[0], list) and len(vectors[0]) == 16
    [scores] = tiny_inference.nli([("The tower.", "Yes indeed.")])
    assert scores.entailment > 0.9
    assert tiny_inference.nli([]) == [] and tiny_inference.embed([]) == []


def test_manifest_problems_are_reported_clearly(tmp_path: Path) -> None:
    model = build_nli(tmp_path / "nli")
    manifest = load_manifest(model)
    assert verify_checksums(model, manifest) == []
    (model / "tokenizer.json").write_text((model / "tokenizer.json").read_text() + " ")
    assert verify_checksums(model, manifest) == ["tokenizer.json: sha256 mismatch"]
    data = json.loads((model / "manifest.json").read_text())
    data["labels"] = ["entailment", "neutral", "neutral"]
    (model / "manifest.json").write_text(json.dumps(data))
    with pytest.raises(ModelFormatError, match="entailment, neutral and contradiction"):
        load_manifest(model)
    with pytest.raises(ModelFormatError, match="no manifest.json"):
        load_manifest(tmp_path)
    with pytest.raises(ModelFormatError, match="a nli model, expected embedding"):
        data["labels"] = ["entailment", "neutral", "contradiction"]
        (model / "manifest.json").write_text(json.dumps(data))
        load_manifest(model, task="embedding")
