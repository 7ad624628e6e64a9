"""Macro-F1 of NLI model directories on one split, through the runtime's own `OnnxNLI`.

Candidates are compared this way on the dev split: the same length-sorted batches, the
same truncation and the same label mapping as a verification uses, with no torch.

    python scripts/models/score_nli.py data/nli/dev.jsonl \\
        src/truthgraph/bundle/nli-starter-minilm-l6-int8 /tmp/candidate/int8
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nli_metrics import classification_report  # noqa: E402

from truthgraph.domain import CANONICAL_LABELS  # noqa: E402
from truthgraph.inference.onnx import OnnxNLI  # noqa: E402


def score(model: Path, rows: list[dict[str, str]]) -> dict[str, float]:
    probs = OnnxNLI(model).probabilities([(r["premise"], r["hypothesis"]) for r in rows])
    labels = [str(stance) for stance in CANONICAL_LABELS]  # the dataset's label names
    gold = [labels.index(r["label"]) for r in rows]
    report = classification_report(gold, probs.argmax(axis=1).tolist(), labels)
    return {"accuracy": report["accuracy"], "macro_f1": report["macro_f1"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="JSONL pairs: premise, hypothesis, label")
    parser.add_argument("models", type=Path, nargs="+", help="NLI model directories")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.split.read_text("utf-8").splitlines()]
    for model in args.models:
        result = score(model, rows)
        print(
            f"{model}  {args.split.name} ({len(rows)} pairs)  accuracy {result['accuracy']:.4f}"
            f"  macro-F1 {result['macro_f1']:.4f}"
        )


if __name__ == "__main__":
    main()
