from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import CORPUS
from tests.api.test_documents import problem
from truthgraph.pipeline import MAX_CLAIM_CHARS


def test_verify_returns_cited_evidence_and_is_kept_in_history(client: TestClient) -> None:
    client.post("/v1/documents", json=CORPUS)
    response = client.post("/v1/verify", json={"claim": "the tower is in paris"})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["verdict"] == "SUPPORTED"
    top = result["evidence"][0]
    assert (top["doc_id"], top["start"], top["end"], top["stance"]) == (
        "tower",
        0,
        44,
        "entailment",
    )
    assert set(result["models"]) == {"embedding", "nli"}
    history = client.get("/v1/verifications").json()
    assert history["count"] == 1 and history["data"][0]["id"] == result["id"]
    assert client.get(f"/v1/verifications/{result['id']}").json()["claim"] == result["claim"]
    assert problem(client.get("/v1/verifications/nope"))["code"] == "verification_not_found"


def test_bad_claims_are_422_and_leave_no_history(client: TestClient) -> None:
    for body in (
        {"claim": ""},
        {"claim": "x" * (MAX_CLAIM_CHARS + 1)},
        {"claim": 5},
        {"claim": "ok", "top_k": 0},
        {},
    ):
        response = client.post("/v1/verify", json=body)
        assert response.status_code == 422, body
        assert problem(response)["code"] == "validation_error"
    response = client.post("/v1/verify", json={"claim": "   "})
    assert response.status_code == 422 and problem(response)["code"] == "invalid_claim"
    response = client.post(
        "/v1/verify", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert client.get("/v1/verifications").json()["count"] == 0


def test_search_modes(client: TestClient) -> None:
    client.post("/v1/documents", json=CORPUS)
    response = client.post("/v1/search", json={"query": "whale", "mode": "lexical"})
    assert response.status_code == 200
    assert [h["doc_id"] for h in response.json()["data"]] == ["whale"]
    assert client.post("/v1/search", json={"query": "x", "mode": "magic"}).status_code == 422


def test_health_ready_metrics_and_openapi(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.json()["checks"] == {
        "database": "ok",
        "inference": "ok",
    }
    client.post("/v1/verify", json={"claim": "the tower"})
    text = client.get("/metrics").text
    assert 'truthgraph_verifications_total{verdict="NOT_ENOUGH_INFO"} 1.0' in text
    assert (
        'truthgraph_http_requests_total{method="POST",route="/v1/verify",status="200"} 1.0' in text
    )
    assert "# TYPE truthgraph_http_request_duration_seconds histogram" in text
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/documents", "/v1/verify", "/v1/jobs", "/v1/jobs/{job_id}/results"} <= set(paths)


def test_unknown_route_is_a_problem(client: TestClient) -> None:
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404 and problem(response)["code"] == "not_found"
