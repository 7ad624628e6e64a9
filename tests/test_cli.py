"""The `truthgraph` command through click's runner, on tiny models and a temp database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from truthgraph.cli import main

CORPUS = [
    {"id": "tower", "title": "Tower", "text": "The tower is in Paris, as confirmed in 1889."},
    {"id": "whale", "title": "Whale", "text": "The blue whale is never a small animal."},
]


def write_corpus(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in CORPUS) + extra, encoding="utf-8")
    return path


def test_ingest_then_verify_json(tiny_env: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", "--json", str(write_corpus(tmp_path))])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["documents_added"], summary["passages_added"]) == (2, 2)
    result = runner.invoke(main, ["verify", "--json", "the tower is in paris"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verdict"] == "SUPPORTED"
    top = data["evidence"][0]
    assert (top["doc_id"], top["start"], top["end"], top["stance"]) == (
        "tower",
        0,
        44,
        "entailment",
    )
    assert set(data["models"]) == {"embedding", "nli"}
    stats = json.loads(runner.invoke(main, ["stats"]).stdout)
    assert (stats["documents"], stats["passages"]) == (2, 2)


def test_human_output_names_verdict_evidence_and_models(tiny_env: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(write_corpus(tmp_path))])
    result = runner.invoke(main, ["verify", "the blue whale is a small animal"])
    assert result.exit_code == 0, result.output
    assert "Verdict:     REFUTED" in result.output
    assert "whale [0:39]" in result.output
    assert "test/tiny-nli (fp32) [starter model" in result.output


def test_strict_ingest_exits_3_on_rejections(tiny_env: Path, tmp_path: Path) -> None:
    path = write_corpus(tmp_path, extra="{oops\n")
    result = CliRunner().invoke(main, ["ingest", "--strict", str(path)])
    assert result.exit_code == 3
    assert f"{path}:3: invalid JSON" in result.output
    assert "documents added:      2" in result.output  # good rows still load
    assert CliRunner().invoke(main, ["ingest", str(path)]).exit_code == 0


def test_verify_file_writes_jsonl_in_order_with_ids(tiny_env: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(write_corpus(tmp_path))])
    claims = tmp_path / "claims.jsonl"
    claims.write_text('{"id": "c1", "claim": "the tower is in paris"}\n"the whale is small"\n')
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["verify", "--file", str(claims), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line.get("id") for line in lines] == ["c1", None]
    assert [line["verdict"] for line in lines] == ["SUPPORTED", "REFUTED"]


def test_bad_claims_file_is_one_clear_line(tiny_env: Path, tmp_path: Path) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text('{"claim": "ok"}\n{"text": "no claim"}\n')
    result = CliRunner().invoke(main, ["verify", "--file", str(claims)])
    assert result.exit_code == 1
    assert result.output.strip() == (f'Error: {claims}:2: expected an object with a "claim" string')


def test_usage_errors(tiny_env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["verify"]).exit_code == 2
    result = runner.invoke(main, ["verify", "   "])
    assert result.exit_code == 1 and "the claim is empty" in result.output


def test_missing_model_is_reported_without_traceback(tiny_env: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TRUTHGRAPH_NLI_MODEL", "/nonexistent/model")
    result = CliRunner().invoke(main, ["verify", "anything"])
    assert result.exit_code == 1
    assert "model '/nonexistent/model' not found" in result.output
    assert "Traceback" not in result.output


def test_invalid_database_url_is_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TRUTHGRAPH_DATABASE_URL", "mysql://nope")
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 1 and "database_url must start with" in result.output


def test_apikey_create_list_revoke(tiny_env: Path) -> None:
    runner = CliRunner()
    created = json.loads(
        runner.invoke(
            main, ["apikey", "create", "--name", "ci", "--scope", "read", "--scope", "write"]
        ).stdout
    )
    assert created["key"].startswith("tg_") and created["scopes"] == ["read", "write"]
    listed = json.loads(runner.invoke(main, ["apikey", "list"]).stdout)
    assert [(k["id"], k["revoked"]) for k in listed] == [(created["id"], False)]
    assert "key" not in listed[0]  # the key itself is never shown again
    assert runner.invoke(main, ["apikey", "revoke", created["id"]]).exit_code == 0
    again = runner.invoke(main, ["apikey", "revoke", created["id"]])
    assert again.exit_code == 1 and "no active key" in again.output
