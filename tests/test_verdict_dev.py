"""The development claims that fit the verdict weights stay apart from what measures
them: no document or claim about a topic of eval/, and every evidence quote real."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "data" / "verdict-dev"
HALVES = sorted(p.name.removeprefix("claims-").removesuffix(".jsonl") for p in DEV.glob("claims-*"))


def rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def eval_titles() -> set[str]:
    return {
        str(row["title"]).casefold()
        for corpus in ROOT.glob("eval/*/corpus*.jsonl")
        for row in rows(corpus)
    }


def test_there_are_development_halves() -> None:
    assert len(HALVES) >= 4


@pytest.mark.parametrize("half", HALVES)
def test_no_document_or_claim_is_about_an_evaluation_topic(half: str) -> None:
    """No document shares a title with an evaluation document, and no claim names one
    of several words ("Lake Baikal"; a single word such as "silver" may be incidental)."""
    titles = eval_titles()
    documents = rows(DEV / f"corpus-{half}.jsonl")
    assert not titles & {str(d["title"]).casefold() for d in documents}
    names = [re.compile(rf"\b{re.escape(t)}\b") for t in sorted(titles) if " " in t]
    found = {
        n.pattern
        for c in rows(DEV / f"claims-{half}.jsonl")
        for n in names
        if n.search(str(c["claim"]).casefold())
    }
    assert not found, f"{half} claims name evaluation topics: {sorted(found)}"


@pytest.mark.parametrize("half", HALVES)
def test_quotes_are_exact_and_labels_known(half: str) -> None:
    documents = {d["id"]: str(d["text"]) for d in rows(DEV / f"corpus-{half}.jsonl")}
    for claim in rows(DEV / f"claims-{half}.jsonl"):
        assert claim["label"] in {"SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"}
        evidence = claim["evidence"]
        assert isinstance(evidence, list)
        assert bool(evidence) == (claim["label"] != "NOT_ENOUGH_INFO"), claim["id"]
        for quote in evidence:
            assert quote["quote"] in documents[quote["doc_id"]], claim["id"]
