"""Signing in with an API key, scopes, revocation, and the page shown when the models'
service is down."""

from __future__ import annotations

import socket

from fastapi.testclient import TestClient

from tests.ui.conftest import Page, UiFactory, form_token, state_of
from truthgraph.api.security import generate_key, hash_key
from truthgraph.inference.remote import RemoteInference
from truthgraph.ui.session import Signer


def keyed(make_ui: UiFactory) -> tuple[TestClient, str, str, str]:
    client = make_ui(api_keys_required=True)
    records = state_of(client).store.records
    reader, writer = generate_key(), generate_key()
    records.add_api_key(name="reader", key_hash=hash_key(reader), scopes=["read"])
    record = records.add_api_key(name="writer", key_hash=hash_key(writer), scopes=["read", "write"])
    return client, reader, writer, record.id


def sign_in(client: TestClient, key: str, next_path: str = "/ui/") -> Page:
    token = form_token(client, "/ui/login")
    return client.post("/ui/login", data={"csrf_token": token, "api_key": key, "next": next_path})


def test_pages_need_a_session_when_keys_are_required(make_ui: UiFactory) -> None:
    client, _, writer, _ = keyed(make_ui)
    redirect = client.get("/ui/history?q=x")
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/ui/login?next=/ui/history%3Fq%3Dx"
    assert client.get("/ui/static/ui.js").status_code == 200  # assets are public
    wrong = sign_in(client, "tg_not-a-key")
    assert wrong.status_code == 401 and "not valid" in wrong.text
    response = sign_in(client, writer, "/ui/history?q=x")
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/history?q=x"
    cookie = response.headers["set-cookie"]
    assert "tg_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Path=/ui" in cookie and writer not in cookie and hash_key(writer) not in cookie
    page = client.get("/ui/history")
    assert page.status_code == 200 and "Key: writer" in page.text
    # The key never appears in a page or an address.
    assert writer not in page.text and all(writer not in str(r.url) for r in page.history)


def test_scopes_and_revocation_apply_to_sessions(make_ui: UiFactory) -> None:
    client, reader, writer, writer_id = keyed(make_ui)
    sign_in(client, reader)
    assert client.get("/ui/corpus").status_code == 200
    response = client.post("/ui/verify", data={"csrf_token": form_token(client), "claim": "x"})
    assert response.status_code == 403 and "lacks the &#39;write&#39; scope" in response.text
    assert state_of(client).store.records.count_verifications() == 0
    sign_in(client, writer)
    assert client.get("/ui/corpus").status_code == 200
    state_of(client).store.records.revoke_api_key(writer_id)
    assert client.get("/ui/corpus").status_code == 303  # ended at once
    signed_out = client.post("/ui/logout", data={"csrf_token": form_token(client, "/ui/login")})
    assert signed_out.status_code == 303 and 'tg_session=""' in signed_out.headers["set-cookie"]


def test_forged_or_expired_sessions_are_refused() -> None:
    signer = Signer("s" * 32, minutes=10)
    value = signer.session_value("abc", now=1000.0)
    assert signer.session_key_id(value, now=1000.0) == "abc"
    assert signer.session_key_id(value, now=1000.0 + 601) is None
    assert signer.session_key_id(value.replace("abc", "abd"), now=1000.0) is None
    assert Signer("t" * 32, minutes=10).session_key_id(value, now=1000.0) is None
    for junk in ("", "a.b", "a.b.c.d", "abc.notanumber." + "0" * 64):
        assert signer.session_key_id(junk, now=1000.0) is None


def test_login_redirects_stay_on_this_site(make_ui: UiFactory) -> None:
    client, _, writer, _ = keyed(make_ui)
    for target in ("https://evil.example/", "//evil.example/ui", "/v1/documents", "/ui\\..\\x"):
        response = sign_in(client, writer, target)
        assert response.headers["location"] == "/ui/", target


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_remote_inference_down_shows_a_clear_page(make_ui: UiFactory) -> None:
    down = RemoteInference(f"http://127.0.0.1:{_closed_port()}", timeout=2, retries=0)
    client = make_ui(inference=down)
    token = form_token(client)
    response = client.post("/ui/verify", data={"csrf_token": token, "claim": "The sky is blue."})
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["retry-after"] == "30"
    assert "inference service (ml-inference) is unavailable" in response.text
    assert "Traceback" not in response.text and "127.0.0.1" not in response.text
    assert state_of(client).store.records.count_verifications() == 0
    search = client.get("/ui/search?q=sky")
    assert search.status_code == 503 and "ml-inference" in search.text
    # The JSON API answers its own problem document for the same failure.
    api = client.post("/v1/verify", json={"claim": "The sky is blue."})
    assert api.status_code == 503 and api.json()["code"] == "inference_unavailable"
