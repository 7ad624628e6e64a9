"""End-to-end accuracy on the evaluation claims, and retrieval recall of gold evidence.

Loads the sample corpus into a temporary database, verifies every claim of
eval/claims-v1.jsonl with the configured models (the offline bundle by default) and
reports verdict accuracy, macro-F1 and the confusion matrix, plus how often a gold
evidence passage (one containing a gold quote) is among the top-k passages retrieved.

    python benchmarks/eval_accuracy.py --out benchmarks/results/eval_accuracy
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import command_line, emit, machine_info  # noqa: E402

from truthgraph.config import Settings  # noqa: E402
from truthgraph.ingest.readers import read_file  # noqa: E402
from truthgraph.ingest.service import Ingestor  # noqa: E402
from truthgraph.pipeline import Verifier  # noqa: E402
from truthgraph.runtime import open_inference  # noqa: E402
from truthgraph.store.sqlite import SQLiteStore  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LABELS = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")


def macro_f1(confusion: dict[str, dict[str, int]]) -> float:
    scores = []
    for label in LABELS:
        tp = confusion[label][label]
        predicted = sum(confusion[g][label] for g in LABELS)
        gold = sum(confusion[label].values())
        precision = tp / predicted if predicted else 0.0
        recall = tp / gold if gold else 0.0
        scores.append(2 * precision * recall / (precision + recall) if tp else 0.0)
    return sum(scores) / len(scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=Path, default=ROOT / "eval/claims-v1.jsonl")
    parser.add_argument("--top-k", type=int, default=10)
    parser.add_argument("--out", type=Path, help="write OUT.json and OUT.md")
    args = parser.parse_args()

    claims = [json.loads(x) for x in args.claims.read_text("utf-8").splitlines() if x.strip()]
    inference = open_inference(Settings())
    confusion = {g: dict.fromkeys(LABELS, 0) for g in LABELS}
    found = needed = 0
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "eval.db")
        corpus = ROOT / "src/truthgraph/sample/corpus.jsonl"
        Ingestor(store, inference).ingest_items(read_file(corpus, doc_id="", max_chars=10**6))
        verifier = Verifier(store, inference, top_k=args.top_k)
        results = list(verifier.verify_many(c["claim"] for c in claims))
        models = verifier.models()
        store.close()
    for claim, result in zip(claims, results, strict=True):
        confusion[claim["label"]][result.verdict.value] += 1
        quotes = [(e["doc_id"], e["quote"]) for e in claim["evidence"]]
        if quotes:
            needed += 1
            cited = [(e.retrieved.passage.doc_id, e.retrieved.passage.text)
                     for e in result.evidence]
            found += any(d == qd and (q in t or t in q) for qd, q in quotes for d, t in cited)
    correct = sum(confusion[g][g] for g in LABELS)
    report: dict[str, Any] = {
        "machine": machine_info("onnxruntime", "tokenizers"), "command": command_line(),
        "models": models, "claims": len(claims), "top_k": args.top_k,
        "accuracy": round(correct / len(claims), 4),
        "macro_f1": round(macro_f1(confusion), 4), "confusion": confusion,
        "gold_evidence_recall_at_k": round(found / needed, 4) if needed else None,
        "claims_with_gold_evidence": needed,
    }
    emit(report, args.out, render(report))


def render(r: dict[str, Any]) -> str:
    rows = "\n".join(
        f"| {g} | " + " | ".join(str(r["confusion"][g][p]) for p in LABELS) + " |"
        for g in LABELS
    )
    m = r["machine"]
    return (
        "# End-to-end accuracy on eval/claims-v1.jsonl\n\n"
        f"Command: `{r['command']}`\n\nMachine: {m['cpus']} CPUs ({m['cpu_model']}), "
        f"Python {m['python']}, packages {m['packages']}\n\nModels: {r['models']}\n\n"
        f"Claims: {r['claims']} over the 40-document sample corpus, top-k {r['top_k']}.\n\n"
        f"| measure | value |\n|---|---|\n| verdict accuracy | {r['accuracy']} |\n"
        f"| verdict macro-F1 | {r['macro_f1']} |\n"
        f"| gold evidence among the top-k passages | {r['gold_evidence_recall_at_k']} "
        f"({r['claims_with_gold_evidence']} claims with gold evidence) |\n\n"
        "Confusion matrix (rows = gold, columns = predicted):\n\n"
        "| gold \\ predicted | " + " | ".join(LABELS) + " |\n|---|---|---|---|\n" + rows + "\n"
    )


if __name__ == "__main__":
    main()
