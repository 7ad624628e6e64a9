"""The Store contract, checked against every backend (SQLite and PostgreSQL)."""

from __future__ import annotations

import math
import random
import sqlite3
from collections.abc import Sequence

import pytest

from truthgraph.domain import PassageDraft, SourceDocument
from truthgraph.ingest.splitting import content_hash
from truthgraph.store.protocol import DocumentWrite, Store, StoreError

INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)
try:
    import psycopg

    INTEGRITY_ERRORS += (psycopg.errors.IntegrityError,)
except ImportError:  # pragma: no cover - SQLite-only installs
    pass


def write(
    doc_id: str,
    sentences: Sequence[str],
    vectors: Sequence[Sequence[float]] | None = None,
    *,
    title: str = "",
    url: str = "",
    doc_hash: str | None = None,
) -> DocumentWrite:
    """One document made of `sentences`, with exact character offsets for each."""
    text = " ".join(sentences)
    drafts, position = [], 0
    for sentence in sentences:
        start = text.index(sentence, position)
        position = start + len(sentence)
        drafts.append(PassageDraft(sentence, start, position, content_hash(sentence)))
    if vectors is None:
        vectors = [[1.0, 0.0, 0.0]] * len(sentences)
    document = SourceDocument(id=doc_id, text=text, title=title, url=url, source="test")
    return DocumentWrite(document, doc_hash or f"hash-{doc_id}", drafts, vectors)


def unit(vector: Sequence[float]) -> list[float]:
    norm = math.sqrt(sum(v * v for v in vector))
    return [v / norm for v in vector]


def texts(store: Store, hits: Sequence[tuple[int, float]]) -> list[str]:
    passages = store.get_passages([pid for pid, _ in hits])
    return [passages[pid].text for pid, _ in hits]


# -- writes and reads ------------------------------------------------------------------
def test_documents_passages_and_offsets_read_back(any_store: Store) -> None:
    summary = any_store.write_documents(
        [
            write("c", ["Gamma one is here.", "Gamma two is here."], title="C", url="http://c"),
            write("a", ["Alpha one is here."], title="A"),
            write("b", ["Beta one is here.", "Beta two is here.", "Beta three is here."]),
        ]
    )
    assert (summary.documents, summary.passages, summary.replaced) == (3, 6, [])
    assert any_store.counts() == {"documents": 3, "passages": 6, "embeddings": 6}
    # Written together, so created in the same second: listed by id.
    assert [d.id for d in any_store.list_documents(limit=10, offset=0)] == ["a", "b", "c"]
    assert [d.id for d in any_store.list_documents(limit=1, offset=1)] == ["b"]
    assert any_store.list_documents(limit=10, offset=3) == []

    info = any_store.get_document("c")
    assert info is not None
    assert (info.title, info.url, info.source, info.content_hash, info.passages) == (
        "C",
        "http://c",
        "test",
        "hash-c",
        2,
    )
    assert info.created_at.endswith("+00:00") and "T" in info.created_at
    assert any_store.get_document("nope") is None

    text = "Gamma one is here. Gamma two is here."
    assert any_store.document_text("c") == text and any_store.document_text("nope") is None
    passages = any_store.document_passages("c")
    assert [p.text for p in passages] == ["Gamma one is here.", "Gamma two is here."]
    assert all(text[p.start : p.end] == p.text for p in passages)
    assert [(p.doc_id, p.title, p.url) for p in passages] == [("c", "C", "http://c")] * 2
    assert any_store.document_passages("nope") == []

    by_id = any_store.get_passages([passages[1].id, passages[0].id, 987_654])
    assert by_id == {p.id: p for p in passages}
    assert any_store.get_passages([]) == {}


