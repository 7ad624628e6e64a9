"""Files of claims to verify: JSONL (objects with a "claim" field, or plain strings),
CSV (a header row with a `claim` column) or text (one claim per line; any other
suffix is read as text). Other fields
(id, label...) are kept with each claim. The whole file is checked before any claim
is used: the first unusable line raises ClaimError naming `label:line` and the reason.
Read by `truthgraph verify --file` and by the web UI's batch upload."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from truthgraph import safe_json
from truthgraph.ingest.lines import bounded_lines
from truthgraph.pipeline import ClaimError, check_claim

# A claim is at most MAX_CLAIM_CHARS characters; a line also carries its other fields.
MAX_CLAIM_LINE_BYTES = 1_000_000
# What an upload of claims may be called.
CLAIM_SUFFIXES = frozenset({".jsonl", ".ndjson", ".csv", ".txt"})


def read_claims(path: Path, *, label: str | None = None) -> list[dict[str, Any]]:
    """Claims from `path`; `label` names the file in messages (default: its path)."""
    name = label or str(path)
    suffix = path.suffix.lower()
    if suffix not in CLAIM_SUFFIXES:
        raise ClaimError(
            f"{name}: unsupported file type {path.suffix!r} (use .jsonl, .csv or .txt)"
        )
    claims: list[dict[str, Any]] = []
    rows = _csv_rows(path, name) if suffix == ".csv" else _line_rows(path, name, suffix)
    for where, record in rows:
        try:
            check_claim(record["claim"])
        except ClaimError as exc:
            raise ClaimError(f"{where}: {exc}") from None
        claims.append(record)
    return claims


def _decoded_lines(path: Path, name: str) -> Iterator[tuple[str, str]]:
    with path.open("rb") as handle:
        for number, raw in bounded_lines(handle, MAX_CLAIM_LINE_BYTES, b"\n"):
            where = f"{name}:{number}"
            if raw is None:
                raise ClaimError(f"{where}: line longer than {MAX_CLAIM_LINE_BYTES} bytes")
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ClaimError(f"{where}: not UTF-8 (byte {exc.start + 1})") from None
            yield where, line.lstrip("\ufeff") if number == 1 else line


def _line_rows(path: Path, name: str, suffix: str) -> Iterator[tuple[str, dict[str, Any]]]:
    jsonl = suffix in {".jsonl", ".ndjson"}
    for where, raw in _decoded_lines(path, name):
        line = raw.strip()
        if line:
            yield where, _parse_line(line, where) if jsonl else {"claim": line}


def _parse_line(line: str, where: str) -> dict[str, Any]:
    try:
        record = safe_json.loads(line)
    except json.JSONDecodeError as exc:
        raise ClaimError(f"{where}: invalid JSON: {exc.msg}") from None
    except safe_json.JSONInputError as exc:
        raise ClaimError(f"{where}: invalid JSON: {exc}") from None
    if isinstance(record, str):
        record = {"claim": record}
    if not isinstance(record, dict) or not isinstance(record.get("claim"), str):
        raise ClaimError(f'{where}: expected an object with a "claim" string')
    return record


def _csv_rows(path: Path, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Rows as records; a quoted cell may span lines. The csv module caps each field
    (128 KiB unless raised), which also bounds memory on a file without line breaks."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header: list[str] | None = None
        while True:
            try:
                cells = next(reader, None)
            except UnicodeDecodeError as exc:
                raise ClaimError(f"{name}: not UTF-8 (byte {exc.start + 1})") from None
            except csv.Error as exc:
                raise ClaimError(f"{name}:{reader.line_num}: {exc}") from None
            if cells is None:
                return
            where = f"{name}:{reader.line_num}"
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                if "claim" not in [cell.lower() for cell in header]:
                    raise ClaimError(f'{where}: the header row has no "claim" column')
                continue
            if len(cells) != len(header):
                raise ClaimError(f"{where}: {len(cells)} fields where the header has {len(header)}")
            record: dict[str, Any] = {}
            for key, value in zip(header, cells, strict=True):
                if key.lower() == "claim":
                    record["claim"] = value
                elif key:
                    record[key] = value
            yield where, record
