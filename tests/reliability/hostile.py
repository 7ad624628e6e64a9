"""Shared checks for hostile-input tests: a refusal is a 4xx problem with a stable
code, nothing was written, and the server still answers."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import app_state


def refused(response: Any, *codes: str) -> str:
    """Assert `response` is a 4xx problem (with one of `codes`, if given)."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail", "instance", "code"} <= set(body)
    if codes:
        assert body["code"] in codes, body
    return str(body["code"])


def nothing_written(client: TestClient) -> None:
    state = app_state(client)
    assert state.store.counts() == {"documents": 0, "passages": 0, "embeddings": 0}
    assert state.store.records.count_verifications() == 0
    assert state.store.records.list_jobs(limit=5, offset=0) == []
    assert client.get("/health").status_code == 200
