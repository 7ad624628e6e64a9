"""`truthgraph check` through click's runner, on tiny models and a temp database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.test_cli import write_corpus
from truthgraph.cli import main

ARTICLE = (
    "# The tower\n\nIs the tower worth a visit? The tower is in Paris, as confirmed in 1889.\n"
    "I think it is the most beautiful tower ever. The blue whale is never a small animal.\n"
)


def test_check_prints_the_text_with_numbered_claims_and_json(
    tiny_env: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(write_corpus(tmp_path))]).exit_code == 0
    article = tmp_path / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(main, ["check", str(article)])
    assert result.exit_code == 0, result.output
    assert "The tower is in Paris, as confirmed in 1889.[1]" in result.stdout
    assert "animal.[2]" in result.stdout
    assert "2 claims:" in result.stdout
    assert "3 sentences skipped: 1 heading, 1 question, 1 opinion" in result.stdout
    data = json.loads(runner.invoke(main, ["check", "--json", "-"], input=ARTICLE).stdout)
    spans = [ARTICLE[c["start"] : c["end"]] for c in data["claims"]]
    assert spans == [c["result"]["claim"] for c in data["claims"]]
    assert sum(data["summary"].values()) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the text is empty"),
        (b"\x00\x01binary\x00\x02", "is not text"),
        (b"Why? Book now!", "no check-worthy statement among the text's 2 sentences"),
    ],
)
def test_unusable_input_is_one_line_and_exit_1(
    tiny_env: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_text_over_the_limit_is_refused_unread(
    tiny_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUTHGRAPH_CHECK_MAX_CHARS", "100")
    path = tmp_path / "big.txt"
    path.write_text("The tower is in Paris. " * 40, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1 and "big.txt is larger than 400 bytes" in result.output
