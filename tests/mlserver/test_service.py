"""The ml-inference service over real HTTP, and the core's remote client against it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from tests.http_server import ServerThread, free_port
from truthgraph.api.app import create_app
from truthgraph.config import Settings
from truthgraph.inference.onnx import LocalInference
from truthgraph.inference.protocol import InferenceError
from truthgraph.inference.remote import RemoteInference
from truthgraph.mlserver.app import create_ml_app
from truthgraph.store.sqlite import SQLiteStore


@pytest.fixture()
def ml_settings(tiny_models: tuple[Path, Path]) -> Settings:
    return Settings(
        embed_model=str(tiny_models[0]),
        nli_model=str(tiny_models[1]),
        ml_max_items=8,
        ml_max_chars=200,
    )


def test_embed_and_nli_match_the_local_client(
    ml_settings: Settings, tiny_inference: LocalInference
) -> None:
    with TestClient(create_ml_app(ml_settings)) as client:
        assert client.get("/ready").status_code == 200
        texts = ["the tower", "a blue whale"]
        embedded = client.post("/v1/embed", json={"texts": texts}).json()
        assert np.allclose(embedded["embeddings"], tiny_inference.embed(texts), atol=1e-6)
        pairs = [{"premise": "The tower.", "hypothesis": "That is false."}]
        scored = client.post("/v1/nli", json={"pairs": pairs}).json()
        assert scored["labels"] == ["entailment", "neutral", "contradiction"]
        assert np.argmax(scored["probabilities"][0]) == 2
        assert client.get("/v1/models").json()["nli"]["labels"] == [
            "contradiction",
            "entailment",
            "neutral",
        ]
        metrics = client.get("/metrics").text
        assert 'truthgraph_ml_items_total{task="embed"} 2.0' in metrics
        assert 'truthgraph_ml_requests_total{route="/v1/embed",status="200"} 1.0' in metrics
        assert 'truthgraph_ml_queue_depth{task="nli"} 0.0' in metrics
        assert 'truthgraph_ml_batches_total{task="embed"} 1.0' in metrics


def test_limits_answer_4xx_problems(ml_settings: Settings) -> None:
    with TestClient(create_ml_app(ml_settings)) as client:
        response = client.post("/v1/embed", json={"texts": ["x"] * 9})
        assert response.status_code == 413 and response.json()["code"] == "too_many_items"
        response = client.post("/v1/embed", json={"texts": ["x" * 201]})
        assert response.status_code == 422 and response.json()["code"] == "text_too_long"
        assert client.post("/v1/embed", json={"texts": []}).status_code == 422
        assert client.post("/v1/nli", json={"pairs": [{"premise": "x"}]}).status_code == 422


def test_remote_client_over_http_and_a_clear_error_when_down(
    ml_settings: Settings, tiny_inference: LocalInference
) -> None:
    server = ServerThread(create_ml_app(ml_settings)).start()
    remote = RemoteInference(server.url, timeout=5, retries=1, backoff=0.05, batch_size=3)
    try:
        assert remote.embedding_model.name == "test/tiny-embedder"
        # More texts than one request may carry (ml_max_items=8): sent in chunks, in order.
        many = [f"the tower {i}" for i in range(20)]
        assert np.allclose(remote.embed(many), tiny_inference.embed(many), atol=1e-6)
        assert np.allclose(
            remote.embed(["the tower"]), tiny_inference.embed(["the tower"]), atol=1e-6
        )
        [scores] = remote.nli([("The tower.", "Yes indeed.")])
        assert scores.entailment > 0.9
    finally:
        server.stop()
    with pytest.raises(InferenceError, match="unavailable"):
        remote.embed(["the tower"])
    remote.close()


def test_core_api_answers_503_while_ml_is_down_and_recovers(
    ml_settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    ml = ServerThread(create_ml_app(ml_settings), port=port).start()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'core.db'}",
        inference="remote",
        inference_url=f"http://127.0.0.1:{port}",
        inference_retries=1,
        top_k=1,
    )
    store = SQLiteStore(tmp_path / "core.db")
    remote = RemoteInference(settings.inference_url, timeout=5, retries=1, backoff=0.05)
    with TestClient(create_app(settings, store=store, inference=remote)) as core:
        docs = {"documents": [{"id": "t", "text": "The tower is in Paris, confirmed."}]}
        assert core.post("/v1/documents", json=docs).status_code == 200
        assert core.post("/v1/verify", json={"claim": "the tower"}).json()["verdict"] == "SUPPORTED"
        ml.stop()
        down = core.post("/v1/verify", json={"claim": "the tower"})
        assert down.status_code == 503
        assert down.headers["content-type"] == "application/problem+json"
        assert json.loads(down.text)["code"] == "inference_unavailable"
        assert core.get("/ready").status_code == 503
        # Known down: later calls fail at once, without waiting out retries.
        started = time.monotonic()
        assert core.post("/v1/verify", json={"claim": "the tower"}).status_code == 503
        assert time.monotonic() - started < 0.5
        ml = ServerThread(create_ml_app(ml_settings), port=port).start()
        # Recovered by the background probe, with no request needed.
        deadline = time.monotonic() + 10
        while core.get("/ready").status_code != 200:
            assert time.monotonic() < deadline, "no recovery"
            time.sleep(0.2)
        assert core.post("/v1/verify", json={"claim": "the tower"}).status_code == 200
        ml.stop()
    store.close()


def test_ml_serve_refuses_missing_models_with_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from truthgraph.cli import main

    result = CliRunner().invoke(
        main, ["ml-serve"], env={"TRUTHGRAPH_NLI_MODEL": str(tmp_path / "absent")}
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: model '") and "Traceback" not in result.output
