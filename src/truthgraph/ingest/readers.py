"""Readers for .csv, .json, .jsonl, .txt and .md evidence files.

Every reader yields either a `SourceDocument` or a `Rejection` naming file:line and the
reason, so one bad row never stops a load and nothing about it is lost.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from truthgraph import safe_json
from truthgraph.domain import SourceDocument
from truthgraph.ingest.decoding import (
    NotTextError,
    decode_bytes,
    decode_line,
    detect_encoding,
    looks_binary,
)
from truthgraph.ingest.lines import bounded_lines
from truthgraph.ingest.splitting import content_hash
from truthgraph.text_checks import id_problem, text_problem

SUPPORTED_SUFFIXES = frozenset({".csv", ".json", ".jsonl", ".ndjson", ".txt", ".md", ".markdown"})
TEXT_FIELDS = ("text", "content", "body", "passage")
ID_FIELDS = ("id", "doc_id", "document_id")
URL_FIELDS = ("url", "source_url", "link")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Rejection:
    origin: str  # file:line
    reason: str


ReadItem = SourceDocument | Rejection


def iter_files(paths: Iterable[Path]) -> Iterator[Path | Rejection]:
    """Files under `paths` in a stable order; hidden entries are skipped, unknown
    suffixes inside folders are skipped, unknown suffixes named directly are rejected.
    Anything that is not a regular file (a FIFO, a device, a broken link or a link
    loop) is rejected with what it is, and never opened: reading a FIFO would block."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path).parts
                if any(part.startswith(".") for part in rel) or child.is_dir():
                    continue
                if child.suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                problem = not_a_regular_file(child)
                yield child if problem is None else Rejection(str(child), problem)
        elif (problem := not_a_regular_file(path)) is not None:
            yield Rejection(str(path), problem)
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path
        else:
            yield Rejection(str(path), f"unsupported file type {path.suffix or '(none)'!r}")


