"""Items 3, 4, 5 and 9 through the command line: one bad row costs that row (with its
file:line), big files cost bounded memory, and odd paths are named for what they are."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from truthgraph.cli import main

DEEP = "[" * 10_000 + "]" * 10_000


def _good(start: int, count: int) -> str:
    return "".join(
        json.dumps({"id": f"g{n}", "text": f"Good sentence number {n} is here."}) + "\n"
        for n in range(start, start + count)
    )


def _ingest(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(main, ["ingest", "--json", *args])
    assert result.exit_code == 0, result.output
    summary: dict[str, object] = json.loads(result.stdout)
    return summary


def test_one_deep_line_costs_one_line(tiny_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(_good(0, 300) + DEEP + "\n" + _good(300, 300), encoding="utf-8")
    summary = _ingest(str(path))
    assert summary["documents_added"] == 600
    assert summary["rejected"] == [
        {"origin": f"{path}:301", "reason": "invalid JSON: nested deeper than 64 levels"}
    ]


def test_deep_json_file_is_rejected_not_crashed(tiny_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(DEEP, encoding="utf-8")
    summary = _ingest(str(path))
    assert summary["rejected"] == [
        {"origin": str(path), "reason": "invalid JSON: nested deeper than 64 levels"}
    ]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ('{"id": "n", "text": "NUL \\u0000 inside."}', "text contains a NUL character (U+0000)"),
        ('{"id": "s", "text": "Lone \\ud800 here."}', "text contains an unpaired surrogate"),
        ('{"id": "t", "title": "\\u0000", "text": "Fine."}', "title contains a NUL"),
        ('{"id": "   ", "text": "Blank id here."}', "id is blank"),
        ('{"id": "x", "text": "ok", "n": NaN}', "NaN is not valid JSON"),
    ],
)
def test_unstorable_rows_are_rejected_with_file_and_line(
    tiny_env: Path, tmp_path: Path, row: str, reason: str
) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(_good(0, 2) + row + "\n" + _good(2, 2), encoding="utf-8")
    summary = _ingest(str(path))
    assert summary["documents_added"] == 4
    [rejected] = summary["rejected"]  # type: ignore[misc]
    assert rejected["origin"] == f"{path}:3" and reason in rejected["reason"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (DEEP, "nested deeper than 64 levels"),
        ('{"claim": "NUL \\u0000"}', "NUL character"),
        ('{"claim": "\\udc80 x"}', "unpaired surrogate"),
        ('{"claim": "   "}', "the claim is empty"),
        ('{"nope": 1}', 'expected an object with a "claim" string'),
    ],
)
def test_verify_file_names_the_bad_line_before_verifying(
    tiny_env: Path, tmp_path: Path, line: str, reason: str
) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text('{"claim": "The tower is in Paris."}\n' + line + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["verify", "--file", str(claims), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{claims}:2: " in result.output and reason in result.output
    assert "Traceback" not in result.output


def test_verify_file_with_invalid_utf8_is_a_clear_error(tiny_env: Path, tmp_path: Path) -> None:
    claims = tmp_path / "claims.txt"
    claims.write_bytes(b"The tower is in Paris.\ncaf\xe9\n")
    result = CliRunner().invoke(main, ["verify", "--file", str(claims)])
    assert result.exit_code == 1 and f"{claims}:2: not UTF-8" in result.output


def test_fifo_and_link_loop_are_named_for_what_they_are(tiny_env: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.jsonl"
    loop.symlink_to(tmp_path / "loop2.jsonl")
    (tmp_path / "loop2.jsonl").symlink_to(loop)
    broken = tmp_path / "broken.txt"
    broken.symlink_to(tmp_path / "gone.txt")
    folder = tmp_path / "folder"
    folder.mkdir()
    os.mkfifo(folder / "inner.txt")
    summary = _ingest(str(fifo), str(loop), str(broken), str(tmp_path / "missing.md"), str(folder))
    assert summary["rejected"] == [
        {"origin": str(fifo), "reason": "a FIFO (named pipe), not a regular file"},
        {"origin": str(loop), "reason": "symbolic link loop"},
        {"origin": str(broken), "reason": "broken symbolic link (its target does not exist)"},
        {"origin": str(tmp_path / "missing.md"), "reason": "no such file or folder"},
        {"origin": str(folder / "inner.txt"), "reason": "a FIFO (named pipe), not a regular file"},
    ]


PEAK_RSS = """
import resource, sys
from truthgraph.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr)
"""


@pytest.mark.slow
@pytest.mark.parametrize("name", ["s.jsonl", "s.txt", "s.json"])
def test_two_gigabyte_files_cost_bounded_memory(tiny_env: Path, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: no disk used
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, "ingest", "--json", str(path)],
        capture_output=True,
        text=True,
        timeout=240,
        env=os.environ.copy(),
    )
    peak_mb = int(result.stderr.strip().splitlines()[-1])
    summary = json.loads(result.stdout)
    assert summary["documents_added"] == 0 and len(summary["rejected"]) == 1
    assert peak_mb < 400, (peak_mb, summary)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024 < 2000