def test_documents_filter_by_id_or_title_and_slice_by_characters(any_store: Store) -> None:
    any_store.write_documents(
        [
            write("notes/alpha.md", ["Alpha one is here."], title="Crème brûlée"),
            write("beta", ["Beta 100% done_here."], title="Second"),
            write("gamma", ["Gamma one."], title="ALPHA again"),
        ]
    )
    listed = any_store.list_documents(limit=10, offset=0, match="alpha")
    assert [d.id for d in listed] == ["gamma", "notes/alpha.md"]
    assert any_store.count_documents(match="alpha") == 2
    assert any_store.count_documents(match="CRÈME") == 1  # non-ASCII case folding
    assert any_store.count_documents() == 3 == any_store.count_documents(match="")
    # LIKE wildcards in the needle match themselves only.
    assert any_store.count_documents(match="%") == 0
    assert any_store.count_documents(match="_") == 0
    assert any_store.count_documents(match="nothing") == 0
    assert [d.id for d in any_store.list_documents(limit=1, offset=1, match="a")] == ["gamma"]

    # Offsets are characters (the title holds two-byte characters, the text does not).
    assert any_store.document_slice("beta", 5, 9) == "100%"
    assert any_store.document_slice("beta", 0, 1000) == "Beta 100% done_here."
    assert any_store.document_slice("beta", 15, 10) == ""
    assert any_store.document_slice("nope", 0, 4) is None


def test_document_and_passage_hashes(any_store: Store) -> None:
    any_store.write_documents(
        [
            write("a", ["Shared sentence here."], doc_hash="h-a"),
            write("b", ["Other sentence here."], doc_hash="h-b"),
        ]
    )
    assert any_store.document_hashes(["a", "b", "zzz"]) == {"a": "h-a", "b": "h-b"}
    assert any_store.document_hashes([]) == {}
    shared, other = content_hash("Shared sentence here."), content_hash("Other sentence here.")
    asked = [shared, other, "not-stored"]
    assert any_store.existing_passage_hashes(asked) == {shared, other}
    # A document about to be replaced does not count as holding its passages.
    assert any_store.existing_passage_hashes(asked, ignore_docs=["a"]) == {other}
    assert any_store.existing_passage_hashes(asked, ignore_docs=["a", "b"]) == set()
    assert any_store.existing_passage_hashes([]) == set()


def test_a_failing_write_changes_nothing(any_store: Store) -> None:
    any_store.write_documents([write("keep", ["The old text stays."], doc_hash="old")])
    before = any_store.counts()
    with pytest.raises(ValueError):  # one embedding short
        any_store.write_documents(
            [
                write("z", ["Zeta one is here."]),
                write("keep", ["The new text of keep."], doc_hash="new"),
                write("w", ["Omega one is here.", "Omega two."], vectors=[[1.0, 0.0, 0.0]]),
            ]
        )
    assert any_store.counts() == before
    assert any_store.document_hashes(["keep", "z", "w"]) == {"keep": "old"}
    assert any_store.document_text("keep") == "The old text stays."
    assert any_store.lexical_search("written zeta omega", 5) == []


def test_rows_stored_meanwhile_are_skipped_not_errors(any_store: Store) -> None:
    """What another writer stored between a caller's reads and its write: the same
    document is unchanged, a shared passage a duplicate; nothing raises."""
    shared = "A sentence written twice."
    any_store.write_documents([write("x", [shared], doc_hash="same")])
    summary = any_store.write_documents(
        [
            write("x", [shared], doc_hash="same"),
            write("y", [shared, "Only in y, this one."]),
        ]
    )
    assert (summary.unchanged, summary.replaced) == (["x"], [])
    assert (summary.documents, summary.passages, summary.duplicate_passages) == (1, 1, 2)
    assert any_store.counts() == {"documents": 2, "passages": 2, "embeddings": 2}


