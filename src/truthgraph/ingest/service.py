"""Loading documents into a store: read, split, deduplicate, embed, write.

Writes go in batches, each one transaction, so an interrupted load leaves whole
documents or none. A passage whose normalised text is already stored (from any
document) is counted as a duplicate and not stored again, so loading the same file
twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from truthgraph.config import Settings
from truthgraph.domain import PassageDraft, SourceDocument, with_title
from truthgraph.inference.protocol import InferenceClient
from truthgraph.ingest.readers import ReadItem, Rejection, iter_files, read_file
from truthgraph.ingest.splitting import content_hash, split_passages
from truthgraph.store.protocol import DocumentWrite, Store


@dataclass
class IngestReport:
    files: int = 0
    documents_added: int = 0
    documents_replaced: int = 0
    documents_unchanged: int = 0
    passages_added: int = 0
    duplicate_passages: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "documents_added": self.documents_added,
            "documents_replaced": self.documents_replaced,
            "documents_unchanged": self.documents_unchanged,
            "passages_added": self.passages_added,
            "duplicate_passages": self.duplicate_passages,
            "rejected": [{"origin": r.origin, "reason": r.reason} for r in self.rejected],
        }


ProgressCallback = Callable[[int], None]
DUPLICATE_ID = "duplicate document id"


@dataclass
class _Pending:
    document: SourceDocument
    doc_hash: str
    drafts: list[PassageDraft]
    replaces: bool


class Ingestor:
    def __init__(
        self,
        store: Store,
        inference: InferenceClient,
        *,
        passage_max_chars: int = 600,
        document_max_chars: int = 20_000_000,
        batch_passages: int = 256,
    ) -> None:
        self.store = store
        self.inference = inference
        self.passage_max_chars = passage_max_chars
        self.document_max_chars = document_max_chars
        self.batch_passages = batch_passages
        model = inference.embedding_model
        store.ensure_embedding_model(model.name, model.dimension or 0)

    def read_paths(self, paths: list[Path], report: IngestReport) -> Iterator[ReadItem]:
        for entry in iter_files(paths):
            if isinstance(entry, Rejection):
                yield entry
                continue
            report.files += 1
            root = next((p for p in paths if p in entry.parents), entry.parent)
            doc_id = entry.relative_to(root).as_posix()
            yield from read_file(entry, doc_id=doc_id, max_chars=self.document_max_chars)

    def ingest_paths(
        self, paths: list[Path], *, on_progress: ProgressCallback | None = None
    ) -> IngestReport:
        report = IngestReport()
        self.ingest_items(self.read_paths(paths, report), report, on_progress=on_progress)
        return report

    def ingest_items(
        self,
        items: Iterable[ReadItem],
        report: IngestReport | None = None,
        *,
        on_progress: ProgressCallback | None = None,
        all_or_nothing: bool = False,
    ) -> IngestReport:
        """Load `items`. With `all_or_nothing` everything goes in one transaction, and
        only if nothing was rejected (the API's contract for one upload)."""
        report = report if report is not None else IngestReport()
        pending: list[_Pending] = []
        seen: dict[str, tuple[str, str]] = {}  # doc id -> (content hash, origin)
        size = 0
        for item in items:
            if isinstance(item, Rejection):
                report.rejected.append(item)
                continue
            prepared = self._prepare(item, seen, report)
            if prepared is None:
                continue
            pending.append(prepared)
            size += len(prepared.drafts)
            if size >= self.batch_passages and not all_or_nothing:
                self._flush(pending, report)
                if on_progress:
                    on_progress(len(pending))
                pending, size = [], 0
        if all_or_nothing and report.rejected:
            return report
        if pending:
            self._flush(pending, report)
            if on_progress:
                on_progress(len(pending))
        return report

    def _prepare(
        self, doc: SourceDocument, seen: dict[str, tuple[str, str]], report: IngestReport
    ) -> _Pending | None:
        doc_hash = content_hash(doc.title + "\n" + doc.text)
        if doc.id in seen:
            if seen[doc.id][0] == doc_hash:
                report.documents_unchanged += 1
            else:
                first = seen[doc.id][1]
                report.rejected.append(
                    Rejection(doc.origin, f"{DUPLICATE_ID} {doc.id!r} (first at {first})")
                )
            return None
        seen[doc.id] = (doc_hash, doc.origin)
        drafts = split_passages(doc.text, max_chars=self.passage_max_chars)
        if not drafts:
            report.rejected.append(Rejection(doc.origin, "no sentence with words in the text"))
            return None
        return _Pending(doc, doc_hash, drafts, replaces=False)

    def _flush(self, pending: list[_Pending], report: IngestReport) -> None:
        stored = self.store.document_hashes([p.document.id for p in pending])
        live: list[_Pending] = []
        for item in pending:
            old = stored.get(item.document.id)
            if old == item.doc_hash:
                report.documents_unchanged += 1
                report.duplicate_passages += len(item.drafts)
                continue
            item.replaces = old is not None
            live.append(item)
        replaced = [p.document.id for p in live if p.replaces]
        existing = self.store.existing_passage_hashes(
            [d.content_hash for p in live for d in p.drafts], ignore_docs=replaced
        )
        fresh: list[list[PassageDraft]] = []
        for item in live:
            keep = []
            for draft in item.drafts:
                if draft.content_hash in existing:
                    report.duplicate_passages += 1
                else:
                    existing.add(draft.content_hash)
                    keep.append(draft)
            fresh.append(keep)
        texts = [
            with_title(p.document.title, d.text)
            for p, ds in zip(live, fresh, strict=True)
            for d in ds
        ]
        vectors = iter(self.inference.embed(texts))
        writes = [
            DocumentWrite(
                document=item.document,
                document_hash=item.doc_hash,
                passages=drafts,
                embeddings=[next(vectors) for _ in drafts],
            )
            for item, drafts in zip(live, fresh, strict=True)
        ]
        summary = self.store.write_documents(writes)
        report.documents_added += summary.documents - len(summary.replaced)
        report.documents_replaced += len(summary.replaced)
        report.documents_unchanged += len(summary.unchanged)
        report.passages_added += summary.passages
        report.duplicate_passages += summary.duplicate_passages


def open_ingestor(settings: Settings, store: Store, inference: InferenceClient) -> Ingestor:
    """The one way every front end (CLI, REST API, web UI) builds an ingestor: every
    limit comes from the settings. It records the embedding model in the store."""
    return Ingestor(
        store,
        inference,
        passage_max_chars=settings.passage_max_chars,
        document_max_chars=settings.document_max_chars,
        batch_passages=settings.ingest_batch_size,
    )
