"""The claim finder's precision and recall on the hand-marked texts of eval/check/
stay at their measured level (benchmarks/results/claimfinder.md): a rule change that
costs either fails here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from truthgraph.claimfinder.scoring import found_sentences, marked_spans, match, precision_recall

DATA = Path(__file__).resolve().parents[2] / "eval" / "check"
# Just under the measured values (dev 0.918 / 0.965, test 0.881 / 0.927).
FLOORS = {"dev": (0.90, 0.95), "test": (0.86, 0.91)}


@pytest.mark.parametrize("split", sorted(FLOORS))
def test_precision_and_recall_hold(split: str) -> None:
    texts = [json.loads(line) for line in (DATA / f"{split}.jsonl").open(encoding="utf-8")]
    assert len(texts) >= 40
    scores = [
        match(found_sentences(t["text"]), marked_spans(t["text"], t["claims"])) for t in texts
    ]
    precision, recall = precision_recall(scores)
    floor_precision, floor_recall = FLOORS[split]
    assert precision >= floor_precision, (precision, recall)
    assert recall >= floor_recall, (precision, recall)


def test_matching_counts_each_sentence_once() -> None:
    text = "Paris is the capital of France. It has 2.1 million people."
    marked = marked_spans(text, ["Paris is the capital of France."])
    score = match([(0, 31), (0, 31), (32, 58)], marked)
    assert (score.matched, len(score.extra), score.missed) == (1, 2, [])
    with pytest.raises(ValueError, match="not in the text"):
        marked_spans(text, ["Berlin is the capital."])
