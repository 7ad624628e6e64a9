"""Item 1: bodies are capped as they stream in, and a request without a key is
answered before its body is read, chunked or not."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import AppFactory
from tests.http_server import ServerThread
from tests.reliability.raw_http import send_raw, stream_chunked

MB = 1_000_000


def test_chunked_body_over_the_cap_is_cut_off_with_413(served: ServerThread) -> None:
    response = stream_chunked(served.port, "/v1/verify", total=64 * MB)
    assert response.status == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "payload_too_large"
    assert response.sent < 12 * MB  # the cap is 4 MB; the rest was never read


def test_chunked_upload_over_the_upload_cap_is_413(make_client: AppFactory) -> None:
    server = ServerThread(make_client(max_upload_bytes=2 * MB).app).start()
    try:
        response = stream_chunked(server.port, "/v1/documents", total=64 * MB)
    finally:
        server.stop()
    assert response.status == 413 and response.sent < 12 * MB


def test_request_without_key_is_refused_before_its_body_is_read(
    make_client: AppFactory,
) -> None:
    server = ServerThread(make_client(api_keys_required=True).app).start()
    try:
        for path in ("/v1/verify", "/v1/documents", "/v1/jobs", "/v1/search"):
            response = stream_chunked(server.port, path, total=64 * MB)
            assert response.status == 401, path
            assert response.json()["code"] == "unauthorized"
            assert response.sent < 4 * MB, path
        # A wrong key too: the key is checked before the body.
        response = stream_chunked(
            server.port, "/v1/verify", total=64 * MB, headers={"Authorization": "Bearer tg_wrong"}
        )
        assert response.status == 401 and response.sent < 4 * MB
    finally:
        server.stop()


def test_declared_length_over_the_cap_is_413_without_reading(served: ServerThread) -> None:
    head = (
        b"POST /v1/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 900000000\r\n\r\n"
    )
    response = send_raw(served.port, head)
    assert response.status == 413 and response.json()["code"] == "payload_too_large"


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_compressed_bodies_are_refused(served: ServerThread, encoding: str) -> None:
    import gzip

    bomb = gzip.compress(b"[" * 10 * MB)
    head = (
        f"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Encoding: {encoding}\r\nContent-Length: {len(bomb)}\r\n\r\n"
    ).encode()
    response = send_raw(served.port, head + bomb)
    assert response.status == 415
    assert response.json()["code"] == "unsupported_content_encoding"


def test_server_keeps_serving_after_hostile_bodies(served: ServerThread) -> None:
    for _ in range(3):
        stream_chunked(served.port, "/v1/verify", total=16 * MB)
    body = json.dumps({"claim": "The tower is in Paris."}).encode()
    request = (
        b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n"
    )
    assert send_raw(served.port, request + body).status == 200


def test_a_client_hanging_up_mid_body_is_no_server_error(served: ServerThread) -> None:
    import socket
    import time

    import httpx

    head = (
        b"POST /v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", served.port)) as sock:
        sock.sendall(head + b"10\r\n" + b"{" * 16 + b"\r\n")
    time.sleep(0.5)
    metrics = httpx.get(f"{served.url}/metrics").text
    assert 'status="500"' not in metrics
