from __future__ import annotations

from truthgraph.ingest.splitting import content_hash, split_passages


def test_offsets_point_back_into_the_source() -> None:
    text = "  The tower opened in 1889. It is 330 metres tall!\n\nDr. Smith visited it?  Yes. "
    passages = split_passages(text)
    assert [p.text for p in passages] == [
        "The tower opened in 1889.",
        "It is 330 metres tall!",
        "Dr. Smith visited it?  Yes.",
    ]
    for p in passages:
        assert text[p.start : p.end] == p.text


def test_abbreviations_initials_and_decimals_do_not_end_sentences() -> None:
    text = "J. R. Tolkien moved to the U.S. in 1950 and paid 3.5 dollars. Then e.g. nothing."
    assert [p.text for p in split_passages(text)] == [
        "J. R. Tolkien moved to the U.S. in 1950 and paid 3.5 dollars.",
        "Then e.g. nothing.",
    ]


def test_markdown_markers_are_stripped_and_lone_headings_dropped() -> None:
    text = "# Overview\n\n- The bridge is 2 km long.\n\n> It opened in 1932.\n"
    passages = split_passages(text)
    assert [p.text for p in passages] == ["The bridge is 2 km long.", "It opened in 1932."]
    assert all(text[p.start : p.end] == p.text for p in passages)


def test_short_fragment_joins_the_next_sentence_of_its_paragraph() -> None:
    text = "Fig. 2. The river floods every spring in the lowlands."
    assert [p.text for p in split_passages(text)] == [text]


def test_long_sentences_are_cut_at_clause_or_word_breaks() -> None:
    text = ("word " * 400).strip()
    passages = split_passages(text, max_chars=100)
    assert all(len(p.text) <= 100 for p in passages)
    assert " ".join(p.text for p in passages) == text
    assert all(text[p.start : p.end] == p.text for p in passages)


def test_a_10_mb_line_splits_in_linear_time() -> None:
    line = "The quick river runs east, and the hills rise slowly " * 200_000  # ~10 MB
    passages = split_passages(line, max_chars=600)
    assert len(line) > 10_000_000
    assert len(passages) > 10_000
    assert all(len(p.text) <= 600 for p in passages)


def test_text_without_words_gives_no_passages() -> None:
    assert split_passages("... --- !!! \n\n ***") == []
    assert split_passages("") == []


def test_content_hash_ignores_case_width_and_whitespace() -> None:
    assert content_hash("The  Tower\nopened.") == content_hash("the tower opened.")
    assert content_hash("ＡＢＣ") == content_hash("abc")  # NFKC folds full-width letters
    assert content_hash("The tower opened.") != content_hash("The tower closed.")
