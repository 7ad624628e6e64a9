"""Evidence windows: retrieved passages of one document read together, in order."""

from __future__ import annotations

from truthgraph.domain import Passage, RetrievedPassage
from truthgraph.windows import MAX_WINDOW_CHARS, build_windows


def hit(pid: int, doc: str, start: int, text: str, title: str = "") -> RetrievedPassage:
    passage = Passage(
        id=pid, doc_id=doc, text=text, start=start, end=start + len(text), title=title
    )
    return RetrievedPassage(passage, fused_score=1.0 / pid)


def test_passages_of_one_document_are_joined_in_document_order_title_first() -> None:
    hits = [
        hit(1, "curie", 120, "In 1911 she received the Nobel Prize in Chemistry.", "Marie Curie"),
        hit(2, "other", 0, "An unrelated sentence.", "Other"),
        hit(3, "curie", 40, "In 1903 she shared the Nobel Prize in Physics.", "Marie Curie"),
    ]
    windows = build_windows(hits)
    members, text = windows[0]
    assert [m.passage.id for m in members] == [3, 1]
    assert text == (
        "Marie Curie: In 1903 she shared the Nobel Prize in Physics. "
        "In 1911 she received the Nobel Prize in Chemistry."
    )
    # The cross-document window pairs the best passage of the two best documents.
    cross_members, cross_text = windows[-1]
    assert [m.passage.doc_id for m in cross_members] == ["curie", "other"]
    assert cross_text.startswith("Marie Curie: In 1911") and "Other: An unrelated" in cross_text


def test_a_single_passage_makes_no_window_and_windows_stay_short() -> None:
    assert build_windows([hit(1, "a", 0, "Only one.")]) == []
    long = "x" * 300
    hits = [hit(i, "a", i * 400, long) for i in range(1, 4)] + [hit(9, "b", 0, long)]
    for members, text in build_windows(hits):
        assert len(members) >= 2
        assert len(text) <= MAX_WINDOW_CHARS + 2 * len(long)
    same_doc = [w for w in build_windows(hits) if w[0][0].passage.doc_id == w[0][-1].passage.doc_id]
    assert all(sum(len(m.passage.text) for m in ms) <= 2 * len(long) for ms, _ in same_doc)
