"""`truthgraph demo` and `truthgraph models verify` with the real bundled models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from truthgraph.cli import main

SAMPLE = Path(__file__).parents[1] / "src" / "truthgraph" / "sample"


@pytest.fixture()
def bundle_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("EMBED_MODEL", "NLI_MODEL", "DATABASE_URL"):
        monkeypatch.delenv(f"TRUTHGRAPH_{name}", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))


def test_demo_verifies_every_sample_claim_with_cited_offsets(bundle_env: None) -> None:
    result = CliRunner().invoke(main, ["demo", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ingest"]["documents_added"] == 40 and data["ingest"]["rejected"] == []
    assert "starter" in data["models"]["nli"]
    texts = {
        doc["id"]: doc["text"]
        for doc in map(json.loads, (SAMPLE / "corpus.jsonl").read_text().splitlines())
    }
    claims = (SAMPLE / "claims.jsonl").read_text().splitlines()
    assert len(data["results"]) == len(claims) == 24
    for item in data["results"]:
        assert item["verdict"] in {"SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"}
        assert 0.0 <= item["confidence"] <= 1.0 and item["explanation"]
        assert len(item["evidence"]) == 10  # top-k 10 over a 40-document corpus
        for evidence in item["evidence"]:
            doc = texts[evidence["doc_id"]]
            assert doc[evidence["start"] : evidence["end"]] == evidence["text"]
            nli = evidence["nli"]
            assert abs(nli["entailment"] + nli["neutral"] + nli["contradiction"] - 1) < 1e-3
    assert data["agreement"]["total"] == 24


def test_bundled_models_pass_verification(bundle_env: None) -> None:
    result = CliRunner().invoke(main, ["models", "verify"])
    assert result.exit_code == 0, result.output
    assert result.output.count("checksums ok") == 2
    assert "dimension 384" in result.output


def test_demo_cuts_passages_at_the_configured_length(
    tiny_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def passages(max_chars: str) -> int:
        monkeypatch.setenv("TRUTHGRAPH_PASSAGE_MAX_CHARS", max_chars)
        result = CliRunner().invoke(main, ["demo", "--json"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)["ingest"]
        assert report["files"] == 1 and report["rejected"] == []
        count: int = report["passages_added"]
        return count

    assert passages("80") > passages("600")
