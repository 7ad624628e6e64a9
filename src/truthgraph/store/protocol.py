"""The storage contract every backend implements and the contract tests check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from truthgraph.domain import DocumentInfo, Passage, PassageDraft, SourceDocument
from truthgraph.store.records import Records


class StoreError(RuntimeError):
    """A storage problem a user can act on (wrong model, unreadable database...)."""


@dataclass(frozen=True)
class DocumentWrite:
    """One document with the passages to store for it (duplicates already removed) and
    one embedding per passage, in order. A stored document with the same id and other
    text is replaced."""

    document: SourceDocument
    document_hash: str
    passages: Sequence[PassageDraft]
    embeddings: Sequence[Sequence[float]]


@dataclass
class WriteSummary:
    """What a write stored. The store decides inside its transaction, so a concurrent
    writer that stored the same document or passage first is seen: such a document is
    `unchanged` (same text) or `replaced` (other text), such a passage a duplicate."""

    documents: int = 0
    passages: int = 0
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicate_passages: int = 0


class Store(Protocol):
    """Documents, passages, embeddings and the lexical index of one corpus, plus the
    jobs, verification history and API keys in `records`."""

    records: Records

    def ensure_embedding_model(self, name: str, dimension: int) -> None:
        """Record the embedding model on first use; refuse a different one later."""

    def document_hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """Content hash of each stored document among `doc_ids`."""

    def existing_passage_hashes(
        self, hashes: Sequence[str], *, ignore_docs: Sequence[str] = ()
    ) -> set[str]:
        """Which passage hashes are stored already, not counting `ignore_docs`."""

    def write_documents(self, writes: Sequence[DocumentWrite]) -> WriteSummary:
        """Store all of `writes` in one transaction: all or nothing. Idempotent under
        concurrency: a document id or passage stored meanwhile by another writer is
        compared or skipped inside the transaction, never a constraint error."""

    def vector_search(self, query: Sequence[float], k: int) -> list[tuple[int, float]]:
        """(passage id, cosine similarity) of the `k` nearest passages, best first."""

    def lexical_search(self, query: str, k: int) -> list[tuple[int, float]]:
        """(passage id, bm25 score, higher is better) of the `k` best matches."""

    def get_passages(self, ids: Sequence[int]) -> dict[int, Passage]: ...

    def get_document(self, doc_id: str) -> DocumentInfo | None: ...

    def list_documents(
        self, *, limit: int, offset: int, match: str | None = None
    ) -> list[DocumentInfo]:
        """Documents in the order they were stored; with `match`, only those whose id
        or title contains it (ignoring case)."""

    def count_documents(self, *, match: str | None = None) -> int:
        """How many documents `list_documents` would page through."""

    def document_slice(self, doc_id: str, start: int, end: int) -> str | None:
        """Characters [start, end) of a document's text (None if there is no such
        document), read without loading the whole text."""

    def document_passages(self, doc_id: str) -> list[Passage]: ...

    def document_text(self, doc_id: str) -> str | None: ...

    def delete_document(self, doc_id: str) -> bool: ...

    def ping(self) -> None:
        """Raise StoreError unless the database answers a trivial query."""

    def counts(self) -> dict[str, int]:
        """Numbers of documents, passages and embeddings."""

    def close(self) -> None: ...
