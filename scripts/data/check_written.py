"""Check hand-written NLI files (data/nli/written/*.jsonl) for format and reserved terms.

    python scripts/data/check_written.py data/nli/written/train-a-01.jsonl [...]

One record per line: a premise with its hypotheses, each labelled and tagged.
Exit status 1 when any record is malformed; every problem is printed as file:line.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

LABELS = {"entailment", "neutral", "contradiction"}
PHENOMENA = {
    "paraphrase",
    "synonym",
    "hypernym",
    "number_unit",
    "unit_conversion",
    "approximate",
    "arithmetic",
    "date",
    "comparative",
    "superlative",
    "negation",
    "quantifier",
    "partial_truth",
    "role_swap",
    "entity_swap",
    "date_swap",
    "place_swap",
    "number_swap",
    "related_entity",
    "unstated",
    "multi_sentence",
}
STYLES = {"encyclopedia", "news"}
RESERVED = Path(__file__).resolve().parents[2] / "data" / "nli" / "reserved_terms.txt"
SENTENCE_END = re.compile(r"[.!?](?:\s+|$)")


def reserved_terms() -> list[re.Pattern[str]]:
    terms = [t.strip() for t in RESERVED.read_text(encoding="utf-8").splitlines() if t.strip()]
    return [re.compile(rf"\b{re.escape(t)}\b", re.IGNORECASE) for t in terms]


def check_record(row: object, terms: list[re.Pattern[str]]) -> list[str]:
    if not isinstance(row, dict):
        return ["not a JSON object"]
    problems = []
    for key in ("id", "domain", "style", "premise", "hypotheses"):
        if key not in row:
            problems.append(f"missing {key!r}")
    if problems:
        return problems
    if row["style"] not in STYLES:
        problems.append(f"style must be one of {sorted(STYLES)}")
    premise = row["premise"]
    if not isinstance(premise, str) or not 40 <= len(premise) <= 700:
        problems.append("premise must be a string of 40-700 characters")
    elif not 1 <= len(SENTENCE_END.findall(premise)) <= 5:
        problems.append("premise should have 1-4 sentences")
    hyps = row["hypotheses"]
    if not isinstance(hyps, list) or not 3 <= len(hyps) <= 9:
        return [*problems, "hypotheses must be a list of 3-9 items"]
    counts = dict.fromkeys(LABELS, 0)
    for i, h in enumerate(hyps):
        if not isinstance(h, dict) or not {"label", "phenomenon", "text"} <= h.keys():
            problems.append(f"hypothesis {i}: needs label, phenomenon, text")
            continue
        if h["label"] not in LABELS:
            problems.append(f"hypothesis {i}: label {h['label']!r}")
        else:
            counts[h["label"]] += 1
        if h["phenomenon"] not in PHENOMENA:
            problems.append(f"hypothesis {i}: phenomenon {h['phenomenon']!r} not in the list")
        if not isinstance(h["text"], str) or not 8 <= len(h["text"]) <= 250:
            problems.append(f"hypothesis {i}: text must be 8-250 characters")
    if len(set(counts.values())) != 1:
        problems.append(f"labels must be balanced within a premise, got {counts}")
    text = " ".join([str(premise)] + [str(h.get("text", "")) for h in hyps if isinstance(h, dict)])
    for term in terms:
        if term.search(text):
            problems.append(f"mentions a reserved term: {term.pattern}")
    return problems


def main(paths: list[str]) -> int:
    terms = reserved_terms()
    bad = total = pairs = 0
    seen: set[str] = set()
    for name in paths:
        for line_no, line in enumerate(Path(name).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            total += 1
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{name}:{line_no}: invalid JSON: {exc}")
                bad += 1
                continue
            problems = check_record(row, terms)
            if isinstance(row, dict) and row.get("id") in seen:
                problems.append(f"duplicate id {row.get('id')!r}")
            if isinstance(row, dict):
                seen.add(str(row.get("id")))
                pairs += len(row.get("hypotheses") or [])
            for p in problems:
                print(f"{name}:{line_no}: {p}")
            bad += bool(problems)
    print(f"{total} premises, {pairs} pairs, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
