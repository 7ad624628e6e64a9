"""The HTTP client for the ml-inference service, with the same protocol as the local
client.

- Load is spread per request, round robin over every address the service name resolves
  to (several replicas behind one DNS name): pooled keep-alive connections would
  otherwise stick to whichever replica answered first.
- Each address is marked down when a call to it fails and up again when a probe
  (`check`, run in the background by the API) or a call succeeds. While every address
  is known down, calls fail at once with InferenceError (the API answers 503) instead of
  waiting out timeouts and retries; they recover by themselves with the next probe.
- Refused connections and overload are retried with backoff on the next address; a
  read timeout is not retried (a service that does not answer will not answer the
  same request sooner).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from truthgraph.domain import CANONICAL_LABELS, NLIScores
from truthgraph.inference.protocol import InferenceError, ModelInfo

# Retry only what a later attempt can fix: refused connections, overload.
_RETRY_STATUS = frozenset({429, 502, 503, 504})
# Statuses that say this replica cannot serve now (starting, stopping, broken proxy).
_DOWN_STATUS = frozenset({502, 503, 504})
# A down mark older than this no longer counts (nobody re-checked: no background probe).
DOWN_TTL = 10.0
PROBE_TIMEOUT = httpx.Timeout(1.0)


@dataclass
class _Address:
    host: str  # as it goes into a URL: an IP literal (IPv6 in brackets) or the name
    down_since: float | None = None
    reason: str = ""

    def usable(self, now: float) -> bool:
        return self.down_since is None or now - self.down_since > DOWN_TTL


def _url_host(ip: str) -> str:
    return f"[{ip}]" if ":" in ip else ip


class RemoteInference:
    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        retries: int = 2,
        backoff: float = 0.2,
        batch_size: int = 64,
        connect_timeout: float = 2.0,
        client: httpx.Client | None = None,
    ) -> None:
        """`batch_size` inputs go per request: well under the service's per-call limit,
        and small enough that the service can interleave other callers' requests."""
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InferenceError(f"inference URL must be http(s)://HOST[:PORT], not {base_url!r}")
        self._scheme, self._hostname = parts.scheme, parts.hostname
        self._port = parts.port or (443 if parts.scheme == "https" else 80)
        self._prefix = parts.path
        self._host_header = parts.netloc.rpartition("@")[2]
        self.batch_size = batch_size
        self.retries = retries
        self.backoff = backoff
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, connect_timeout)),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
        )
        self._lock = threading.Lock()
        self._addresses: list[_Address] = []
        self._next = 0
        self._models: dict[str, ModelInfo] | None = None

    # -- addresses -------------------------------------------------------------------
    def _resolve(self) -> list[str]:
        try:
            ipaddress.ip_address(self._hostname)
            return [_url_host(self._hostname)]
        except ValueError:
            pass
        try:
            infos = socket.getaddrinfo(self._hostname, self._port, type=socket.SOCK_STREAM)
        except OSError:
            return []
        return list(dict.fromkeys(_url_host(str(info[4][0])) for info in infos))

    def refresh_addresses(self) -> None:
        """Resolve the service name again; replicas may have come or gone. Marks of
        addresses that are still there are kept."""
        hosts = self._resolve()
        if not hosts:
            return  # keep what we had: a failed lookup says nothing about the replicas
        with self._lock:
            known = {a.host: a for a in self._addresses}
            self._addresses = [known.get(h) or _Address(h) for h in hosts]

    def _pick(self, retrying: bool = False) -> _Address:
        """The next usable address in turn. A first attempt fails at once while every
        address is known down; a retry (after its backoff) takes the next one anyway."""
        if not self._addresses:
            self.refresh_addresses()
        now = time.monotonic()
        with self._lock:
            if not self._addresses:
                # Unresolvable now: let the HTTP client try the name and report why.
                self._addresses = [_Address(self._hostname)]
            count = len(self._addresses)
            for step in range(count):
                address = self._addresses[(self._next + step) % count]
                if retrying or address.usable(now):
                    self._next = (self._next + step + 1) % count
                    return address
            reasons = "; ".join(f"{a.host}: {a.reason}" for a in self._addresses)
        raise InferenceError(f"ml-inference at {self.base_url} unavailable ({reasons})")

    def _mark(self, address: _Address, reason: str | None) -> None:
        with self._lock:
            if reason is None:
                address.down_since, address.reason = None, ""
            else:
                address.down_since, address.reason = time.monotonic(), reason

    @property
    def available(self) -> bool:
        """False while every known address is marked down (recently)."""
        now = time.monotonic()
        with self._lock:
            return not self._addresses or any(a.usable(now) for a in self._addresses)

    def _request(
        self,
        address: _Address,
        method: str,
        path: str,
        body: Any = None,
        timeout: httpx.Timeout | None = None,
    ) -> httpx.Response:
        url = f"{self._scheme}://{address.host}:{self._port}{self._prefix}{path}"
        extensions = {"sni_hostname": self._hostname} if self._scheme == "https" else None
        kwargs: dict[str, Any] = {"timeout": timeout} if timeout is not None else {}
        return self._client.request(
            method,
            url,
            json=body,
            extensions=extensions,
            headers={"host": self._host_header},
            **kwargs,
        )

    def check(self) -> None:
        """Probe every address's /ready once, with short timeouts and no retries, then
        resolve the name again. Raises InferenceError when no address is ready."""
        if not self._addresses:
            self.refresh_addresses()
        with self._lock:
            addresses = list(self._addresses) or [_Address(self._hostname)]
        for address in addresses:
            try:
                response = self._request(address, "GET", "/ready", timeout=PROBE_TIMEOUT)
                ok = response.status_code == 200
                self._mark(address, None if ok else f"HTTP {response.status_code}")
            except httpx.HTTPError as exc:
                self._mark(address, f"{type(exc).__name__}: {exc}")
        # After the probes: a slow name lookup must not delay marking a replica down.
        self.refresh_addresses()
        if not self.available:
            self._pick()  # raises, naming every address and why it is down

    # -- calls -----------------------------------------------------------------------
    def _call(self, method: str, path: str, body: Any = None) -> Any:
        last = "no attempt made"
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            address = self._pick(retrying=attempt > 0)
            try:
                response = self._request(address, method, path, body)
            except (httpx.ReadTimeout, httpx.WriteTimeout) as exc:
                self._mark(address, f"{type(exc).__name__}: {exc}")
                last = f"{type(exc).__name__}: {exc}"
                break
            except httpx.HTTPError as exc:
                self._mark(address, f"{type(exc).__name__}: {exc}")
                last = f"{type(exc).__name__}: {exc}"
                continue
            if response.status_code in _RETRY_STATUS:
                if response.status_code in _DOWN_STATUS:
                    self._mark(address, f"HTTP {response.status_code}")
                last = f"HTTP {response.status_code}"
                continue
            self._mark(address, None)
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
