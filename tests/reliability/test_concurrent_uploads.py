"""Item 2: uploads racing on a new document id or a new passage all succeed, and the
store ends up with each once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.http_server import ServerThread

ROUNDS, PARALLEL = 10, 8


def test_parallel_uploads_sharing_ids_and_passages_never_fail(served: ServerThread) -> None:
    def upload(round_: int, worker: int) -> int:
        # Half the workers share a document id; all share the passage text.
        body = {
            "documents": [
                {
                    "id": f"r-{round_}-{worker % 4}",
                    "text": f"Same new sentence {round_} for everyone.",
                }
            ]
        }
        with httpx.Client(base_url=served.url, timeout=60) as client:
            return client.post("/v1/documents", json=body).status_code

    with ThreadPoolExecutor(PARALLEL) as pool:
        codes = [
            code
            for round_ in range(ROUNDS)
            for code in pool.map(lambda w, r=round_: upload(r, w), range(PARALLEL))
        ]
    assert codes == [200] * (ROUNDS * PARALLEL)
    with httpx.Client(base_url=served.url) as client:
        listing = client.get("/v1/documents", params={"limit": 200}).json()
        passages = sum(d["passages"] for d in listing["data"])
        assert client.get("/health").status_code == 200
    assert listing["count"] == ROUNDS * 4
    assert passages == ROUNDS  # each round's sentence is stored once
