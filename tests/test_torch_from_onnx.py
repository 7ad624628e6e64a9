"""benchmarks/models/torch_from_onnx.py rebuilds the shipped int8 NLI model on torch.

Runs only where torch, transformers and onnx are installed (the model export environment).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("onnx")

REPO_ROOT = Path(__file__).resolve().parents[1]
SCRIPT = REPO_ROOT / "benchmarks" / "models" / "torch_from_onnx.py"


@pytest.fixture(scope="module")
def rebuild() -> ModuleType:
    spec = importlib.util.spec_from_file_location("torch_from_onnx", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def model(rebuild: ModuleType) -> Any:
    return rebuild.load_model(rebuild.NLI_DIR)


@pytest.mark.slow
def test_every_torch_parameter_comes_from_the_onnx_file(rebuild: ModuleType, model: Any) -> None:
    state = rebuild.onnx_state_dict(rebuild.NLI_DIR / "model.onnx")
    # A model trained with `--pooling mean` never uses BERT's pooler, so its graph has none.
    pooled = "bert.pooler.dense.weight" in state
    params = {k: v for k, v in model.named_parameters() if pooled or ".pooler." not in k}
    assert set(state) == set(params)
    for name, value in state.items():
        assert tuple(params[name].shape) == value.shape, name
    # Per-channel int8 weights take at most 256 distinct values per output row.
    query = state["bert.encoder.layer.0.attention.self.query.weight"]
    assert max(len(set(row.tolist())) for row in query) <= 256


@pytest.mark.slow
def test_logits_match_onnxruntime_on_the_int8_file(rebuild: ModuleType, model: Any) -> None:
    if not rebuild.NLI_TEST.is_file():
        pytest.skip("no data/nli/test.jsonl")
    report = rebuild.compare(model, rebuild.nli_pairs(20), rebuild.NLI_DIR)
    # Only activation quantisation separates the two; a wrong mapping gives unrelated logits.
    per_pair = report["torch_vs_onnx_per_pair"]
    assert per_pair["argmax_agreement"] >= 0.9
    assert per_pair["mean_abs_logit_diff"] < 0.5
