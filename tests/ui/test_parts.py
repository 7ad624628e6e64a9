"""The UI's pure parts: excerpts around a passage, CSV cells, claim files."""

from __future__ import annotations

from pathlib import Path

import pytest

from truthgraph.ingest.claims import read_claims
from truthgraph.pipeline import ClaimError
from truthgraph.ui.excerpt import cut
from truthgraph.ui.exports import safe_cell

TEXT = "Alpha beta gamma. The cited sentence is here. Delta epsilon zeta eta."


def test_the_excerpt_marks_exact_offsets_and_trims_to_words() -> None:
    start = TEXT.index("The cited")
    end = start + len("The cited sentence is here.")
    whole = cut(TEXT, 0, start, end, at_end=True)
    assert (whole.before, whole.marked, whole.after) == (
        "Alpha beta gamma.",
        "The cited sentence is here.",
        "Delta epsilon zeta eta.",
    )
    assert not whole.more_before and not whole.more_after
    # A window cut out of a longer text: partial words at both edges are dropped.
    window_start = 8
    window = TEXT[window_start : end + 12]
    part = cut(window, window_start, start, end, at_end=False)
    assert part.marked == "The cited sentence is here."
    assert part.before == "gamma." and part.after == "Delta"
    assert part.more_before and part.more_after


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1", "'+33 1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("plain", "plain"),
        (None, ""),
        (0.5, "0.5"),
        ("\tx", "'\tx"),
    ],
)
def test_csv_cells_never_start_a_formula(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def test_claim_files_in_every_format(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text('\ufeffID,Claim\n1,"First, with a comma"\n\n2,Second\n')
    assert read_claims(tmp_path / "c.csv") == [
        {"ID": "1", "claim": "First, with a comma"},
        {"ID": "2", "claim": "Second"},
    ]
    (tmp_path / "c.jsonl").write_text('"plain"\n{"claim": "obj", "label": "SUPPORTED"}\n')
    assert read_claims(tmp_path / "c.jsonl") == [
        {"claim": "plain"},
        {"claim": "obj", "label": "SUPPORTED"},
    ]
    (tmp_path / "c.txt").write_text("one\n\n two \n")
    assert read_claims(tmp_path / "c.txt") == [{"claim": "one"}, {"claim": "two"}]
    (tmp_path / "r.csv").write_text("claim,id\nok,1\ntoo,many,fields\n")
    with pytest.raises(ClaimError, match=r"^up.csv:3: 3 fields where the header has 2$"):
        read_claims(tmp_path / "r.csv", label="up.csv")
    (tmp_path / "e.csv").write_text("claim\n \n")
    assert read_claims(tmp_path / "e.csv") == []
    (tmp_path / "n.csv").write_text('claim\n"\x00"\n')
    with pytest.raises(ClaimError, match="NUL"):
        read_claims(tmp_path / "n.csv")
