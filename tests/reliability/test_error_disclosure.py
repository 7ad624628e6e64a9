"""Item 9: with the database gone, /ready and every 503 say so without naming it
(no socket path, host or database name in a public body; the log has the details)."""

from __future__ import annotations

import time

import pytest
from psycopg.conninfo import conninfo_to_dict

from tests.api.conftest import AppFactory
from tests.postgres_server import PostgresTestServer


@pytest.mark.postgres
@pytest.mark.slow
def test_database_down_answers_do_not_disclose_it(
    make_client: AppFactory, database_url: str, postgres_server: PostgresTestServer
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("needs a server database to take away")
    client = make_client()
    assert client.get("/ready").status_code == 200
    postgres_server.drop_database(database_url)  # terminates the pool's connections
    info = conninfo_to_dict(database_url)
    secrets = [str(info["dbname"]), str(info.get("host", "")), ".s.PGSQL", "/tg-pg-"]
    # /ready answers from the background check, which notices within its timeouts;
    # /v1/documents waits out the pool's connect timeout.
    deadline = time.monotonic() + 30
    while (ready := client.get("/ready")).status_code == 200:
        assert time.monotonic() < deadline, "/ready never reported the database down"
        time.sleep(0.5)
    answers = [ready, client.get("/v1/documents")]
    assert [a.status_code for a in answers] == [503, 503]
    for answer in answers:
        for secret in secrets:
            assert secret and secret not in answer.text, (secret, answer.text)
    assert answers[0].json()["checks"]["database"] == "unavailable"
    assert answers[1].json()["code"] == "store_unavailable"
