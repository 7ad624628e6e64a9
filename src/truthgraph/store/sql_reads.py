"""Document reads whose SQL is identical on SQLite and PostgreSQL, written once with
`?` placeholders; each store supplies `_read` (running the SQL its driver's way) and
`_timestamp` (turning its created_at column into ISO-8601 text)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from truthgraph.domain import DocumentInfo, Passage
from truthgraph.store.matching import contains, contains_pattern
from truthgraph.store.protocol import StoreError

PASSAGE_COLUMNS = "p.id, p.doc_id, p.text, p.start_char, p.end_char, d.title, d.url"
_PASSAGES_OF = f"SELECT {PASSAGE_COLUMNS} FROM passages p JOIN documents d ON d.id = p.doc_id"


def passage_from_row(row: Sequence[Any]) -> Passage:
    return Passage(
        id=int(row[0]),
        doc_id=str(row[1]),
        text=str(row[2]),
        start=int(row[3]),
        end=int(row[4]),
        title=str(row[5]),
        url=str(row[6]),
    )


def model_already_recorded(recorded: dict[str, str], name: str, dimension: int) -> bool:
    """True if store_meta already names this embedding model, False if it names none
    yet (the caller records it); a different model is refused: mixing two models'
    vectors in one index would make every similarity meaningless."""
    if "embed_model" not in recorded:
        return False
    if recorded["embed_model"] != name or recorded.get("embed_dimension") != str(dimension):
        raise StoreError(
            f"this database was embedded with {recorded['embed_model']} "
            f"(dimension {recorded.get('embed_dimension')}), not {name} (dimension "
            f"{dimension}); use the same embedding model or a new database"
        )
    return True


class DocumentReads:
    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        raise NotImplementedError

    def _timestamp(self, value: Any) -> str:
        return str(value)

    def document_passages(self, doc_id: str) -> list[Passage]:
        rows = self._read(f"{_PASSAGES_OF} WHERE p.doc_id = ? ORDER BY p.start_char", (doc_id,))
        return [passage_from_row(row) for row in rows]

    def document_text(self, doc_id: str) -> str | None:
        rows = self._read("SELECT text FROM documents WHERE id = ?", (doc_id,))
        return str(rows[0][0]) if rows else None

    def get_document(self, doc_id: str) -> DocumentInfo | None:
        rows = self._documents("WHERE d.id = ?", (doc_id,))
        return rows[0] if rows else None

    def document_slice(self, doc_id: str, start: int, end: int) -> str | None:
        """Characters [start, end) of a document's text, without reading the rest (both
        databases count SUBSTR positions in characters, from 1)."""
        start = max(0, start)
        rows = self._read(
            "SELECT SUBSTR(text, ?, ?) FROM documents WHERE id = ?",
            (start + 1, max(0, end - start), doc_id),
        )
        return str(rows[0][0]) if rows else None

    def list_documents(
        self, *, limit: int, offset: int, match: str | None = None
    ) -> list[DocumentInfo]:
        where, params = _document_filter(match)
        return self._documents(
            f"{where} ORDER BY d.created_at, d.id LIMIT ? OFFSET ?", (*params, limit, offset)
        )

    def count_documents(self, *, match: str | None = None) -> int:
        where, params = _document_filter(match)
        return int(self._read(f"SELECT COUNT(*) FROM documents d {where}", params)[0][0])

    def counts(self) -> dict[str, int]:
        """Numbers of documents, passages and embeddings."""
        row = self._read(
            "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM passages),"
            " (SELECT COUNT(*) FROM embeddings)"
        )[0]
        return {"documents": int(row[0]), "passages": int(row[1]), "embeddings": int(row[2])}

    def _documents(self, tail: str, params: Sequence[object]) -> list[DocumentInfo]:
        rows = self._read(
            "SELECT d.id, d.title, d.url, d.source, d.content_hash, d.created_at,"
            " (SELECT COUNT(*) FROM passages p WHERE p.doc_id = d.id) FROM documents d " + tail,
            params,
        )
        return [
            DocumentInfo(
                id=str(r[0]),
                title=str(r[1]),
                url=str(r[2]),
                source=str(r[3]),
                content_hash=str(r[4]),
                created_at=self._timestamp(r[5]),
                passages=int(r[6]),
            )
            for r in rows
        ]


def _document_filter(match: str | None) -> tuple[str, tuple[str, ...]]:
    """A WHERE clause keeping documents whose id or title contains `match`."""
    if not match:
        return "", ()
    pattern = contains_pattern(match)
    return f"WHERE ({contains('d.id')} OR {contains('d.title')})", (pattern, pattern)
