"""SQLite store: schema versioning, search, deletion and the embedding-model guard."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from truthgraph.domain import SourceDocument
from truthgraph.ingest.splitting import split_passages
from truthgraph.store.protocol import DocumentWrite, StoreError
from truthgraph.store.sqlite import SQLiteStore
from truthgraph.store.sqlite_schema import MIGRATIONS


def add(store: SQLiteStore, doc_id: str, text: str, vectors: list[list[float]]) -> None:
    doc = SourceDocument(id=doc_id, text=text, title=doc_id.title())
    store.write_documents([DocumentWrite(doc, doc_id, split_passages(text), vectors)])


def test_new_database_is_at_the_latest_schema_version(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "a.db")
    assert store.schema_version == len(MIGRATIONS)
    store.close()
    reopened = SQLiteStore(tmp_path / "a.db")  # migrating again is a no-op
    assert reopened.schema_version == len(MIGRATIONS)
    reopened.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this TruthGraph supports"):
        SQLiteStore(path)


def test_vector_search_is_exact_cosine_best_first(store: SQLiteStore) -> None:
    add(store, "a", "First passage here. Second passage here.", [[1, 0, 0], [0.6, 0.8, 0]])
    add(store, "b", "Third passage here.", [[0, 0, 1]])
    hits = store.vector_search([3, 4, 0], 3)  # the query need not be unit length
    assert [round(score, 4) for _, score in hits] == [1.0, 0.6, 0.0]
    assert store.get_passages([hits[0][0]])[hits[0][0]].text == "Second passage here."
    assert store.vector_search([0, 0, 0], 3) == []


def test_lexical_search_uses_bm25_and_stems(store: SQLiteStore) -> None:
    add(store, "rivers", "Rivers flood the valley. The mountain is high.", [[1, 0], [0, 1]])
    hits = store.lexical_search("flooding river?", 5)
    # Both passages carry the title "Rivers"; the one that also says "flood" wins.
    assert len(hits) == 2 and hits[0][1] > hits[1][1] > 0
    assert store.get_passages([hits[0][0]])[hits[0][0]].text == "Rivers flood the valley."
    assert store.lexical_search('"); DROP TABLE passages; --', 5) == []
    assert store.lexical_search("", 5) == []


def test_delete_removes_passages_vectors_and_index_rows(store: SQLiteStore) -> None:
    add(store, "a", "The bridge opened in 1932.", [[1.0, 0.0]])
    assert store.delete_document("a") is True
    assert store.counts() == {"documents": 0, "passages": 0, "embeddings": 0}
    assert store.lexical_search("bridge", 5) == [] and store.vector_search([1, 0], 5) == []
    assert store.delete_document("a") is False


def test_documents_list_and_passages_with_offsets(store: SQLiteStore) -> None:
    text = "The bridge opened in 1932. It spans the bay."
    add(store, "bridge", text, [[1.0, 0.0], [0.0, 1.0]])
    [info] = store.list_documents(limit=10, offset=0)
    assert (info.id, info.title, info.passages) == ("bridge", "Bridge", 2)
    for passage in store.document_passages("bridge"):
        assert text[passage.start : passage.end] == passage.text
    assert store.document_text("bridge") == text and store.get_document("nope") is None


def test_a_second_embedding_model_is_refused(store: SQLiteStore) -> None:
    store.ensure_embedding_model("model-a", 384)
    store.ensure_embedding_model("model-a", 384)
    with pytest.raises(StoreError, match="embedded with model-a"):
        store.ensure_embedding_model("model-b", 384)
