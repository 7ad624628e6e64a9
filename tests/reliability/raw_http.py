"""A bare HTTP/1.1 client on a socket, for sending what well-behaved clients never
send: endless chunked bodies, bodies larger than declared, raw bytes."""

from __future__ import annotations

import json
import select
import socket
from dataclasses import dataclass
from typing import Any


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: int  # body bytes the server let us send before it answered

    def json(self) -> Any:
        return json.loads(self.body)


def _read_response(sock: socket.socket, sent: int) -> RawResponse:
    data = b""
    sock.settimeout(10)
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return RawResponse(int(lines[0].split()[1]), headers, body[:length], sent)


def stream_chunked(
    port: int,
    path: str,
    *,
    total: int,
    chunk: bytes = b"[" * 65536,
    headers: dict[str, str] | None = None,
    prefix: bytes = b"",
) -> RawResponse:
    """POST `prefix` then `chunk` repeated up to `total` bytes as a chunked body,
    stopping as soon as the server answers."""
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        f"Content-Type: application/json\r\n{extra}\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(head.encode())
        sent = 0
        pieces = [prefix] if prefix else []
        while sent < total:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                return _read_response(sock, sent)
            piece = pieces.pop() if pieces else chunk
            try:
                sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            except OSError:  # the server closed the connection after answering
                return _read_response(sock, sent)
            sent += len(piece)
        sock.sendall(b"0\r\n\r\n")
        return _read_response(sock, sent)


def send_raw(port: int, request: bytes) -> RawResponse:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        return _read_response(sock, len(request))
