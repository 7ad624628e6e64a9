"""Scores of verdicts against gold labels: the metrics and `truthgraph eval`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from truthgraph.cli import main
from truthgraph.evaluation import Outcome, expected_calibration_error, macro_f1, score


def outcome(
    gold: str,
    predicted: str,
    confidence: float = 0.9,
    kind: str = "-",
    evidence: tuple[tuple[str, str], ...] = (),
    cited: tuple[tuple[str, str], ...] = (),
) -> Outcome:
    return Outcome(gold, predicted, confidence, kind, evidence, cited, cited)


def test_accuracy_macro_f1_and_confusion() -> None:
    outcomes = [
        outcome("SUPPORTED", "SUPPORTED"),
        outcome("SUPPORTED", "REFUTED"),
        outcome("REFUTED", "REFUTED"),
        outcome("NOT_ENOUGH_INFO", "NOT_ENOUGH_INFO"),
    ]
    report = score(outcomes, top_k=10)
    assert report.accuracy == 0.75
    assert report.confusion["SUPPORTED"]["REFUTED"] == 1
    # F1: SUPPORTED 2/3, REFUTED 2/3, NOT_ENOUGH_INFO 1.
    assert report.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert macro_f1(report.confusion) == report.macro_f1


def test_fever_score_needs_a_gold_passage_among_the_cited() -> None:
    gold = (("doc", "sank in 1912"),)
    right = outcome("REFUTED", "REFUTED", evidence=gold, cited=(("doc", "It sank in 1912."),))
    lucky = outcome("REFUTED", "REFUTED", evidence=gold, cited=(("other", "Unrelated."),))
    report = score([right, lucky], top_k=10)
    assert report.accuracy == 1.0
    assert report.fever_score == 0.5
    assert report.evidence_recall == 0.5


def test_expected_calibration_error() -> None:
    # Confidence 0.9 everywhere, right 9 times in 10: perfectly calibrated.
    calibrated = [outcome("SUPPORTED", "SUPPORTED")] * 9 + [outcome("SUPPORTED", "REFUTED")]
    assert expected_calibration_error(calibrated) == pytest.approx(0.0)
    overconfident = [outcome("SUPPORTED", "REFUTED", confidence=1.0)] * 4
    assert expected_calibration_error(overconfident) == pytest.approx(1.0)


def test_per_kind_table() -> None:
    report = score(
        [
            outcome("SUPPORTED", "SUPPORTED", kind="negation"),
            outcome("REFUTED", "SUPPORTED", kind="negation"),
            outcome("REFUTED", "REFUTED", kind="date"),
        ],
        top_k=10,
    )
    assert report.per_kind == {
        "date": {"claims": 1, "accuracy": 1.0},
        "negation": {"claims": 2, "accuracy": 0.5},
    }


def write_task(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps(
            {
                "id": "tower",
                "title": "Tower",
                "text": "The tower is in Paris, as confirmed in 1889.",
            }
        )
        + "\n"
    )
    claims = tmp_path / "claims.jsonl"
    rows = [
        {
            "claim": "the tower is in paris",
            "label": "SUPPORTED",
            "kind": "paraphrase",
            "evidence": [{"doc_id": "tower", "quote": "The tower is in Paris"}],
        },
        {
            "claim": "the tower is never in paris",
            "label": "REFUTED",
            "kind": "negation",
            "evidence": [{"doc_id": "tower", "quote": "The tower is in Paris"}],
        },
    ]
    claims.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return corpus, claims


def test_eval_command_prints_json_and_enforces_a_floor(tiny_env: Path, tmp_path: Path) -> None:
    corpus, claims = write_task(tmp_path)
    runner = CliRunner()
    result = runner.invoke(
        main, ["eval", "--corpus", str(corpus), "--claims", str(claims), "--json", "--top-k", "5"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["claims"] == 2
    assert data["evidence_recall_at_5"] == 1.0
    assert set(data["per_kind"]) == {"paraphrase", "negation"}
    assert sum(sum(row.values()) for row in data["confusion"].values()) == 2
    markdown = runner.invoke(
        main,
        ["eval", "--corpus", str(corpus), "--claims", str(claims), "--markdown", "--limit", "1"],
    )
    assert "| label accuracy |" in markdown.stdout and "| claims | 1 |" in markdown.stdout
    floor = runner.invoke(
        main, ["eval", "--corpus", str(corpus), "--claims", str(claims), "--min-accuracy", "1.01"]
    )
    assert floor.exit_code != 0


def test_eval_refuses_a_malformed_claims_file(tiny_env: Path, tmp_path: Path) -> None:
    corpus, claims = write_task(tmp_path)
    claims.write_text('{"claim": "x", "label": "TRUE"}\n')
    result = CliRunner().invoke(main, ["eval", "--corpus", str(corpus), "--claims", str(claims)])
    assert result.exit_code == 1
    assert "unknown label 'TRUE'" in result.output
