"""Items 4 and 6 through the API, on both stores: deep nesting, broken JSON, wrong
types, NaN, invalid UTF-8, injection strings and hostile upload names are 4xx
problems with a stable code; nothing is written and the server goes on serving."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.reliability.hostile import nothing_written, refused

DEEP = "[" * 10_000 + "]" * 10_000
JSONL = "application/x-ndjson"


def _post(client: TestClient, path: str, body: bytes, content_type: str = "application/json"):  # type: ignore[no-untyped-def]
    return client.post(path, content=body, headers={"content-type": content_type})


def test_deep_nesting_is_refused_on_every_json_door(client: TestClient) -> None:
    deep_doc = '{"documents": [{"text": "ok", "title": "x", "url": ' + DEEP + "}]}"
    answers = [
        _post(client, "/v1/verify", DEEP.encode()),
        _post(client, "/v1/verify", ('{"claim": ' + DEEP + "}").encode()),
        _post(client, "/v1/search", DEEP.encode()),
        _post(client, "/v1/jobs", ('{"claims": ' + DEEP + "}").encode()),
        _post(client, "/v1/documents", deep_doc.encode()),
        _post(client, "/v1/documents", b'{"text": "A good line here."}\n' + DEEP.encode(), JSONL),
    ]
    for name in ("d.json", "d.jsonl"):
        answers.append(client.post("/v1/documents", files=[("files", (name, DEEP.encode()))]))
    for answer in answers:
        refused(answer, "invalid_json", "invalid_documents")
        assert "nested deeper" in answer.text
    nothing_written(client)


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"[]",
        b"null",
        b'"claim"',
        b'{"claim": 42}',
        b'{"claim": ["a"]}',
        b'{"claim": "ok", "top_k": NaN}',
        b'{"claim": "ok", "top_k": Infinity}',
        b'{"claim": "ok", "top_k": 1e400}',
        b'{"claim": "ok", "top_k": ' + b"9" * 5000 + b"}",
        b'{"claim": "caf\xe9 au lait"}',  # Latin-1, not UTF-8
        b'{"claim": "\xff\xfe"}',
        b"\xef\xbb\xbf\xef\xbb\xbf{}",
        b'{"claim": "ok", "extra": 1}',
    ],
)
def test_malformed_json_bodies_are_4xx(client: TestClient, body: bytes) -> None:
    refused(_post(client, "/v1/verify", body))
    refused(_post(client, "/v1/jobs", body))
    refused(_post(client, "/v1/documents", body))
    nothing_written(client)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "", "multipart/form-data; boundary=x"]
)
def test_wrong_content_types_are_4xx(client: TestClient, content_type: str) -> None:
    body = json.dumps({"claim": "The tower is in Paris."}).encode()
    refused(_post(client, "/v1/verify", body, content_type))
    refused(_post(client, "/v1/documents", body, content_type))
    nothing_written(client)


INJECTIONS = [
    "'; DROP TABLE documents; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "tower* OR paris:* & !x | (y)",
    'NEAR(a b) AND "c" NOT d^2',
]


def test_injection_strings_are_plain_text(client: TestClient) -> None:
    docs = [
        {"id": f"inj-{i}", "title": s, "text": f"{s} is a string here."}
        for i, s in enumerate(INJECTIONS)
    ]
    assert client.post("/v1/documents", json={"documents": docs}).status_code == 200
    for text in INJECTIONS:
        for mode in ("hybrid", "lexical", "vector"):
            answer = client.post("/v1/search", json={"query": text, "mode": mode})
            assert answer.status_code == 200, answer.text
        assert client.post("/v1/verify", json={"claim": text}).status_code == 200
        assert client.get(f"/v1/documents/{text}").status_code in (404, 200)
    assert client.get("/v1/documents").json()["count"] == len(INJECTIONS)


def _multipart(filename: bytes, content: bytes) -> tuple[bytes, str]:
    boundary = "tgboundary1234"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="'.encode()
        + filename
        + b'"\r\nContent-Type: text/plain\r\n\r\n'
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    ("filename", "reason"),
    [
        (b"a\x00b.txt", "NUL"),
        (b"x" * 300 + b".txt", "longer than 256"),
        (b"tab\there.txt", "control characters"),
        (b"..", "empty"),
    ],
)
def test_hostile_upload_names_are_refused(client: TestClient, filename: bytes, reason: str) -> None:
    body, content_type = _multipart(filename, b"The tower is in Paris.")
    answer = _post(client, "/v1/documents", body, content_type)
    refused(answer, "invalid_documents")
    assert reason in answer.text
    nothing_written(client)


def test_traversal_names_keep_only_the_last_component(client: TestClient) -> None:
    for raw in (b"../../../../tmp/evil.txt", b"..\\..\\windows\\evil.txt"):
        body, content_type = _multipart(raw, b"The tower is in Paris, said the note.")
        answer = _post(client, "/v1/documents", body, content_type)
        assert answer.status_code == 200, answer.text
    assert [d["id"] for d in client.get("/v1/documents").json()["data"]] == ["evil.txt"]


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=201", "limit=abc", "offset=-1", "limit=1e999", "offset=" + "9" * 40]
)
def test_hostile_paging_is_a_4xx_on_every_list(client: TestClient, query: str) -> None:
    for path in ("/v1/documents", "/v1/verifications", "/v1/jobs", "/v1/jobs/x/results"):
        refused(client.get(f"{path}?{query}"), "validation_error", "job_not_found")
    nothing_written(client)
