"""Precision and recall of the claim finder on hand-marked texts (eval/check/).

For each text, the sentences the finder keeps are matched to the sentences marked
check-worthy by hand (truthgraph.claimfinder.scoring). Writes
benchmarks/results/claimfinder.{md,json} with per-split and per-genre scores, the
claims-per-second rate, and the machine.

    python benchmarks/claimfinder.py                # dev and test splits
    python benchmarks/claimfinder.py --show-errors dev
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import machine_info  # noqa: E402

from truthgraph.claimfinder.scoring import (  # noqa: E402
    TextScore,
    found_sentences,
    marked_spans,
    match,
    precision_recall,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "eval" / "check"
RESULTS = ROOT / "benchmarks" / "results" / "claimfinder"


def load(split: str) -> list[dict[str, Any]]:
    lines = (DATA / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def score_split(texts: list[dict[str, Any]]) -> tuple[list[TextScore], float]:
    started = time.perf_counter()
    scores = [
        match(found_sentences(t["text"]), marked_spans(t["text"], t["claims"])) for t in texts
    ]
    return scores, time.perf_counter() - started


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def summary(texts: list[dict[str, Any]], scores: list[TextScore]) -> dict[str, Any]:
    precision, recall = precision_recall(scores)
    by_genre: dict[str, list[TextScore]] = defaultdict(list)
    for text, score in zip(texts, scores, strict=True):
        by_genre[text["genre"]].append(score)
    return {
        "texts": len(texts),
        "marked": sum(s.marked for s in scores),
        "found": sum(s.found for s in scores),
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(_f1(precision, recall), 3),
        "by_genre": {
            genre: dict(
                zip(
                    ("precision", "recall"),
                    (round(v, 3) for v in precision_recall(g)),
                    strict=True,
                )
            )
            for genre, g in sorted(by_genre.items())
        },
    }


def show_errors(texts: list[dict[str, Any]], scores: list[TextScore]) -> None:
    for text, score in zip(texts, scores, strict=True):
        body = text["text"]
        for start, end in score.missed:
            print(f"MISSED {text['id']}: {body[start:end]!r}")
        for start, end in score.extra:
            print(f"EXTRA  {text['id']}: {body[start:end]!r}")


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "# Claim finder: check-worthy sentences found in hand-marked texts",
        "",
        "Each text of `eval/check/` was written for the project and every check-worthy",
        "sentence marked by hand (`eval/check/README.md`). A kept sentence matches a marked",
        "one when they share at least half of the longer of the two. The test split was",
        "written in a separate pass and never used to tune the rules.",
        "",
        "| split | texts | marked | found | precision | recall | F1 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for split, s in results["splits"].items():
        lines.append(
            f"| {split} | {s['texts']} | {s['marked']} | {s['found']} | {s['precision']:.3f} "
            f"| {s['recall']:.3f} | {s['f1']:.3f} |"
        )
    for split, s in results["splits"].items():
        lines += [
            "",
            f"By genre ({split}):",
            "",
            "| genre | precision | recall |",
            "| --- | ---: | ---: |",
        ]
        lines += [
            f"| {g} | {v['precision']:.3f} | {v['recall']:.3f} |" for g, v in s["by_genre"].items()
        ]
    m = results["machine"]
    lines += [
        "",
        f"Speed: {results['texts_per_second']:,.0f} texts per second (pure Python, one core).",
        "",
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB, "
        f"Python {m['python']}.",
        f"Command: `{results['command']}`",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", nargs="+", default=["dev", "test"])
    parser.add_argument("--show-errors", metavar="SPLIT", help="print misses and extras only")
    args = parser.parse_args()
    if args.show_errors:
        texts = load(args.show_errors)
        show_errors(texts, score_split(texts)[0])
        return
    splits, seconds, count = {}, 0.0, 0
    for split in args.splits:
        texts = load(split)
        scores, elapsed = score_split(texts)
        splits[split] = summary(texts, scores)
        seconds += elapsed
        count += len(texts)
    results = {
        "splits": splits,
        "texts_per_second": round(count / seconds, 1),
        "command": "python benchmarks/claimfinder.py " + " ".join(sys.argv[1:]),
        "machine": machine_info(),
    }
    RESULTS.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    RESULTS.with_suffix(".md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()