def test_a_replacement_removes_the_old_version(any_store: Store) -> None:
    any_store.write_documents(
        [
            write(
                "doc",
                ["Tigers hunt at night.", "Old second line."],
                [[1.0, 0.0], [0.0, 1.0]],
                doc_hash="v1",
            )
        ]
    )
    summary = any_store.write_documents(
        [
            write("doc", ["Lions rest by day."], [[0.0, 1.0]], doc_hash="v2"),
            write("new", ["Brand new document."], [[0.6, 0.8]]),
        ]
    )
    assert summary.replaced == ["doc"] and summary.passages == 2
    assert any_store.counts() == {"documents": 2, "passages": 2, "embeddings": 2}
    assert any_store.document_hashes(["doc"]) == {"doc": "v2"}
    assert any_store.lexical_search("tigers", 5) == []
    assert texts(any_store, any_store.lexical_search("lions", 5)) == ["Lions rest by day."]
    assert texts(any_store, any_store.vector_search([1.0, 0.0], 5)) == [
        "Brand new document.",
        "Lions rest by day.",
    ]


# -- search ----------------------------------------------------------------------------
@pytest.mark.parametrize("recorded", [True, False], ids=["model-recorded", "no-model"])
def test_vector_search_is_exact_cosine_top_k(any_store: Store, recorded: bool) -> None:
    rng, dim = random.Random(11), 8
    if recorded:
        any_store.ensure_embedding_model("test-embedder", dim)
    vectors = [unit([rng.gauss(0, 1) for _ in range(dim)]) for _ in range(60)]
    sentences = [f"Passage number {i} is here." for i in range(60)]
    any_store.write_documents(
        [write("d1", sentences[:30], vectors[:30]), write("d2", sentences[30:], vectors[30:])]
    )
    ids = {p.text: p.id for d in ("d1", "d2") for p in any_store.document_passages(d)}
    for _ in range(5):
        query = [rng.gauss(0, 1) * 3 for _ in range(dim)]  # need not be unit length
        q = unit(query)
        expected = sorted(
            (
                (ids[s], sum(a * b for a, b in zip(q, v, strict=True)))
                for s, v in zip(sentences, vectors, strict=True)
            ),
            key=lambda hit: -hit[1],
        )[:7]
        hits = any_store.vector_search(query, 7)
        assert [pid for pid, _ in hits] == [pid for pid, _ in expected]
        for (_, got), (_, want) in zip(hits, expected, strict=True):
            assert got == pytest.approx(want, abs=1e-5)
    assert len(any_store.vector_search(query, 100)) == 60
    assert any_store.vector_search([0.0] * dim, 5) == []


def test_vector_search_scores_are_similarities(any_store: Store) -> None:
    any_store.write_documents(
        [
            write("a", ["First passage here.", "Second passage here."], [[1, 0, 0], [0.6, 0.8, 0]]),
            write("b", ["Third passage here."], [[0, 0, 1]]),
        ]
    )
    hits = any_store.vector_search([3, 4, 0], 3)
    assert [round(score, 4) for _, score in hits] == [1.0, 0.6, 0.0]
    assert texts(any_store, hits)[0] == "Second passage here."
    assert any_store.vector_search([3, 4, 0], 0) == []


def test_lexical_search_ors_the_words_and_stems(any_store: Store) -> None:
    any_store.write_documents(
        [
            write(
                "metals",
                [
                    "Copper conducts electricity well.",
                    "Glass is an insulator.",
                    "Silver and copper both conduct electricity.",
                ],
                title="Materials",
            ),
            write("rivers", ["Rivers flood the valley.", "The mountain is high."], title="Rivers"),
        ]
    )
    hits = any_store.lexical_search("silver electricity", 10)
    # OR semantics: a passage with only one of the words matches too, ranked lower.
    assert texts(any_store, hits) == [
        "Silver and copper both conduct electricity.",
        "Copper conducts electricity well.",
    ]
    assert all(score > 0 for _, score in hits)
    assert set(texts(any_store, any_store.lexical_search("glass mountain", 10))) == {
        "Glass is an insulator.",
        "The mountain is high.",
    }
    # Stemming, and the title counts for less than the passage's own text.
    hits = any_store.lexical_search("flooding river?", 5)
    assert texts(any_store, hits) == ["Rivers flood the valley.", "The mountain is high."]
    assert hits[0][1] > hits[1][1] > 0
    assert len(any_store.lexical_search("copper", 1)) == 1
    assert any_store.lexical_search("copper", 0) == []


