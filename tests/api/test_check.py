"""/v1/check over the real app: claims found, verified, or queued as a job; refusals
write nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import CORPUS, AppFactory
from tests.api.test_documents import problem
from tests.api.test_jobs import wait_for

TEXT = (
    "# The tower\n\n"
    "Is the tower worth a visit? The tower is in Paris, as confirmed in 1889. "
    "I think it is the most beautiful tower ever. The blue whale is never a small animal.\n"
)


def _nothing_written(client: TestClient) -> None:
    assert client.get("/v1/jobs").json()["data"] == []
    assert client.get("/v1/verifications").json()["count"] == 0


def test_check_returns_each_claim_with_its_span_and_verdict(client: TestClient) -> None:
    client.post("/v1/documents", json=CORPUS)
    response = client.post("/v1/check", json={"text": TEXT})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "done" and body["job"] is None
    spans = [TEXT[c["start"] : c["end"]] for c in body["claims"]]
    assert spans == [
        "The tower is in Paris, as confirmed in 1889.",
        "The blue whale is never a small animal.",
    ]
    assert [c["result"]["claim"] for c in body["claims"]] == spans
    assert all(c["result"]["evidence"] for c in body["claims"])
    assert (
        body["summary"]["SUPPORTED"]
        + body["summary"]["REFUTED"]
        + body["summary"]["NOT_ENOUGH_INFO"]
        == 2
    )
    reasons = {TEXT[s["start"] : s["end"]]: s["reason"] for s in body["skipped"]}
    assert reasons == {
        "The tower": "heading",
        "Is the tower worth a visit?": "question",
        "I think it is the most beautiful tower ever.": "opinion",
    }


def test_more_claims_than_the_synchronous_limit_become_a_job(make_client: AppFactory) -> None:
    client = make_client(check_sync_claims=1)
    client.post("/v1/documents", json=CORPUS)
    response = client.post("/v1/check", json={"text": TEXT, "top_k": 1})
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["status"] == "queued" and len(body["claims"]) == 2
    assert all(c["result"] is None for c in body["claims"])
    assert response.headers["location"] == f"/v1/jobs/{body['job']['id']}"
    wait_for(client, body["job"]["id"], "succeeded")
    results = client.get(f"/v1/jobs/{body['job']['id']}/results").json()["data"]
    assert [r["claim"] for r in results] == [c["text"] for c in body["claims"]]


def test_unusable_texts_are_refused_and_nothing_is_written(make_client: AppFactory) -> None:
    client = make_client(check_max_chars=200)
    cases = {
        "   \n\t ": (422, "empty_text"),
        "": (422, "validation_error"),
        "The tower is in Paris.\x00": (422, "invalid_text"),
        "The tower is in Paris, as confirmed in 1889. " * 10: (413, "text_too_large"),
        "Is it? What a view! Book now.": (422, "no_claims"),
    }
    for text, (status, code) in cases.items():
        response = client.post("/v1/check", json={"text": text})
        assert response.status_code == status, (text, response.text)
        assert problem(response)["code"] == code, (text, response.text)
        assert "Traceback" not in response.text
    assert client.post("/v1/check", json={"text": 5}).status_code == 422
    _nothing_written(client)
