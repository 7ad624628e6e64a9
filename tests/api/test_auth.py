from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import CORPUS, AppFactory, app_state
from tests.api.test_documents import problem
from truthgraph.api.security import generate_key, hash_key


def keyed_client(make_client: AppFactory) -> tuple[TestClient, str, str, str]:
    client = make_client(api_keys_required=True)
    records = app_state(client).store.records
    reader, writer, revoked = generate_key(), generate_key(), generate_key()
    records.add_api_key(name="reader", key_hash=hash_key(reader), scopes=["read"])
    records.add_api_key(name="writer", key_hash=hash_key(writer), scopes=["read", "write"])
    old = records.add_api_key(name="old", key_hash=hash_key(revoked), scopes=["read"])
    records.revoke_api_key(old.id)
    return client, reader, writer, revoked


def test_keys_and_scopes(make_client: AppFactory) -> None:
    client, reader, writer, revoked = keyed_client(make_client)
    response = client.get("/v1/documents")
    assert response.status_code == 401 and problem(response)["code"] == "unauthorized"
    assert response.headers["www-authenticate"] == "Bearer"
    assert client.get("/v1/documents", headers={"x-api-key": "tg_wrong"}).status_code == 401
    assert client.get("/v1/documents", headers={"x-api-key": revoked}).status_code == 401
    read = {"authorization": f"Bearer {reader}"}
    assert client.get("/v1/documents", headers=read).status_code == 200
    response = client.post("/v1/documents", json=CORPUS, headers=read)
    assert response.status_code == 403 and problem(response)["code"] == "forbidden"
    write = {"authorization": f"Bearer {writer}"}
    assert client.post("/v1/documents", json=CORPUS, headers=write).status_code == 200
    # Operations endpoints stay open for probes and scrapers.
    assert client.get("/health").status_code == 200
    assert client.get("/metrics").status_code == 200


def test_keys_are_stored_hashed(make_client: AppFactory) -> None:
    client, reader, _, _ = keyed_client(make_client)
    # Read through the records' own SQL runner: the same statement on either backend.
    with app_state(client).store.records.sql.transaction() as cur:
        stored = {str(r[0]) for r in cur.execute("SELECT key_hash FROM api_keys").fetchall()}
    assert len(stored) == 3 and reader not in stored and hash_key(reader) in stored
