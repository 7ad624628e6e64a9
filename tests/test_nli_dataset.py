"""Checks on the committed NLI starter dataset (data/nli) and its generator."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "nli" / "templated"
GENERATOR = ROOT / "scripts" / "data" / "make_nli_dataset.py"
SPLITS = ("train", "dev", "test")
LABELS = {"entailment", "neutral", "contradiction"}
FIELDS = ["id", "premise", "hypothesis", "label", "phenomenon", "template", "topic"]
GENERATED = [f"{s}.jsonl" for s in SPLITS] + ["splits.json"]


@cache
def rows(split: str) -> list[dict[str, str]]:
    with open(DATA / f"{split}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def test_generator_is_deterministic(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(GENERATOR), "--seed", "13", "--out-dir", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    for name in GENERATED:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_sizes() -> None:
    assert len(rows("train")) >= 6000
    assert len(rows("dev")) >= 700
    assert len(rows("test")) >= 700
    assert sum(len(rows(s)) for s in SPLITS) >= 7500


@pytest.mark.parametrize("split", SPLITS)
def test_schema_and_labels(split: str) -> None:
    ids = set()
    for row in rows(split):
        assert list(row) == FIELDS
        assert all(isinstance(v, str) and v.strip() for v in row.values())
        assert row["label"] in LABELS
        assert "{" not in row["premise"] + row["hypothesis"], row["id"]  # unfilled slot
        ids.add(row["id"])
    assert len(ids) == len(rows(split))


@pytest.mark.parametrize("split", SPLITS)
def test_label_balance(split: str) -> None:
    counts = Counter(r["label"] for r in rows(split))
    assert set(counts) == LABELS
    for label, n in counts.items():
        assert abs(n / len(rows(split)) - 1 / 3) <= 0.01, (label, n)


@pytest.mark.parametrize("split", SPLITS)
def test_label_balance_per_phenomenon(split: str) -> None:
    """Each label is at least 20% of every phenomenon's pairs, so that a phenomenon's
    style cannot predict the label (the cause of the first starter model's failure)."""
    by_phen: dict[str, Counter[str]] = {}
    for r in rows(split):
        by_phen.setdefault(r["phenomenon"], Counter())[r["label"]] += 1
    for phen, counts in by_phen.items():
        total = sum(counts.values())
        for label in LABELS:
            assert counts[label] / total >= 0.2, (split, phen, dict(counts))


def test_every_phenomenon_in_every_split() -> None:
    phenomena = {r["phenomenon"] for r in rows("train")}
    for split in ("dev", "test"):
        assert {r["phenomenon"] for r in rows(split)} == phenomena, split


def test_minimal_pair_frames_share_a_split() -> None:
    """Every phenomenon has minimal-pair frames (one premise, hypotheses of all three
    labels) in every split, and a frame's three templates never straddle splits."""
    meta = json.loads((DATA / "splits.json").read_text())["templates"]
    frames: dict[str, set[str]] = {}
    for info in meta.values():
        frames.setdefault(info["frame"], set()).add(info["split"])
    assert all(len(splits) == 1 for splits in frames.values())
    for split in SPLITS:
        labels_by_frame: dict[tuple[str, str], set[str]] = {}
        for r in rows(split):
            frame = meta[r["template"]]["frame"]
            if frame != r["template"]:
                labels_by_frame.setdefault((r["phenomenon"], frame), set()).add(r["label"])
        assert all(labels == LABELS for labels in labels_by_frame.values()), split
        assert {p for p, _ in labels_by_frame} == {r["phenomenon"] for r in rows(split)}


def test_no_template_in_two_splits() -> None:
    seen: dict[str, str] = {}
    for split in SPLITS:
        for tid in {r["template"] for r in rows(split)}:
            assert seen.setdefault(tid, split) == split, f"{tid} in {seen[tid]} and {split}"
    recorded = json.loads((DATA / "splits.json").read_text())
    for split in SPLITS:
        assert {r["template"] for r in rows(split)} <= set(recorded["splits"][split])


def test_no_pair_shared_across_splits() -> None:
    owner: dict[tuple[str, str], str] = {}
    for split in SPLITS:
        for r in rows(split):
            key = (r["premise"], r["hypothesis"])
            assert owner.setdefault(key, split) == split, key


def test_no_reserved_topic_mentioned() -> None:
    terms = [t.strip() for t in (DATA.parent / "reserved_terms.txt").read_text().splitlines()]
    terms = [t for t in terms if t]
    assert {"moon", "mars", "eiffel", "chess", "nile"} <= set(terms)
    # Word boundaries: "Moonfield" or "Marsden" would be fine, "the Moon" is not.
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, terms)) + r")\b", re.IGNORECASE)
    for split in SPLITS:
        for r in rows(split):
            text = r["premise"] + " " + r["hypothesis"]
            assert not pattern.search(text), (r["id"], pattern.search(text))