def not_a_regular_file(path: Path) -> str | None:
    """Why `path` cannot be read as a file, precisely, or None if it can."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if exc.errno == errno.ENOENT and path.is_symlink():
            return "broken symbolic link (its target does not exist)"
        if exc.errno == errno.ENOENT:
            return "no such file or folder"
        if exc.errno == errno.ENAMETOOLONG:
            return "file name too long"
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kinds = (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    kind = next((name for test, name in kinds if test(mode)), "not a regular file")
    return f"{kind}, not a regular file"


def max_file_bytes(max_chars: int) -> int:
    """The largest file that can hold a document of `max_chars` characters (UTF-8 and
    UTF-16 take at most 4 bytes a character), plus room for a BOM and JSON syntax."""
    return 4 * max_chars + 65536


def read_file(path: Path, *, doc_id: str, max_chars: int) -> Iterator[ReadItem]:
    suffix = path.suffix.lower()
    try:
        if suffix in {".jsonl", ".ndjson"}:
            yield from _read_jsonl(path, max_chars)
        elif suffix == ".json":
            yield from _read_json(path, max_chars)
        elif suffix == ".csv":
            yield from _read_csv(path, max_chars)
        else:
            yield from _read_text(path, doc_id, max_chars)
    except NotTextError as exc:
        yield Rejection(str(path), str(exc))
    except OSError as exc:
        yield Rejection(str(path), f"cannot read file: {exc.strerror or exc}")


def record_to_document(record: Any, origin: str, source: str, max_chars: int) -> ReadItem:
    """Map one JSON/CSV record to a document, or say why it cannot be one."""
    if not isinstance(record, dict):
        return Rejection(origin, f"expected an object, got {type(record).__name__}")
    text = next((record[k] for k in TEXT_FIELDS if k in record), None)
    if not isinstance(text, str):
        if text is None:
            return Rejection(origin, f"missing text field (one of {', '.join(TEXT_FIELDS)})")
        return Rejection(origin, "text field must be a string")
    if not text.strip():
        return Rejection(origin, "empty text")
    if len(text) > max_chars:
        return Rejection(origin, f"text longer than {max_chars} characters")
    if (problem := text_problem(text)) is not None:
        return Rejection(origin, f"text {problem}")
    raw_id = next((record[k] for k in ID_FIELDS if record.get(k) not in (None, "")), None)
    if raw_id is not None and not isinstance(raw_id, str | int):
        return Rejection(origin, "id must be a string or an integer")
    if isinstance(raw_id, str) and (problem := id_problem(raw_id)) is not None:
        return Rejection(origin, f"id {problem}")
    doc_id = str(raw_id) if raw_id is not None else f"doc-{content_hash(text)[:16]}"
    title = record.get("title") or ""
    url = next((record[k] for k in URL_FIELDS if record.get(k)), "")
    if not isinstance(title, str) or not isinstance(url, str):
        return Rejection(origin, "title and url must be strings")
    for name, value in (("title", title), ("url", url)):
        if (problem := text_problem(value)) is not None:
            return Rejection(origin, f"{name} {problem}")
    return SourceDocument(
        id=doc_id.strip(),
        text=text,
        title=title.strip(),
        url=url.strip(),
        source=source,
        origin=origin,
    )


def _read_jsonl(path: Path, max_chars: int) -> Iterator[ReadItem]:
    limit = max_file_bytes(max_chars)
    with path.open("rb") as handle:
        encoding = detect_encoding(handle.read(65536), allow_nul=True)
        handle.seek(0)
        lines: Iterator[tuple[int, str | None]]
        if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
            text = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")
            lines = bounded_lines(text, limit // 4, "\n")
        else:
            lines = (
                (number, None if raw is None else decode_line(raw, encoding))
                for number, raw in bounded_lines(handle, limit, b"\n")
            )
        for number, line in lines:
            origin = f"{path}:{number}"
            if line is None:
                yield Rejection(origin, f"line longer than {limit} bytes")
                continue
            line = line.lstrip("\ufeff").strip()
            if not line:
                continue
            if looks_binary(line):
                yield Rejection(origin, "binary content")
                continue
            try:
                record = safe_json.loads(line)
            except json.JSONDecodeError as exc:
                yield Rejection(origin, f"invalid JSON: {exc.msg} (column {exc.colno})")
                continue
            except safe_json.JSONInputError as exc:
                yield Rejection(origin, f"invalid JSON: {exc}")
                continue
            yield record_to_document(record, origin, str(path), max_chars)


def _read_json(path: Path, max_chars: int) -> Iterator[ReadItem]:
    limit = max_file_bytes(max_chars)
    if path.stat().st_size > limit:
        yield Rejection(str(path), f"file larger than {limit} bytes (split it, or use .jsonl)")
        return
    text = decode_bytes(path.read_bytes())
    try:
        data = safe_json.loads(text)
    except json.JSONDecodeError as exc:
        yield Rejection(f"{path}:{exc.lineno}", f"invalid JSON: {exc.msg}")
        return
    except safe_json.JSONInputError as exc:
        yield Rejection(str(path), f"invalid JSON: {exc}")
        return
    if isinstance(data, dict) and isinstance(data.get("documents"), list):
        data = data["documents"]
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records, start=1):
        yield record_to_document(record, f"{path}:item {index}", str(path), max_chars)


def _read_csv(path: Path, max_chars: int) -> Iterator[ReadItem]:
    with path.open("rb") as raw:
        encoding = detect_encoding(raw.read(65536))
    # Rows may hold whole documents: lift the csv module's 128 KiB field limit.
    csv.field_size_limit(min(sys.maxsize, max_chars + 1))
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not set(TEXT_FIELDS) & {f.strip() for f in reader.fieldnames}:
            wanted = ", ".join(TEXT_FIELDS)
            yield Rejection(f"{path}:1", f"CSV header needs a text column ({wanted})")
            return
        row_start = reader.line_num
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Rejection(f"{path}:{reader.line_num}", f"malformed CSV: {exc}")
                return
            origin = f"{path}:{row_start + 1}"
            row_start = reader.line_num
            if None in row:
                yield Rejection(origin, "row has more fields than the header")
                continue
            clean = {k.strip(): v for k, v in row.items() if k is not None and v is not None}
            yield record_to_document(clean, origin, str(path), max_chars)


def _read_text(path: Path, doc_id: str, max_chars: int) -> Iterator[ReadItem]:
    # Checked before reading: a file this large cannot be within the character limit.
    if path.stat().st_size > max_file_bytes(max_chars):
        yield Rejection(str(path), f"text longer than {max_chars} characters")
        return
    data = path.read_bytes()
    if not data.strip():
        yield Rejection(str(path), "empty file")
        return
    text = decode_bytes(data)
    if len(text) > max_chars:
        yield Rejection(str(path), f"text longer than {max_chars} characters")
        return
    heading = _HEADING.search(text[:4096]) if path.suffix.lower() != ".txt" else None
    title = heading.group(1) if heading else path.stem.replace("_", " ").replace("-", " ")
    yield SourceDocument(id=doc_id, text=text, title=title, source=str(path), origin=str(path))
