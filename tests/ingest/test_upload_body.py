"""Upload bodies read into documents and rejections, without any web framework."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from truthgraph.domain import SourceDocument
from truthgraph.ingest.readers import Rejection
from truthgraph.ingest.upload_body import (
    BodyFormat,
    BodyRefused,
    body_format,
    read_body,
    read_jsonl_body,
)
from truthgraph.ingest.upload_schema import MAX_DOCUMENTS_PER_REQUEST

TOWER = {"id": "tower", "text": "The tower is in Paris."}


def _read(kind: BodyFormat, body: bytes, tmp_path: Path, max_chars: int = 10_000) -> list[object]:
    return list(read_body(kind, body, [], tmp_path, max_chars=max_chars))


@pytest.mark.parametrize(
    "header, kind",
    [
        ("application/json", BodyFormat.JSON),
        ("Application/JSON; charset=utf-8", BodyFormat.JSON),
        ("application/jsonl", BodyFormat.JSONL),
        ("application/x-ndjson", BodyFormat.JSONL),
        ("multipart/form-data; boundary=x", BodyFormat.FILES),
    ],
)
def test_the_content_type_names_the_format(header: str, kind: BodyFormat) -> None:
    assert body_format(header) is kind


def test_other_content_types_are_refused() -> None:
    with pytest.raises(BodyRefused) as refused:
        body_format("text/csv")
    assert refused.value.code == "unsupported_media_type"


def test_a_json_body_is_read_whole_or_refused(tmp_path: Path) -> None:
    [document] = _read(BodyFormat.JSON, json.dumps({"documents": [TOWER]}).encode(), tmp_path)
    assert isinstance(document, SourceDocument) and document.id == "tower"
    assert document.origin == "body:1"
    with pytest.raises(BodyRefused) as refused:
        _read(BodyFormat.JSON, b'{"documents": [{"id": "x"}]}', tmp_path)
    assert refused.value.invalid is not None  # the schema errors, for the 422 answer
    with pytest.raises(BodyRefused) as refused:
        _read(BodyFormat.JSON, b"[" * 1000, tmp_path)
    assert refused.value.code == "invalid_json"


def test_jsonl_lines_are_rejected_one_by_one(tmp_path: Path) -> None:
    body = b"\n".join([json.dumps(TOWER).encode(), b"", b"{not json", b'{"text": "\\u0000"}'])
    good, broken, nul = _read(BodyFormat.JSONL, body, tmp_path)
    assert isinstance(good, SourceDocument) and good.origin == "body:1"
    assert isinstance(broken, Rejection) and broken.origin == "body:3"
    assert broken.reason.startswith("invalid JSON")
    assert isinstance(nul, Rejection) and nul.reason.startswith("text: ")


def test_document_length_follows_the_cap_given(tmp_path: Path) -> None:
    body = json.dumps({"documents": [TOWER]}).encode()
    [rejected] = _read(BodyFormat.JSON, body, tmp_path, max_chars=10)
    assert isinstance(rejected, Rejection) and "longer than 10 characters" in rejected.reason


def test_too_many_jsonl_documents_refuse_the_body() -> None:
    body = (json.dumps(TOWER) + "\n").encode() * (MAX_DOCUMENTS_PER_REQUEST + 1)
    with pytest.raises(BodyRefused) as refused:
        read_jsonl_body(body, max_chars=100)
    assert refused.value.code == "too_many_documents"


def test_files_are_read_by_name_and_an_empty_form_is_refused(tmp_path: Path) -> None:
    files = [("notes/tower.txt", b"The tower is in Paris."), ("x.exe", b"MZ")]
    text, exe = read_body(BodyFormat.FILES, b"", files, tmp_path, max_chars=1000)
    assert isinstance(text, SourceDocument) and text.id == "tower.txt"
    assert isinstance(exe, Rejection) and "unsupported file type" in exe.reason
    with pytest.raises(BodyRefused) as refused:
        read_body(BodyFormat.FILES, b"", [], tmp_path, max_chars=1000)
    assert refused.value.code == "no_files"
