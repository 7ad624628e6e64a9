"""Security headers on every answer: success, errors, and the middleware's own."""

from __future__ import annotations

from fastapi.testclient import TestClient

EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def _check(headers: object) -> None:
    got = {k: headers[k] for k in EXPECTED}  # type: ignore[index]
    assert got == EXPECTED
    assert "default-src 'none'" in headers["content-security-policy"]  # type: ignore[index]


def test_headers_on_success_error_and_middleware_answers(client: TestClient) -> None:
    answers = [
        client.get("/health"),
        client.get("/v1/documents"),
        client.get("/v1/documents/missing"),  # 404 from a route
        client.get("/nowhere"),  # 404 from the router
        client.post(
            "/v1/verify", content=b"x" * 5_000_000, headers={"content-type": "application/json"}
        ),  # 413, middleware
        client.post("/v1/verify", content=b"{", headers={"content-type": "application/json"}),
        client.get("/openapi.json"),
    ]
    assert [a.status_code for a in answers] == [200, 200, 404, 404, 413, 422, 200]
    for answer in answers:
        _check(answer.headers)


def test_docs_page_may_load_its_scripts(client: TestClient) -> None:
    answer = client.get("/docs")
    assert answer.status_code == 200
    assert "cdn.jsdelivr.net" in answer.headers["content-security-policy"]
