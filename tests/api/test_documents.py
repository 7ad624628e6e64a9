from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

from fastapi.testclient import TestClient

from tests.api.conftest import CORPUS, AppFactory


class Response(Protocol):
    """What `problem` reads of a test client's response (whichever httpx it uses)."""

    @property
    def headers(self) -> Mapping[str, str]: ...

    def json(self) -> Any: ...


def problem(response: Response) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "instance", "code"} <= set(body)
    return body


def test_json_upload_list_get_delete(client: TestClient) -> None:
    response = client.post("/v1/documents", json=CORPUS)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "documents_added": 2,
        "documents_replaced": 0,
        "documents_unchanged": 0,
        "passages_added": 2,
        "duplicate_passages": 0,
    }
    listing = client.get("/v1/documents", params={"limit": 1}).json()
    assert listing["count"] == 2 and len(listing["data"]) == 1
    detail = client.get("/v1/documents/tower").json()
    assert detail["url"] == "https://example.org/tower"
    [passage] = detail["passage_list"]
    assert detail["text"][passage["start"] : passage["end"]] == passage["text"]
    assert client.delete("/v1/documents/tower").status_code == 204
    assert problem(client.get("/v1/documents/tower"))["code"] == "document_not_found"
    assert client.delete("/v1/documents/tower").status_code == 404


def test_jsonl_and_multipart_uploads(client: TestClient) -> None:
    body = "\n".join(json.dumps(d) for d in CORPUS["documents"]) + "\n"
    response = client.post(
        "/v1/documents", content=body, headers={"content-type": "application/x-ndjson"}
    )
    assert response.status_code == 200 and response.json()["documents_added"] == 2
    files = [
        ("files", ("notes/river.md", b"# River\n\nThe river runs long and blue.", "text/markdown")),
        ("files", ("cities.csv", b"id,text\nc1,The city is old and tall.\n", "text/csv")),
    ]
    response = client.post("/v1/documents", files=files)
    assert response.status_code == 200, response.text
    assert response.json()["documents_added"] == 2
    assert client.get("/v1/documents/river.md").json()["title"] == "River"


def test_one_bad_document_stores_nothing(client: TestClient) -> None:
    body = (
        json.dumps(CORPUS["documents"][0])
        + "\n{broken\n"
        + json.dumps({"id": "x", "text": "   "})
        + "\n"
    )
    response = client.post(
        "/v1/documents", content=body, headers={"content-type": "application/x-ndjson"}
    )
    assert response.status_code == 422
    body_json = problem(response)
    assert body_json["code"] == "invalid_documents"
    assert [e["location"] for e in body_json["errors"]] == ["body:2", "body:3"]
    assert client.get("/v1/documents").json()["count"] == 0


def test_schema_violations_are_422_problems(client: TestClient) -> None:
    payloads: list[dict[str, Any]] = [
        {"documents": []},
        {"documents": [{"text": ""}]},
        {"documents": [{"text": "ok", "extra": 1}]},
        {"nope": 1},
    ]
    for payload in payloads:
        response = client.post("/v1/documents", json=payload)
        assert response.status_code == 422, payload
        assert problem(response)["code"] == "validation_error"
    assert client.get("/v1/documents").json()["count"] == 0


def test_unsupported_type_and_oversized_bodies(make_client: AppFactory) -> None:
    client = make_client(max_upload_bytes=1000)
    response = client.post(
        "/v1/documents", content=b"hello", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415 and problem(response)["code"] == "unsupported_media_type"
    big = {"documents": [{"text": "word " * 400}]}
    response = client.post("/v1/documents", json=big)
    assert response.status_code == 413 and problem(response)["code"] == "payload_too_large"
    assert client.get("/v1/documents").json()["count"] == 0


def test_bad_paging_is_rejected(client: TestClient) -> None:
    assert client.get("/v1/documents", params={"limit": 0}).status_code == 422
    assert client.get("/v1/documents", params={"limit": 100000}).status_code == 422
    assert client.get("/v1/documents", params={"offset": -1}).status_code == 422
