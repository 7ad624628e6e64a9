"""Per-caller rate limits: by API key when keys are required, otherwise by client
address, which X-Forwarded-For changes only when the peer is a trusted proxy."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import AppFactory, app_state
from tests.http_server import ServerThread
from truthgraph.api.client_address import client_address, parse_networks
from truthgraph.api.rate_limit import RateLimiter
from truthgraph.api.security import generate_key, hash_key


def test_bucket_refills_over_time() -> None:
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])
    assert all(limiter.take("a") == 0.0 for _ in range(60))
    assert limiter.take("a") > 0.0
    assert limiter.take("b") == 0.0  # another caller has its own bucket
    now[0] += 1.0  # 60 a minute: one token a second
    assert limiter.take("a") == 0.0


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() -> None:
    trusted = parse_networks("10.0.0.0/8, 127.0.0.1")
    assert client_address("203.0.113.9", "198.51.100.1", ()) == "203.0.113.9"
    assert client_address("203.0.113.9", "198.51.100.1", trusted) == "203.0.113.9"
    assert client_address("127.0.0.1", "198.51.100.1, 10.1.2.3", trusted) == "198.51.100.1"
    assert client_address("127.0.0.1", "garbage", trusted) == "garbage"


def _search(client: TestClient, **headers: str) -> int:
    return client.post("/v1/search", json={"query": "tower"}, headers=headers).status_code


def test_requests_over_the_limit_get_429_with_retry_after(make_client: AppFactory) -> None:
    client = make_client(rate_limit_per_minute=5)
    assert [_search(client) for _ in range(5)] == [200] * 5
    response = client.post("/v1/search", json={"query": "tower"})
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response.headers["retry-after"]) >= 1
    # Spoofed forwarding headers do not buy a fresh bucket.
    assert _search(client, **{"X-Forwarded-For": "198.51.100.7"}) == 429
    assert client.get("/health").status_code == 200  # operations routes are not limited


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [
        ("", [200, 200, 429, 429]),  # the header is ignored: one caller
        ("127.0.0.1", [200, 200, 200, 200]),  # behind a trusted proxy: two callers
    ],
)
def test_forwarded_for_counts_only_behind_a_trusted_proxy(
    make_client: AppFactory, trusted: str, expected: list[int]
) -> None:
    app = make_client(rate_limit_per_minute=2, trusted_proxies=trusted).app
    server = ServerThread(app).start()
    try:
        codes = [
            httpx.post(
                f"{server.url}/v1/search",
                json={"query": "tower"},
                headers={"X-Forwarded-For": f"198.51.100.{n % 2}"},
            ).status_code
            for n in range(4)
        ]
    finally:
        server.stop()
    assert codes == expected


def test_limits_are_per_key(make_client: AppFactory) -> None:
    client = make_client(api_keys_required=True, rate_limit_per_minute=3)
    records = app_state(client).store.records
    keys = [generate_key(), generate_key()]
    for number, key in enumerate(keys):
        records.add_api_key(name=f"k{number}", key_hash=hash_key(key), scopes=["read"])
    first = {"Authorization": f"Bearer {keys[0]}"}
    second = {"X-API-Key": keys[1]}
    assert [_search(client, **first) for _ in range(4)] == [200, 200, 200, 429]
    assert _search(client, **second) == 200
