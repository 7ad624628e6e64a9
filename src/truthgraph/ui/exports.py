"""A job's results as downloads: JSONL (the full result per line, as the CLI writes
it) and CSV (one row per claim with the verdict and the deciding passage). CSV cells
that a spreadsheet would run as a formula are prefixed with an apostrophe."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from truthgraph.store.records import Records, VerificationRecord

PAGE = 200
CSV_COLUMNS = (
    "index",
    "claim",
    "verdict",
    "confidence",
    "explanation",
    "evidence_doc_id",
    "evidence_stance",
    "evidence_text",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def job_records(records: Records, job_id: str) -> Iterator[VerificationRecord]:
    offset = 0
    while True:
        page = records.job_results(job_id, limit=PAGE, offset=offset)
        yield from page
        if len(page) < PAGE:
            return
        offset += PAGE


def as_jsonl(records: Records, job_id: str) -> Iterator[str]:
    for record in job_records(records, job_id):
        line = {"index": record.index, **record.result}
        yield json.dumps(line, ensure_ascii=False) + "\n"


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_row(record: VerificationRecord) -> list[str]:
    result = record.result
    top = result["evidence"][0] if result.get("evidence") else {}
    values = (
        record.index,
        result["claim"],
        result["verdict"],
        result["confidence"],
        result.get("explanation", ""),
        top.get("doc_id"),
        top.get("stance"),
        top.get("text"),
    )
    return [safe_cell(value) for value in values]


def as_csv(records: Records, job_id: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in job_records(records, job_id):
        writer.writerow(csv_row(record))
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
