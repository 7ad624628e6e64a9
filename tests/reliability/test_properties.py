"""Property-based tests (hypothesis) of the input path: readers, the bounded line
reader, the JSON parser, the text check, splitting and passage offsets."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from truthgraph import safe_json
from truthgraph.domain import SourceDocument
from truthgraph.ingest.decoding import NotTextError, decode_bytes
from truthgraph.ingest.lines import bounded_lines
from truthgraph.ingest.readers import Rejection, read_file, record_to_document
from truthgraph.ingest.splitting import content_hash, split_passages
from truthgraph.text_checks import text_problem

FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Prose-like text: words, punctuation, whitespace and any other Unicode character.
prose = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("abc xyz. ! ? ; , \n\n  Dr. U.S. 3.5 # - > ")),
        st.characters(codec="utf-8"),
    ),
    max_size=2000,
)


@FAST
@given(prose, st.integers(min_value=50, max_value=600))
def test_passages_point_back_into_the_text(text: str, max_chars: int) -> None:
    passages = split_passages(text, max_chars=max_chars)
    previous_end = 0
    for passage in passages:
        assert 0 <= passage.start < passage.end <= len(text)
        assert text[passage.start : passage.end] == passage.text
        assert passage.start >= previous_end  # ordered, never overlapping
        assert passage.text == passage.text.strip()
        assert any(ch.isalnum() or ch == "_" for ch in passage.text)
        assert passage.content_hash == content_hash(passage.text)
        previous_end = passage.end


@FAST
@given(prose)
def test_content_hash_ignores_case_and_spacing(text: str) -> None:
    spaced = "  " + "\n ".join(text.split()) + " "
    assert content_hash(spaced) == content_hash(" ".join(text.split()))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@FAST
@given(json_values)
def test_json_round_trips(value: Any) -> None:
    assert safe_json.loads(json.dumps(value)) == value
    assert safe_json.loads(json.dumps(value, ensure_ascii=False).encode()) == value


@FAST
@given(st.integers(min_value=65, max_value=5000), st.sampled_from(["[]", "{}"]), st.text())
def test_json_deeper_than_the_limit_is_refused(depth: int, brackets: str, inside: str) -> None:
    opening = '{"k": ' * depth if brackets == "{}" else "[" * depth
    closing = "}" * depth if brackets == "{}" else "]" * depth
    with pytest.raises(safe_json.JSONInputError, match="nested deeper"):
        safe_json.loads(opening + json.dumps(inside) + closing)


@FAST
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_json_parser_raises_only_its_own_errors(data: bytes | str) -> None:
    try:
        safe_json.loads(data)
    except (json.JSONDecodeError, safe_json.JSONInputError):
        pass


@FAST
@given(st.text(alphabet=st.characters(), max_size=200))
def test_text_check_agrees_with_utf8_and_nul(text: str) -> None:
    try:
        text.encode("utf-8")
        encodable = True
    except UnicodeEncodeError:
        encodable = False
    assert (text_problem(text) is None) == (encodable and "\x00" not in text)


@FAST
@given(st.binary(max_size=3000), st.integers(min_value=1, max_value=200))
def test_bounded_lines_keep_every_short_line_and_skip_long_ones(data: bytes, limit: int) -> None:
    expected = _split_on_newline(data)
    got = list(bounded_lines(io.BytesIO(data), limit, b"\n"))
    assert [number for number, _ in got] == list(range(1, len(expected) + 1))
    for (_, line), original in zip(got, expected, strict=True):
        if line is None:
            assert len(original) > limit
        else:
            assert line == original


def _split_on_newline(data: bytes) -> list[bytes]:
    lines = [part + b"\n" for part in data.split(b"\n")]
    lines[-1] = lines[-1][:-1]
    return [line for line in lines if line]


@FAST
@given(st.binary(max_size=2000))
def test_decoding_returns_text_or_says_why_not(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except NotTextError:
        return
    assert isinstance(text, str)


records = st.dictionaries(
    st.sampled_from(["id", "text", "title", "url", "content", "doc_id", "other"]),
    st.none() | st.integers() | st.text(max_size=50) | st.lists(st.integers(), max_size=2),
    max_size=5,
)


@FAST
@given(records)
def test_any_record_becomes_a_document_or_a_reason(record: dict[str, Any]) -> None:
    item = record_to_document(record, "f:1", "f", 1000)
    if isinstance(item, Rejection):
        assert item.origin == "f:1" and item.reason
        return
    assert isinstance(item, SourceDocument)
    assert item.id and item.id == item.id.strip() and len(item.id) <= 256
    for value in (item.id, item.text, item.title, item.url):
        assert text_problem(value) is None


@FAST
@given(st.lists(st.text(max_size=80) | st.integers() | st.none(), min_size=1, max_size=12))
def test_jsonl_reader_yields_one_item_per_line_in_order(
    tmp_path_factory: pytest.TempPathFactory, texts: list[Any]
) -> None:
    path = Path(tmp_path_factory.mktemp("jsonl")) / "docs.jsonl"
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    items = list(read_file(path, doc_id="docs.jsonl", max_chars=1000))
    assert [i.origin for i in items] == [f"{path}:{n}" for n in range(1, len(texts) + 1)]
    for item, text in zip(items, texts, strict=True):
        if isinstance(item, SourceDocument):
            assert item.text == text
        else:
            assert not isinstance(text, str) or not text.strip() or text_problem(text)
