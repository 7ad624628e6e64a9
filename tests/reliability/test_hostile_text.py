"""Items 3, 7 and 8: text no store can hold (NUL, unpaired surrogates) and blank ids
are refused the same way at every door, on both stores; unusual but valid text
(CJK, right-to-left, emoji, bidi and zero-width characters) is accepted as is."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.reliability.hostile import nothing_written, refused

# JSON-escaped, as a client would send them: "\u0000" and a lone "\ud800".
BAD = {"nul": "a \\u0000 b sentence here.", "surrogate": "a \\ud800 b sentence here."}
JSON = {"content-type": "application/json"}


def _post(client: TestClient, path: str, raw: str, content_type: str = "application/json"):  # type: ignore[no-untyped-def]
    return client.post(path, content=raw.encode(), headers={"content-type": content_type})


@pytest.mark.parametrize("kind", sorted(BAD))
def test_unstorable_text_is_refused_everywhere(client: TestClient, kind: str) -> None:
    text = BAD[kind]
    answers = {
        "verify": _post(client, "/v1/verify", f'{{"claim": "{text}"}}'),
        "search": _post(client, "/v1/search", f'{{"query": "{text}"}}'),
        "jobs": _post(client, "/v1/jobs", f'{{"claims": ["fine claim", "{text}"]}}'),
        "documents": _post(client, "/v1/documents", f'{{"documents": [{{"text": "{text}"}}]}}'),
        "document id": _post(
            client, "/v1/documents", f'{{"documents": [{{"id": "x{text}", "text": "Ok."}}]}}'
        ),
        "title": _post(
            client,
            "/v1/documents",
            f'{{"documents": [{{"title": "{text}", "text": "A fine text."}}]}}',
        ),
        "jsonl": _post(client, "/v1/documents", f'{{"text": "{text}"}}\n', "application/x-ndjson"),
        "multipart": client.post(
            "/v1/documents",
            files=[("files", ("d.jsonl", f'{{"text": "{text}"}}\n'.encode(), "application/jsonl"))],
        ),
    }
    for name, answer in answers.items():
        code = refused(answer, "invalid_text", "invalid_documents", "validation_error")
        assert code != "validation_error" or name == "never", (name, answer.json())
        assert "U+" in answer.text, name  # the reason names the character
    nothing_written(client)


def test_nul_in_path_ids_is_a_4xx(client: TestClient) -> None:
    for path in (
        "/v1/documents/a%00b",
        "/v1/jobs/a%00b",
        "/v1/verifications/a%00b",
        "/v1/jobs/a%00b/results",
    ):
        refused(client.get(path), "invalid_text")
    refused(client.delete("/v1/documents/a%00b"), "invalid_text")
    refused(client.post("/v1/jobs/a%00b/cancel"), "invalid_text")
    nothing_written(client)


@pytest.mark.parametrize("blank", [" ", "   ", "\t", "\u3000", "\n "])
def test_blank_document_ids_are_refused(client: TestClient, blank: str) -> None:
    body = {"documents": [{"id": blank, "text": "The tower is in Paris."}]}
    refused(client.post("/v1/documents", json=body), "invalid_text", "validation_error")
    jsonl = json.dumps(body["documents"][0]) + "\n"
    refused(_post(client, "/v1/documents", jsonl, "application/x-ndjson"), "invalid_documents")
    nothing_written(client)


UNUSUAL = {
    "cjk": "東京タワーは東京都港区にある電波塔である。",
    "rtl": "برج إيفل هو برج حديدي في باريس.",
    "emoji": "The tower 🗼 stands in Paris 🇫🇷 and is tall.",
    "bidi": "The tower \u202eis\u202c in Paris, says \u2067אבג\u2069 too.",
    "zero-width": "The\u200b tower\u200d is in Pa\ufeffris today.",
}


def test_unusual_valid_text_is_stored_and_verified(client: TestClient) -> None:
    documents = [{"id": f"u-{name}", "text": text} for name, text in UNUSUAL.items()]
    answer = client.post("/v1/documents", json={"documents": documents})
    assert answer.status_code == 200, answer.text
    for name, text in UNUSUAL.items():
        detail = client.get(f"/v1/documents/u-{name}").json()
        assert detail["text"] == text
        for passage in detail["passage_list"]:
            assert text[passage["start"] : passage["end"]] == passage["text"]
        verified = client.post("/v1/verify", json={"claim": text})
        assert verified.status_code == 200, verified.text
        assert verified.json()["claim"].split() == text.split()
    found = client.post("/v1/search", json={"query": UNUSUAL["cjk"]}).json()
    assert found["count"] >= 1
