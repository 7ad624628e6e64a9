"""Integrity checks for the bundled sample corpus, the demo claims and the evaluation set."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[1]
CORPUS = ROOT / "src" / "truthgraph" / "sample" / "corpus.jsonl"
DEMO_CLAIMS = ROOT / "src" / "truthgraph" / "sample" / "claims.jsonl"
EVAL_CLAIMS = ROOT / "eval" / "claims-v1.jsonl"

LABELS = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
CLAIM_FILES = {
    "demo": (DEMO_CLAIMS, re.compile(r"demo-\d{2}"), 8),
    "eval": (EVAL_CLAIMS, re.compile(r"eval-\d{3}"), 50),
}


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{path.name}:{number}: blank line"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            pytest.fail(f"{path.name}:{number}: invalid JSON: {exc}")
        assert isinstance(row, dict), f"{path.name}:{number}: not a JSON object"
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, Any]]:
    return load_jsonl(CORPUS)


@pytest.fixture(scope="module")
def texts(corpus: list[dict[str, Any]]) -> dict[str, str]:
    return {doc["id"]: doc["text"] for doc in corpus}


def claims(name: str) -> list[dict[str, Any]]:
    return load_jsonl(CLAIM_FILES[name][0])


def test_corpus_documents(corpus: list[dict[str, Any]]) -> None:
    assert len(corpus) == 40
    ids = [doc["id"] for doc in corpus]
    assert len(set(ids)) == len(ids), "duplicate document ids"
    titles = [doc["title"] for doc in corpus]
    assert len(set(titles)) == len(titles), "duplicate document titles"
    for doc in corpus:
        assert set(doc) >= {"id", "title", "text"}, doc.get("id")
        assert set(doc) <= {"id", "title", "text", "url"}, doc["id"]
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", doc["id"]), doc["id"]
        assert all(isinstance(doc[key], str) and doc[key].strip() for key in doc), doc["id"]
        assert 400 <= len(doc["text"]) <= 1200, (doc["id"], len(doc["text"]))
        if "url" in doc:
            assert doc["url"].startswith("https://en.wikipedia.org/wiki/"), doc["id"]


@pytest.mark.parametrize("name", sorted(CLAIM_FILES))
def test_claim_schema(name: str) -> None:
    _, id_pattern, _ = CLAIM_FILES[name]
    rows = claims(name)
    ids = [row["id"] for row in rows]
    assert len(set(ids)) == len(ids), "duplicate claim ids"
    texts_seen = [row["claim"].strip().lower() for row in rows]
    assert len(set(texts_seen)) == len(texts_seen), "duplicate claim text"
    for row in rows:
        assert set(row) == {"id", "claim", "label", "evidence"}, row.get("id")
        assert id_pattern.fullmatch(row["id"]), row["id"]
        assert isinstance(row["claim"], str) and row["claim"].strip(), row["id"]
        assert row["label"] in LABELS, row["id"]
        assert isinstance(row["evidence"], list), row["id"]
        if row["label"] == "NOT_ENOUGH_INFO":
            assert row["evidence"] == [], f"{row['id']}: NOT_ENOUGH_INFO cites evidence"
        else:
            assert row["evidence"], f"{row['id']}: {row['label']} without evidence"
        for item in row["evidence"]:
            assert set(item) == {"doc_id", "quote"}, row["id"]
            assert isinstance(item["quote"], str) and item["quote"].strip(), row["id"]


@pytest.mark.parametrize("name", sorted(CLAIM_FILES))
def test_label_balance(name: str) -> None:
    _, _, per_label = CLAIM_FILES[name]
    counts = Counter(row["label"] for row in claims(name))
    assert counts == dict.fromkeys(LABELS, per_label)


@pytest.mark.parametrize("name", sorted(CLAIM_FILES))
def test_evidence_quotes_are_in_cited_documents(name: str, texts: dict[str, str]) -> None:
    for row in claims(name):
        for item in row["evidence"]:
            assert item["doc_id"] in texts, f"{row['id']}: unknown doc_id {item['doc_id']}"
            assert item["quote"] in texts[item["doc_id"]], (
                f"{row['id']}: quote not found in {item['doc_id']}: {item['quote']!r}"
            )


def test_demo_and_eval_claims_do_not_overlap() -> None:
    def normalise(text: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())

    demo = {normalise(row["claim"]) for row in claims("demo")}
    shared = [row["id"] for row in claims("eval") if normalise(row["claim"]) in demo]
    assert not shared, f"eval claims repeat demo claims: {shared}"
