"""The shared problem answers on a bare app, as each service installs them."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from truthgraph.web.problems import PROBLEM_JSON, Problem, answer_with, install_problem_handlers


class Secret(RuntimeError):
    pass


class Body(BaseModel):
    count: int


def _client() -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)
    answer_with(app, KeyError, 422, "unknown_key")
    answer_with(app, Secret, 503, "backend_unavailable", "The backend is unavailable.")

    @app.post("/things")
    def things(body: Body) -> dict[str, int]:
        if body.count == 1:
            raise Problem(409, "taken", "Already there.", errors=[])
        if body.count == 2:
            raise KeyError("no such key")
        if body.count == 3:
            raise Secret("postgresql://admin@db.internal/prod is down")
        raise ZeroDivisionError("internal detail")

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(
    "count, status, code",
    [(1, 409, "taken"), (2, 422, "unknown_key"), (3, 503, "backend_unavailable")],
)
def test_errors_become_problems_with_stable_codes(count: int, status: int, code: str) -> None:
    response = _client().post("/things", json={"count": count})
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["code"] == code and body["type"] == f"urn:truthgraph:problem:{code}"
    assert body["status"] == status and body["instance"] == "/things"


def test_a_fixed_detail_keeps_the_message_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="truthgraph.web.problems"):
        response = _client().post("/things", json={"count": 3})
    assert response.json()["detail"] == "The backend is unavailable."
    assert "db.internal" not in response.text and "db.internal" in caplog.text


def test_schema_errors_and_the_unexpected() -> None:
    client = _client()
    invalid = client.post("/things", json={"count": "many"}).json()
    assert invalid["code"] == "validation_error"
    assert invalid["errors"][0]["location"] == "body.count"
    unexpected = client.post("/things", json={"count": 4})
    assert unexpected.status_code == 500 and unexpected.json()["code"] == "internal_error"
    assert "internal detail" not in unexpected.text
    wrong_method = client.get("/things")
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "POST"