NASTY_QUERIES = [
    '"); DROP TABLE passages; --',
    "copper' OR 1=1 --",
    "copper & !glass | (rain)",
    "copper:* <-> rain",
    "copper:A",
    "NEAR(copper glass)",
    "copper AND NOT glass",
    "text:copper",
    "^copper*",
    "{copper}",
    "copper\\",
    "'copper'",
    '"copper',
    "%copper_",
    "copper\x00glass",
    "😀copper",
    "C0PPER" * 2000,
    "copper " * 100,
]


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_lexical_search_is_safe_with_any_query(any_store: Store, query: str) -> None:
    any_store.write_documents([write("m", ["Copper conducts.", "Glass insulates."])])
    hits = any_store.lexical_search(query, 5)
    assert all(isinstance(pid, int) and score > 0 for pid, score in hits)
    if "copper" in query.lower():
        assert "Copper conducts." in texts(any_store, hits)
    assert any_store.counts() == {"documents": 1, "passages": 2, "embeddings": 2}


@pytest.mark.parametrize("query", ["", "   ", "?!", "'\";--", "(((", "*", "—–…"])
def test_a_query_without_words_finds_nothing(any_store: Store, query: str) -> None:
    any_store.write_documents([write("m", ["Copper conducts."])])
    assert any_store.lexical_search(query, 5) == []


# -- deletion, counts, model guard -----------------------------------------------------
def test_delete_removes_passages_vectors_and_index_rows(any_store: Store) -> None:
    any_store.write_documents(
        [
            write("a", ["The bridge opened in 1932."], [[1.0, 0.0, 0.0]]),
            write("b", ["The tunnel opened later."], [[0.0, 1.0, 0.0]]),
        ]
    )
    assert any_store.delete_document("a") is True
    assert any_store.counts() == {"documents": 1, "passages": 1, "embeddings": 1}
    assert any_store.lexical_search("bridge", 5) == []
    assert texts(any_store, any_store.vector_search([1, 0, 0], 5)) == ["The tunnel opened later."]
    assert any_store.get_document("a") is None and any_store.document_passages("a") == []
    assert any_store.existing_passage_hashes([content_hash("The bridge opened in 1932.")]) == set()
    assert any_store.delete_document("a") is False
    # The same passage can be stored again once its document is gone.
    any_store.write_documents([write("a2", ["The bridge opened in 1932."])])
    assert any_store.counts()["passages"] == 2


def test_an_empty_store(any_store: Store) -> None:
    assert any_store.counts() == {"documents": 0, "passages": 0, "embeddings": 0}
    assert any_store.vector_search([1.0, 0.0], 5) == []
    assert any_store.lexical_search("anything", 5) == []
    assert any_store.list_documents(limit=5, offset=0) == []
    assert any_store.write_documents([]).documents == 0
    any_store.ping()


def test_a_second_embedding_model_is_refused(any_store: Store) -> None:
    any_store.ensure_embedding_model("model-a", 384)
    any_store.ensure_embedding_model("model-a", 384)
    with pytest.raises(
        StoreError,
        match=(
            r"^this database was embedded with model-a \(dimension 384\), not model-b "
            r"\(dimension 384\); use the same embedding model or a new database$"
        ),
    ):
        any_store.ensure_embedding_model("model-b", 384)
    with pytest.raises(StoreError, match=r"embedded with model-a \(dimension 384\)"):
        any_store.ensure_embedding_model("model-a", 768)
