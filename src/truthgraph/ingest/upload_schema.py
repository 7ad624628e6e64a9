"""The JSON shape of documents in an upload body (`POST /v1/documents`): what the
API's contract publishes and what the body reader validates, one model for both."""

from __future__ import annotations

from pydantic import Field

from truthgraph.text_fields import HAS_WORD, Identifier, InputModel, Text

MAX_DOCUMENT_CHARS = 2_000_000
MAX_DOCUMENTS_PER_REQUEST = 10_000


class DocumentIn(InputModel):
    id: Identifier | None = None
    title: Text = Field(default="", max_length=1000)
    text: Text = Field(
        min_length=1, max_length=MAX_DOCUMENT_CHARS, json_schema_extra={"pattern": HAS_WORD}
    )
    url: Text = Field(default="", max_length=2048)


class DocumentsIn(InputModel):
    documents: list[DocumentIn] = Field(min_length=1, max_length=MAX_DOCUMENTS_PER_REQUEST)
