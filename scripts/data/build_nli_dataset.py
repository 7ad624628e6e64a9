"""Build data/nli/{train,dev,test}.jsonl from the hand-written files in data/nli/written/.

    python scripts/data/build_nli_dataset.py [--seed 13]

- Written records (one premise, labelled hypotheses) become pairs tagged `made: written`.
- `train-*.jsonl` is split by premise into train and dev (a stable hash per premise
  and domain, about 12% to dev in every domain); the
  test split is `test-*.jsonl`, written in a separate pass that never saw training data.
- Premises that mention a reserved term (data/nli/reserved_terms.txt) or the title of a
  document of eval/v2 are dropped, so evaluation never measures memorisation.
- Rule-based perturbations (scripts/data/nli_perturb.py) multiply the train split only,
  tagged `made: perturbed`; the perturbed pairs are sampled so that each label keeps an
  equal share of the final train split.
- STATS.json records counts and the near-duplicate overlap between splits (word 3-gram
  Jaccard of premises and of hypotheses).

Deterministic for a given seed and input.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import nli_perturb

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "nli"
DEV_SHARE = 0.12
NEAR_DUPLICATE = 0.5  # word 3-gram Jaccard above which two premises count as one
# Share of written train pairs that also appear with a distractor sentence added.
DISTRACTOR_SHARE = 1.0
LABELS = ("entailment", "neutral", "contradiction")
FIELDS = (
    "id",
    "premise",
    "hypothesis",
    "label",
    "phenomenon",
    "domain",
    "style",
    "made",
    "premise_id",
)


def read_records(pattern: str) -> list[dict[str, Any]]:
    records = []
    for path in sorted((DATA / "written").glob(pattern)):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                records.append({**json.loads(line), "file": path.name})
    return records


def reserved_patterns() -> list[re.Pattern[str]]:
    """The reserved terms (any case), and the title of every eval/v2 document as a name:
    case-sensitive, without a parenthetical, so that the document "Gold" reserves a
    premise about gold ("Gold is ...") but not one that mentions a gold medal."""
    terms = [t.strip() for t in (DATA / "reserved_terms.txt").read_text().splitlines()]
    patterns = [re.compile(rf"\b{re.escape(t)}\b", re.IGNORECASE) for t in terms if t]
    for corpus in sorted((ROOT / "eval" / "v2").glob("corpus*.jsonl")):
        for line in corpus.read_text("utf-8").splitlines():
            if line.strip():
                title = json.loads(line)["title"].split(" (")[0].strip()
                if len(title) >= 3:
                    patterns.append(re.compile(rf"\b{re.escape(title)}\b"))
    return patterns


def pairs_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{record['id']}-{i}",
            "premise": record["premise"],
            "hypothesis": h["text"],
            "label": h["label"],
            "phenomenon": h["phenomenon"],
            "domain": record["domain"],
            "style": record["style"],
            "made": "written",
            "premise_id": record["id"],
        }
        for i, h in enumerate(record["hypotheses"])
    ]


def goes_to_dev(premise_id: str, domain: str) -> bool:
    """A stable, seedless choice per premise: adding files never moves a premise
    between train and dev, so a model trained on an earlier build never saw a later
    build's dev split. Hashing with the domain spreads dev evenly over domains."""
    digest = hashlib.sha256(f"{domain}/{premise_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < DEV_SHARE


def split_by_premise(records: list[dict[str, Any]]) -> tuple[list, list]:
    train = [r for r in records if not goes_to_dev(r["id"], r["domain"])]
    dev = [r for r in records if goes_to_dev(r["id"], r["domain"])]
    return train, dev


def perturb(pairs: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    out = []
    by_domain: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for pair in pairs:
        if pair["premise_id"] not in {p["premise_id"] for p in by_domain[pair["domain"]][-1:]}:
            by_domain[pair["domain"]].append(pair)
    copied: set[str] = set()
    for pair in pairs:
        for rule in nli_perturb.RULES:
            out.extend(rule(pair, rng))
        if pair["premise_id"] not in copied:
            copied.add(pair["premise_id"])
            out.extend(nli_perturb.sentence_copied(pair, rng))
        if pair["label"] != "neutral" and rng.random() < 0.5:
            out.extend(nli_perturb.other_premise(pair, by_domain[pair["domain"]], rng))
    # Label-preserving, so added after balancing the label-changing rules.
    return out


def with_distractors(pairs: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    pool = list({p["premise_id"]: p for p in pairs}.values())
    out = []
    for pair in pairs:
        if pair["made"] == "written" and rng.random() < DISTRACTOR_SHARE:
            out.extend(nli_perturb.distractor_added(pair, pool, rng))
    return out


def balance(
    written: list[dict[str, Any]], perturbed: list[dict[str, Any]], rng: random.Random
) -> list[dict[str, Any]]:
    """Keep as many perturbed pairs as possible while every label ends equally common."""
    have = Counter(p["label"] for p in written)
    extra = {label: [p for p in perturbed if p["label"] == label] for label in LABELS}
    target = min(have[label] + len(extra[label]) for label in LABELS)
    kept = []
    for label in LABELS:
        pool = extra[label]
        rng.shuffle(pool)
        kept += pool[: max(0, target - have[label])]
    return kept


def shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def best_jaccard(text: str, others: list[set[tuple[str, ...]]]) -> float:
    """Highest word 3-gram Jaccard of `text` against shingle sets `others`."""
    sh = shingles(text)
    return max((len(sh & o) / len(sh | o) for o in others if sh | o), default=0.0)


def overlap(a: list[str], b: list[str]) -> dict[str, float]:
    """For each text of `a`, its highest word 3-gram Jaccard against any text of `b`."""
    index: dict[tuple[str, ...], set[int]] = defaultdict(set)
    b_sh = [shingles(t) for t in b]
    for i, sh in enumerate(b_sh):
        for s in sh:
            index[s].add(i)
    best = []
    for text in a:
        sh = shingles(text)
        candidates = set().union(*(index[s] for s in sh)) if sh else set()
        best.append(max((len(sh & b_sh[i]) / len(sh | b_sh[i]) for i in candidates), default=0.0))
    return {
        "max": round(max(best, default=0.0), 3),
        "mean": round(sum(best) / len(best), 4) if best else 0.0,
        "over_0.5": sum(x > 0.5 for x in best),
        "over_0.3": sum(x > 0.3 for x in best),
    }


def write(out: Path, split: str, pairs: list[dict[str, Any]]) -> None:
    with (out / f"{split}.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for i, pair in enumerate(pairs):
            row = {k: pair[k] for k in FIELDS}
            row["id"] = f"{split}-{i:05d}"
            if pair["made"] == "perturbed":
                row["perturbation"] = pair["perturbation"]
                row["source_id"] = pair["source_id"]
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def stats(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "pairs": len(pairs),
        "premises": len({p["premise_id"] for p in pairs}),
        "label": dict(Counter(p["label"] for p in pairs)),
        "made": dict(Counter(p["made"] for p in pairs)),
        "perturbation": dict(Counter(p.get("perturbation", "-") for p in pairs)),
        "domain": dict(sorted(Counter(p["domain"] for p in pairs).items())),
        "phenomenon": dict(sorted(Counter(p["phenomenon"] for p in pairs).items())),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out-dir", type=Path, default=DATA)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    reserved = reserved_patterns()

    def allowed(record: dict[str, Any]) -> bool:
        text = " ".join([record["premise"], *(h["text"] for h in record["hypotheses"])])
        return not any(p.search(text) for p in reserved)

    written_train = read_records("train-*.jsonl")
    written_test = read_records("test-*.jsonl")
    kept_train = [r for r in written_train if allowed(r)]
    kept_test = [r for r in written_test if allowed(r)]
    # A training premise that nearly repeats a test premise (written independently about
    # the same fact) would leak the test split: drop it from training.
    test_premises = [shingles(r["premise"]) for r in kept_test]
    near = [best_jaccard(r["premise"], test_premises) > NEAR_DUPLICATE for r in kept_train]
    dropped_near = sum(near)
    kept_train = [r for r, n in zip(kept_train, near, strict=True) if not n]
    train_records, dev_records = split_by_premise(kept_train)
    train = [p for r in train_records for p in pairs_of(r)]
    dev = [p for r in dev_records for p in pairs_of(r)]
    test = [p for r in kept_test for p in pairs_of(r)]
    train += balance(train, perturb(train, rng), rng)
    train += with_distractors(train, rng)
    rng.shuffle(train)
    for name, pairs in (("train", train), ("dev", dev), ("test", test)):
        write(args.out_dir, name, pairs)
    premises = {
        n: sorted({p["premise"] for p in s if p["made"] == "written"})
        for n, s in (("train", train), ("dev", dev), ("test", test))
    }
    report = {
        "seed": args.seed,
        # train.jsonl is not committed (it is large and rebuilt byte for byte in seconds):
        # its checksum here lets a test confirm a rebuild matches what was trained on.
        "sha256": {
            name: hashlib.sha256((args.out_dir / f"{name}.jsonl").read_bytes()).hexdigest()
            for name in ("train", "dev", "test")
        },
        "train_premises_dropped_as_near_duplicates_of_test": dropped_near,
        "dropped_for_reserved_terms": {
            "train_and_dev_premises": len(written_train) - len(kept_train),
            "test_premises": len(written_test) - len(kept_test),
        },
        "splits": {"train": stats(train), "dev": stats(dev), "test": stats(test)},
        "near_duplicates_word_3gram_jaccard": {
            "test_premises_vs_train": overlap(premises["test"], premises["train"]),
            "dev_premises_vs_train": overlap(premises["dev"], premises["train"]),
            "test_hypotheses_vs_train": overlap(
                [p["hypothesis"] for p in test],
                sorted({p["hypothesis"] for p in train if p["made"] == "written"}),
            ),
        },
    }
    (args.out_dir / "STATS.json").write_text(json.dumps(report, indent=1) + "\n")
    print(
        json.dumps({k: report["splits"][k]["pairs"] for k in report["splits"]}),
        json.dumps(report["near_duplicates_word_3gram_jaccard"]),
    )


if __name__ == "__main__":
    main()
