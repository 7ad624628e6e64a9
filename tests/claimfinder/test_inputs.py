"""Reading a text to check: HTML reduced to its visible text, refusals by code."""

from __future__ import annotations

import io

import pytest

from truthgraph.checking import TextCheckError, find_checkable
from truthgraph.checking.inputs import html_to_text, read_text

PAGE = """<!doctype html><html><head><title>T</title><style>p {color: red}</style></head>
<body><h1>The tower</h1><p>The Eiffel Tower was completed in <b>1889</b>.</p>
<script>document.write("The tower is 500 m tall.")</script><p>Is it worth a visit?</p>
</body></html>"""


def test_html_keeps_the_visible_text_with_its_structure() -> None:
    text = html_to_text(PAGE)
    assert "document.write" not in text and "color" not in text
    assert "# The tower\n\nThe Eiffel Tower was completed in 1889." in text
    found = find_checkable(text)
    assert [c.text for c in found.claims] == ["The Eiffel Tower was completed in 1889."]


def test_a_file_named_html_or_looking_like_html_is_stripped() -> None:
    text = read_text(io.BytesIO(PAGE.encode()), "page.txt", max_bytes=10_000)
    assert text.startswith("# The tower")  # the <head> (title, styles) is not shown
    plain = b"The tower <b> is 330 m tall."
    assert read_text(io.BytesIO(plain), "notes.md", max_bytes=100) == plain.decode()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x00\x01\x02binary\x00", "invalid_text"),
        (b"x" * 101, "text_too_large"),
    ],
)
def test_unreadable_input_is_refused_by_code(data: bytes, code: str) -> None:
    with pytest.raises(TextCheckError) as caught:
        read_text(io.BytesIO(data), "in.txt", max_bytes=100)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty_text"),
        (" \n ", "empty_text"),
        ("Why? Go now!", "no_claims"),
        ("The tower\ud800 is tall.", "invalid_text"),
        ("The tower is tall. " * 10, "text_too_large"),
    ],
)
def test_unusable_texts_are_refused_by_code(text: str, code: str) -> None:
    with pytest.raises(TextCheckError) as caught:
        find_checkable(text, max_chars=150)
    assert caught.value.code == code


def test_a_sentence_longer_than_a_claim_is_skipped_not_fatal() -> None:
    run_on = "The list names " + ", ".join(f"city {i} in 1900" for i in range(300)) + "."
    found = find_checkable(f"Paris is the capital of France. {run_on}", max_chars=10_000)
    assert [c.text for c in found.claims] == ["Paris is the capital of France."]
    assert [s.reason for s in found.skipped] == ["too_long"]
