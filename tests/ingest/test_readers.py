"""Readers: every format, encodings, and bad input reported by file:line."""

from __future__ import annotations

import json
from pathlib import Path

from truthgraph.domain import SourceDocument
from truthgraph.ingest.readers import Rejection, iter_files, read_file


def read(path: Path, doc_id: str = "x") -> list[SourceDocument | Rejection]:
    return list(read_file(path, doc_id=doc_id, max_chars=1_000_000))


def test_jsonl_rows_map_fields_and_report_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(
        '{"id": "a", "title": "A", "text": "First doc.", "url": "https://example.org/a"}\n'
        "\n"
        "{not json}\n"
        '["a list"]\n'
        '{"id": "b"}\n'
        '{"id": "c", "text": "   "}\n'
        '{"doc_id": 7, "content": "Second doc."}\n',
        encoding="utf-8",
    )
    items = read(path)
    docs = [i for i in items if isinstance(i, SourceDocument)]
    rejections = [(r.origin, r.reason) for r in items if isinstance(r, Rejection)]
    assert [(d.id, d.title, d.text, d.url) for d in docs] == [
        ("a", "A", "First doc.", "https://example.org/a"),
        ("7", "", "Second doc.", ""),
    ]
    assert [o for o, _ in rejections] == [f"{path}:3", f"{path}:4", f"{path}:5", f"{path}:6"]
    assert rejections[0][1].startswith("invalid JSON")
    assert rejections[1][1] == "expected an object, got list"
    assert rejections[2][1].startswith("missing text field")
    assert rejections[3][1] == "empty text"


def test_documents_without_id_get_a_stable_content_id(tmp_path: Path) -> None:
    path = tmp_path / "docs.json"
    path.write_text(json.dumps({"documents": [{"text": "Same text."}, {"text": "Other."}]}))
    first = [d.id for d in read(path) if isinstance(d, SourceDocument)]
    again = [d.id for d in read(path) if isinstance(d, SourceDocument)]
    assert first == again and first[0].startswith("doc-") and first[0] != first[1]


def test_csv_with_quoted_newlines_and_ragged_rows(tmp_path: Path) -> None:
    path = tmp_path / "docs.csv"
    path.write_text(
        'id,title,text\n1,One,"Line one.\nLine two."\n2,Two,"x",extra\n3,Three,Third.\n',
        encoding="utf-8",
    )
    items = read(path)
    assert isinstance(items[0], SourceDocument) and items[0].text == "Line one.\nLine two."
    assert items[1] == Rejection(f"{path}:4", "row has more fields than the header")
    assert isinstance(items[2], SourceDocument) and items[2].origin == f"{path}:5"


def test_csv_without_text_column_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,name\n1,x\n")
    [item] = read(path)
    assert isinstance(item, Rejection) and "text column" in item.reason


def test_encodings_utf8_bom_utf16_and_cp1252(tmp_path: Path) -> None:
    text = "Café au lait costs €3 in Zürich."
    cases = {
        "bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "utf16.txt": text.encode("utf-16"),
        "cp1252.txt": text.encode("cp1252"),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        [doc] = read(tmp_path / name)
        assert isinstance(doc, SourceDocument), name
        assert doc.text == text, name


def test_empty_and_binary_files_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    (tmp_path / "junk.md").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "junk.jsonl").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 100)
    assert read(tmp_path / "empty.txt") == [Rejection(str(tmp_path / "empty.txt"), "empty file")]
    [junk] = read(tmp_path / "junk.md")
    assert isinstance(junk, Rejection) and "binary" in junk.reason
    [junk] = read(tmp_path / "junk.jsonl")
    assert isinstance(junk, Rejection) and "binary" in junk.reason


def test_markdown_title_comes_from_the_first_heading(tmp_path: Path) -> None:
    path = tmp_path / "river-notes.md"
    path.write_text("# The Long River\n\nIt floods in spring.\n")
    [doc] = read(path, doc_id="river-notes.md")
    assert isinstance(doc, SourceDocument)
    assert (doc.id, doc.title) == ("river-notes.md", "The Long River")


def test_a_10_mb_single_line_document_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    text = "The river runs east. " * 500_000
    path.write_text(json.dumps({"id": "big", "text": text}) + "\n")
    assert path.stat().st_size > 10_000_000
    [doc] = list(read_file(path, doc_id="x", max_chars=20_000_000))
    assert isinstance(doc, SourceDocument) and len(doc.text) == len(text)


def test_oversized_document_is_rejected_not_truncated(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    [item] = list(read_file(path, doc_id="big.txt", max_chars=100))
    assert isinstance(item, Rejection) and "longer than 100" in item.reason


def test_folders_are_walked_in_order_skipping_hidden_and_unknown(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "a.md").write_text("a")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text("c")
    found = list(iter_files([tmp_path, tmp_path / "image.png", tmp_path / "missing.txt"]))
    assert found[:2] == [tmp_path / "a.md", tmp_path / "b.txt"]
    assert [r.reason for r in found[2:] if isinstance(r, Rejection)] == [
        "unsupported file type '.png'",
        "no such file or folder",
    ]
