"""Evidence windows: retrieved passages read together, for claims that need two sentences.

FEVER-style systems decide over several sentences at once; one sentence cannot entail
"Marie Curie won two Nobel Prizes" when each prize has its own sentence. For every
document with two or more passages among the retrieved ones, its best passages are
joined in document order, title first; one more window joins the best passage of the
two best documents, for claims that compare two documents. Each window stays within the
NLI model's input length by taking at most `MAX_PER_WINDOW` passages.
"""

from __future__ import annotations

from collections.abc import Sequence

from truthgraph.domain import RetrievedPassage, with_title

Window = tuple[tuple[RetrievedPassage, ...], str]

MAX_PER_WINDOW = 3
MAX_WINDOWS = 3
MAX_WINDOW_CHARS = 480  # about 110 word pieces, leaving room for the claim at 128


def _join(passages: Sequence[RetrievedPassage]) -> str:
    title = passages[0].passage.title
    text = " ".join(p.passage.text for p in passages)
    return with_title(title, text)


def _fit(members: list[RetrievedPassage]) -> list[RetrievedPassage]:
    """The best-ranked members whose text fits, kept in rank order."""
    kept: list[RetrievedPassage] = []
    size = 0
    for member in members:
        size += len(member.passage.text) + 1
        if kept and size > MAX_WINDOW_CHARS:
            break
        kept.append(member)
    return kept


def build_windows(retrieved: Sequence[RetrievedPassage]) -> list[Window]:
    """(member passages, premise text) per window; `retrieved` is in rank order."""
    by_doc: dict[str, list[RetrievedPassage]] = {}
    for hit in retrieved:
        by_doc.setdefault(hit.passage.doc_id, []).append(hit)
    windows: list[Window] = []
    for hits in by_doc.values():
        if len(windows) == MAX_WINDOWS:
            break
        members = _fit(hits[:MAX_PER_WINDOW])
        if len(members) < 2:
            continue
        members.sort(key=lambda h: h.passage.start)
        windows.append((tuple(members), _join(members)))
    docs = list(by_doc.values())
    if len(docs) >= 2:
        first, second = docs[0][0], docs[1][0]
        text = (
            f"{with_title(first.passage.title, first.passage.text)} "
            f"{with_title(second.passage.title, second.passage.text)}"
        )
        if len(text) <= MAX_WINDOW_CHARS + 40:
            windows.append(((first, second), text))
    return windows
