"""Ingestion throughput and single-claim verify latency on the embedded default.

Corpus: the bundled sample corpus plus every premise of the templated NLI training set as
its own document (thousands of short encyclopedic passages). Claims: the evaluation set
(eval/claims-v1.jsonl), verified one at a time with top-k 10, as a user at the CLI or a
synchronous API call would. Models: whatever the settings select (the bundle by default).

    python benchmarks/ingest_verify.py --out benchmarks/results/ingest_verify
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import command_line, emit, machine_info, percentile  # noqa: E402

from truthgraph.config import Settings  # noqa: E402
from truthgraph.domain import SourceDocument  # noqa: E402
from truthgraph.ingest.readers import read_file  # noqa: E402
from truthgraph.ingest.service import Ingestor  # noqa: E402
from truthgraph.pipeline import Verifier  # noqa: E402
from truthgraph.runtime import open_inference  # noqa: E402
from truthgraph.store.sqlite import SQLiteStore  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def corpus() -> list[SourceDocument]:
    docs = [
        d
        for d in read_file(ROOT / "src/truthgraph/sample/corpus.jsonl", doc_id="", max_chars=10**6)
        if isinstance(d, SourceDocument)
    ]
    seen = set()
    for line in (ROOT / "data/nli/templated/train.jsonl").read_text("utf-8").splitlines():
        premise = json.loads(line)["premise"]
        if premise not in seen:
            seen.add(premise)
            docs.append(SourceDocument(id=f"nli-{len(seen)}", text=premise, origin="nli"))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=Path, default=ROOT / "eval/claims-v1.jsonl")
    parser.add_argument("--top-k", type=int, default=10)
    parser.add_argument("--out", type=Path, help="write OUT.json and OUT.md")
    args = parser.parse_args()

    settings = Settings()
    inference = open_inference(settings)
    docs = corpus()
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "bench.db")
        ingestor = Ingestor(store, inference)
        started = time.perf_counter()
        report = ingestor.ingest_items(docs)
        ingest_s = time.perf_counter() - started
        verifier = Verifier(store, inference, top_k=args.top_k)
        claims = [json.loads(x)["claim"] for x in args.claims.read_text("utf-8").splitlines()]
        verifier.verify(claims[0])  # warm-up: first-run allocations are not latency
        latencies = []
        stages: dict[str, list[float]] = {}
        pairs = []
        for claim in claims:
            started = time.perf_counter()
            verified = verifier.verify(claim)
            latencies.append((time.perf_counter() - started) * 1000)
            for stage, ms in verified.timings_ms.items():
                stages.setdefault(stage, []).append(ms)
            pairs.append(len(verified.evidence) + len(verified.windows))
        counts = store.counts()
        store.close()

    result: dict[str, object] = {
        "machine": machine_info("onnxruntime", "tokenizers", "numpy"),
        "command": command_line(),
        "models": verifier.models(),
        "ingest": {
            "documents": report.documents_added,
            "passages": report.passages_added,
            "duplicates": report.duplicate_passages,
            "seconds": round(ingest_s, 2),
            "passages_per_second": round(report.passages_added / ingest_s, 1),
        },
        "verify": {
            "claims": len(latencies),
            "top_k": args.top_k,
            "corpus_passages": counts["passages"],
            "p50_ms": round(percentile(latencies, 50), 1),
            "p95_ms": round(percentile(latencies, 95), 1),
            "mean_ms": round(statistics.fmean(latencies), 1),
            # Where the time goes: median per stage, and NLI pairs (passages + windows).
            "stage_p50_ms": {k: round(percentile(v, 50), 1) for k, v in stages.items()},
            "nli_pairs_mean": round(statistics.fmean(pairs), 2),
        },
    }
    emit(result, args.out, render(result))


def render(result: dict[str, object]) -> str:
    m = result["machine"]
    i = result["ingest"]
    v = result["verify"]
    assert isinstance(m, dict) and isinstance(i, dict) and isinstance(v, dict)
    return (
        "# Ingestion throughput and verify latency (embedded default)\n\n"
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB, "
        f"Python {m['python']}, packages {m['packages']}\n\n"
        f"Command: `{result['command']}`\n\nModels: {result['models']}\n\n"
        "| measure | value |\n|---|---|\n"
        f"| documents ingested | {i['documents']} |\n"
        f"| passages stored | {i['passages']} (duplicates skipped: {i['duplicates']}) |\n"
        f"| ingest time | {i['seconds']} s |\n"
        f"| ingestion throughput | {i['passages_per_second']} passages/s |\n"
        f"| claims verified one at a time | {v['claims']} (top-k {v['top_k']}, "
        f"corpus {v['corpus_passages']} passages) |\n"
        f"| verify latency p50 | {v['p50_ms']} ms |\n"
        f"| verify latency p95 | {v['p95_ms']} ms |\n"
        f"| verify latency mean | {v['mean_ms']} ms |\n"
        + "".join(f"| stage p50: {k} | {ms} ms |\n" for k, ms in v["stage_p50_ms"].items())
        + f"| NLI pairs per claim (passages + windows), mean | {v['nli_pairs_mean']} |\n"
    )


if __name__ == "__main__":
    main()
