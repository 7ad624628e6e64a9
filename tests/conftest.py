from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

# One throw-away PostgreSQL server per session, shared by tests/store and tests/api;
# registered here so that both folders use the same session fixture.
from tests.postgres_server import (  # noqa: E402, F401 - fixtures, registered by import
    blank_postgres_url,
    postgres_server,
    postgres_url,
)
from tests.tiny_models import build_embedder, build_nli  # noqa: E402
from truthgraph.inference.onnx import LocalInference  # noqa: E402
from truthgraph.pipeline import Verifier  # noqa: E402
from truthgraph.store.sqlite import SQLiteStore  # noqa: E402


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("models")
    return build_embedder(root / "embed"), build_nli(root / "nli")


@pytest.fixture(scope="session")
def tiny_inference(tiny_models: tuple[Path, Path]) -> LocalInference:
    return LocalInference(*tiny_models, threads=1)


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    db = SQLiteStore(tmp_path / "test.db")
    yield db
    db.close()


@pytest.fixture()
def verifier(store: SQLiteStore, tiny_inference: LocalInference) -> Verifier:
    return Verifier(store, tiny_inference, top_k=5, candidates=20)


@pytest.fixture()
def tiny_env(
    tiny_models: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point the CLI's settings at the tiny models and a fresh database."""
    db = tmp_path / "cli.db"
    monkeypatch.setenv("TRUTHGRAPH_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("TRUTHGRAPH_EMBED_MODEL", str(tiny_models[0]))
    monkeypatch.setenv("TRUTHGRAPH_NLI_MODEL", str(tiny_models[1]))
    monkeypatch.setenv("TRUTHGRAPH_MODEL_CACHE", str(tmp_path / "cache"))
    # The tiny NLI model reads cue words from any passage; one passage per claim keeps
    # the corpus's passages from contradicting each other.
    monkeypatch.setenv("TRUTHGRAPH_TOP_K", "1")
    return db


@pytest.fixture(autouse=True)
def _forget_registered_secrets() -> Iterator[None]:
    # Passwords registered for masking by one test must not mask another's output.
    yield
    from truthgraph import redact

    redact.forget_all()
