"""The HTTP client for the ml-inference service, with the same protocol as the local
client. Connections are pooled; each call has a timeout and a bounded number of
retries with exponential backoff. When the service stays unreachable the call raises
InferenceError, which the API turns into a 503 problem."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import httpx

from truthgraph.domain import CANONICAL_LABELS, NLIScores
from truthgraph.inference.protocol import InferenceError, ModelInfo

# Retry only what a later attempt can fix: refused connections, timeouts, overload.
_RETRY_STATUS = frozenset({429, 502, 503, 504})


class RemoteInference:
    def __init__(
        self, base_url: str, *, timeout: float = 30.0, retries: int = 2,
        backoff: float = 0.2, batch_size: int = 64, client: httpx.Client | None = None,
    ) -> None:
        """`batch_size` inputs go per request: well under the service's per-call limit,
        and small enough that the service can interleave other callers' requests."""
        self.base_url = base_url.rstrip("/")
        self.batch_size = batch_size
        self.retries = retries
        self.backoff = backoff
        self._client = client or httpx.Client(
            base_url=self.base_url, timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
        )
        self._models: dict[str, ModelInfo] | None = None

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        last = "no attempt made"
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self._client.request(method, path, json=body)
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}"
                continue
            if response.status_code in _RETRY_STATUS:
                last = f"HTTP {response.status_code}"
                continue
            if response.status_code >= 400:
                detail = response.json().get("detail", "") if response.content else ""
                raise InferenceError(
                    f"ml-inference refused {path}: {response.status_code} {detail}"
                )
            return response.json()
        raise InferenceError(f"ml-inference at {self.base_url} unavailable ({last})")

    def _model(self, task: str) -> ModelInfo:
        if self._models is None:
            data = self._call("GET", "/v1/models")
            self._models = {
                key: ModelInfo(**{**value, "labels": tuple(value.get("labels", ()))})
                for key, value in data.items()
            }
        return self._models[task]

    @property
    def embedding_model(self) -> ModelInfo:
        return self._model("embedding")

    @property
    def nli_model(self) -> ModelInfo:
        return self._model("nli")

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            chunk = list(texts[start : start + self.batch_size])
            vectors += self._call("POST", "/v1/embed", {"texts": chunk})["embeddings"]
        return vectors

    def nli(self, pairs: Sequence[tuple[str, str]]) -> list[NLIScores]:
        scores: list[NLIScores] = []
        for start in range(0, len(pairs), self.batch_size):
            chunk = pairs[start : start + self.batch_size]
            body = {"pairs": [{"premise": p, "hypothesis": h} for p, h in chunk]}
            data = self._call("POST", "/v1/nli", body)
            # The service answers in canonical order and says so; check, don't trust.
            if data["labels"] != [label.value for label in CANONICAL_LABELS]:
                raise InferenceError(f"ml-inference answered labels {data['labels']}")
            scores += [NLIScores(*row) for row in data["probabilities"]]
        return scores

    def close(self) -> None:
        self._client.close()
