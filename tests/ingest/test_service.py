"""Ingestion into a real SQLite store with real (tiny) ONNX embeddings."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from truthgraph.config import Settings
from truthgraph.domain import SourceDocument
from truthgraph.inference.onnx import LocalInference
from truthgraph.ingest.readers import Rejection
from truthgraph.ingest.service import Ingestor, open_ingestor
from truthgraph.ingest.splitting import split_passages
from truthgraph.store.protocol import DocumentWrite
from truthgraph.store.sqlite import SQLiteStore


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


ROWS = [
    {"id": "tower", "title": "Tower", "text": "The tower is in Paris. It was built in 1889."},
    {"id": "whale", "title": "Whale", "text": "The blue whale is the largest animal."},
]


def test_ingest_twice_adds_nothing(
    tmp_path: Path, store: SQLiteStore, tiny_inference: LocalInference
) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", ROWS)
    ingestor = Ingestor(store, tiny_inference, batch_passages=1)
    first = ingestor.ingest_paths([path])
    assert (first.documents_added, first.passages_added, first.duplicate_passages) == (2, 3, 0)
    second = ingestor.ingest_paths([path])
    assert (second.documents_added, second.passages_added) == (0, 0)
    assert (second.documents_unchanged, second.duplicate_passages) == (2, 3)
    assert store.counts() == {"documents": 2, "passages": 3, "embeddings": 3}


def test_duplicate_passages_across_documents_are_stored_once(
    tmp_path: Path, store: SQLiteStore, tiny_inference: LocalInference
) -> None:
    rows = [*ROWS, {"id": "copy", "text": "the BLUE whale is   the largest animal."}]
    report = Ingestor(store, tiny_inference).ingest_paths([write_jsonl(tmp_path / "c.jsonl", rows)])
    assert (report.documents_added, report.passages_added, report.duplicate_passages) == (3, 3, 1)


def test_changed_document_replaces_its_passages(
    tmp_path: Path, store: SQLiteStore, tiny_inference: LocalInference
) -> None:
    ingestor = Ingestor(store, tiny_inference)
    ingestor.ingest_paths([write_jsonl(tmp_path / "a.jsonl", ROWS)])
    changed = [{"id": "tower", "title": "Tower", "text": "The tower is in Paris. It is very tall."}]
    report = ingestor.ingest_paths([write_jsonl(tmp_path / "b.jsonl", changed)])
    assert (report.documents_replaced, report.passages_added, report.duplicate_passages) == (
        1,
        2,
        0,
    )
    assert [p.text for p in store.document_passages("tower")] == [
        "The tower is in Paris.",
        "It is very tall.",
    ]
    assert store.counts()["passages"] == 3


def test_conflicting_duplicate_ids_in_one_load_are_rejected_with_origin(
    tmp_path: Path, store: SQLiteStore, tiny_inference: LocalInference
) -> None:
    rows = [ROWS[0], {"id": "tower", "text": "A different text about the tower."}]
    path = write_jsonl(tmp_path / "c.jsonl", rows)
    report = Ingestor(store, tiny_inference).ingest_paths([path])
    assert report.documents_added == 1
    assert report.rejected == [
        Rejection(f"{path}:2", f"duplicate document id 'tower' (first at {path}:1)")
    ]


def test_bad_rows_are_reported_and_good_rows_still_load(
    tmp_path: Path, store: SQLiteStore, tiny_inference: LocalInference
) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"id": "ok", "text": "The bridge opened."}\n{broken\n\xff\xfe\x00\x00junk\n')
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 10)
    report = Ingestor(store, tiny_inference).ingest_paths([tmp_path])
    assert report.files == 2 and report.documents_added == 1
    assert {r.origin for r in report.rejected} == {
        f"{tmp_path / 'blob.txt'}",
        f"{path}:2",
        f"{path}:3",
    }


def test_a_failed_batch_writes_nothing(store: SQLiteStore, tiny_inference: LocalInference) -> None:
    Ingestor(store, tiny_inference)  # records the embedding model
    good_doc = SourceDocument(id="good", text="The bridge opened in 1932.")
    bad_doc = SourceDocument(id="bad", text="The city is old.")
    drafts = split_passages(good_doc.text)
    writes = [
        DocumentWrite(good_doc, "h1", drafts, [[0.1] * 16]),
        # One embedding short: the store must roll back the whole batch.
        DocumentWrite(bad_doc, "h2", split_passages(bad_doc.text), []),
    ]
    with pytest.raises(ValueError):
        store.write_documents(writes)
    assert store.counts() == {"documents": 0, "passages": 0, "embeddings": 0}
    assert store.lexical_search("bridge", 5) == []


def test_open_ingestor_takes_every_limit_from_the_settings(
    store: SQLiteStore, tiny_inference: LocalInference
) -> None:
    settings = Settings(passage_max_chars=90, document_max_chars=5000, ingest_batch_size=7)
    ingestor = open_ingestor(settings, store, tiny_inference)
    assert (ingestor.passage_max_chars, ingestor.document_max_chars) == (90, 5000)
    assert ingestor.batch_passages == 7


def test_only_open_ingestor_builds_an_ingestor() -> None:
    """Every front end (CLI, API, web UI) goes through open_ingestor, so none can
    leave a setting out."""
    src = Path(__file__).resolve().parents[2] / "src" / "truthgraph"
    builders = sorted(
        f"{path.relative_to(src)}:{node.lineno}"
        for path in src.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Ingestor"
    )
    assert len(builders) == 1 and builders[0].startswith("ingest/service.py:")
