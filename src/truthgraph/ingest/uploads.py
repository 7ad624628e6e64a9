"""Uploaded evidence files, shared by the REST API and the web UI. What a multipart
client sends as a file name is untrusted text: only its last path component is kept,
as the document id and in messages, and it never names a file on disk."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from truthgraph.ingest.readers import SUPPORTED_SUFFIXES, ReadItem, Rejection, read_file
from truthgraph.text_checks import MAX_ID_CHARS, text_problem


def upload_name(raw: str | None, number: int) -> str | Rejection:
    """The display name of upload `number`, or why it is refused."""
    name = (raw or f"upload-{number}.txt").replace("\\", "/").rsplit("/", 1)[-1].strip()
    label = f"file {number + 1}"
    if (problem := text_problem(name)) is not None:
        return Rejection(label, f"file name {problem}")
    if any(ch < " " or ch == "\x7f" for ch in name):
        return Rejection(label, "file name contains control characters")
    if name in ("", ".", ".."):
        return Rejection(label, "file name is empty")
    if len(name) > MAX_ID_CHARS:
        return Rejection(label, f"file name longer than {MAX_ID_CHARS} characters")
    return name


def relabel(item: ReadItem, origin: str, source: str | None = None) -> ReadItem:
    """`item` with its origin (and source) renamed for messages."""
    if isinstance(item, Rejection):
        return Rejection(origin, item.reason)
    return replace(item, origin=origin, source=item.source if source is None else source)


def read_upload(
    raw_name: str | None, data: bytes, number: int, workdir: Path, *, max_chars: int
) -> list[ReadItem]:
    """The documents (or rejections) of upload `number`, read through a file in
    `workdir` whose name holds only the checked suffix."""
    name = upload_name(raw_name, number)
    if isinstance(name, Rejection):
        return [name]
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return [Rejection(name, f"unsupported file type {Path(name).suffix!r}")]
    path = workdir / f"upload-{number}{suffix}"
    path.write_bytes(data)
    return [
        relabel(item, item.origin.replace(str(path), name), source=name)
        for item in read_file(path, doc_id=name, max_chars=max_chars)
    ]
