"""End-to-end verdict quality: `truthgraph eval` on an evaluation set, with the machine.

Runs the evaluation of `truthgraph eval` (the same corpus loading, pipeline and metrics)
with the configured models (the offline bundle by default) and records the report with
the machine and the command:

    python benchmarks/eval_accuracy.py --out benchmarks/results/eval_accuracy
    python benchmarks/eval_accuracy.py --corpus eval/v2/corpus.jsonl \\
        --claims eval/v2/claims.jsonl --out benchmarks/results/eval_v2
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import command_line, emit, machine_info  # noqa: E402

from truthgraph.cli.evaluate import read_claims, run_evaluation  # noqa: E402
from truthgraph.config import Settings  # noqa: E402
from truthgraph.evaluation import render_markdown  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = ROOT / "src/truthgraph/sample/corpus.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SAMPLE_CORPUS)
    parser.add_argument("--claims", type=Path, default=ROOT / "eval/claims-v1.jsonl")
    parser.add_argument("--top-k", type=int, default=10)
    parser.add_argument("--out", type=Path, help="write OUT.json and OUT.md")
    args = parser.parse_args()
    claims = read_claims(args.claims, None)
    scored, models = run_evaluation(Settings(), (args.corpus,), claims, args.top_k)
    tables = render_markdown(scored)
    shown = {k: str(getattr(args, k).resolve().relative_to(ROOT)) for k in ("corpus", "claims")}
    report = {
        "machine": machine_info("onnxruntime", "tokenizers", "pint"),
        "command": command_line(),
        **shown,
        "models": models,
        **scored.as_dict(),
    }
    m = report["machine"]
    text = (
        f"# End-to-end verdicts on {shown['claims']}\n\n"
        f"Command: `{report['command']}`\n\nMachine: {m['cpus']} CPUs ({m['cpu_model']}), "
        f"Python {m['python']}, packages {m['packages']}\n\nModels: {report['models']}\n\n"
        f"Corpus: {shown['corpus']}; top-k {args.top_k}. The same report as "
        f"`truthgraph eval --corpus {shown['corpus']} --claims {shown['claims']} --markdown`.\n\n"
        f"{tables}\n"
    )
    emit(report, args.out, text)


if __name__ == "__main__":
    main()
