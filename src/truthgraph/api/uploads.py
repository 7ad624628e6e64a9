"""Names of uploaded files: what a multipart client sends as a file name is untrusted
text. Only its last path component is kept, as the document id and in messages; it
never names a file on disk."""

from __future__ import annotations

from truthgraph.ingest.readers import Rejection
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
