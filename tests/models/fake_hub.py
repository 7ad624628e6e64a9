"""A stand-in for the Hugging Face hub on 127.0.0.1, for the real `huggingface_hub` client.

It serves model repos from a folder (`<root>/<org>/<name>/<files>`) and answers exactly
the requests the installed client (2.x) makes for a pull:

- `GET /api/models/{repo}[/revision/{rev}]`: the repo's commit (`sha`), its files
  (`siblings`) and card data (`cardData`, read from README.md front matter).
- `HEAD|GET /{repo}/resolve/{rev}/{path}`: small files answer 200 with `ETag` (git blob
  id), `X-Repo-Commit` and `Content-Length`. Large files (`*.onnx`, stored in LFS on the
  real hub) answer 302 with `X-Linked-Etag` (sha256), `X-Linked-Size`, `X-Repo-Commit`
  and a `Location` on a second origin, the "CDN": the client stops following redirects
  when they leave the hub's origin and then downloads from `Location`.
- `GET /lfs/{sha256}` on the CDN origin, with `Range` support for resumed downloads.
- `GET /api/agent-harnesses`: a registry the client fetches once per process for its
  user-agent header; an empty one here.

Errors carry the `X-Error-Code` header the client maps to its exception types.
`interrupt(path)` makes the CDN drop the connection half-way through that file and then
answer 503, as a hub that went away mid-download would.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

import pytest
from huggingface_hub import constants

LFS_SUFFIXES = (".onnx", ".safetensors", ".bin")


@dataclass
class _State:
    root: Path
    cdn_url: str = ""
    interrupted: set[str] = field(default_factory=set)  # sha256 of files to cut
    broken: set[str] = field(default_factory=set)  # cut once already: now 503
    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _repo_files(repo: Path) -> list[str]:
    return sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file())


def _commit(repo: Path) -> str:
    """A stable 40-hex commit id for the repo's current content."""
    digest = hashlib.sha1()
    for name in _repo_files(repo):
        digest.update(name.encode() + b"\0" + (repo / name).read_bytes())
    return digest.hexdigest()


def _git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _card_data(repo: Path) -> dict[str, str] | None:
    readme = repo / "README.md"
    if not readme.is_file():
        return None
    text = readme.read_text("utf-8")
    if not text.startswith("---\n"):
        return None
    front = text[4:].split("\n---", 1)[0]
    pairs = (line.split(":", 1) for line in front.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        return

    def do_HEAD(self) -> None:
        self._route(body=False)

    def do_GET(self) -> None:
        self._route(body=True)

    # --- routing ----------------------------------------------------------------

    def _route(self, *, body: bool) -> None:
        state = self.server.state
        path = unquote(urlsplit(self.path).path)
        with state.lock:
            state.requests.append((self.command, path))
        parts = path.strip("/").split("/")
        if self.server.role == "cdn":
            if len(parts) == 2 and parts[0] == "lfs":
                return self._lfs(parts[1], body=body)
        elif parts == ["api", "agent-harnesses"]:
            registry = json.dumps({"standardEnvVars": [], "harnesses": {}}).encode()
            return self._send(200, registry, {"Content-Type": "application/json"}, body=body)
        elif parts[:2] == ["api", "models"] and len(parts) in (4, 6):
            if len(parts) == 4 or parts[4] == "revision":
                return self._info("/".join(parts[2:4]), parts[5] if len(parts) == 6 else None)
        elif len(parts) >= 5 and parts[2] == "resolve":
            return self._resolve("/".join(parts[:2]), parts[3], "/".join(parts[4:]), body=body)
        self._send(404, b"not found", {"X-Error-Code": "EntryNotFound"}, body=body)

    def _repo(self, repo_id: str, revision: str | None, *, body: bool) -> Path | None:
        repo = self.server.state.root / repo_id
        if not repo.is_dir():
            # The real hub answers 401 for a missing repo to anonymous callers.
            self._send(
                401,
                b"Repository not found",
                {"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"},
                body=body,
            )
            return None
        if revision not in (None, "main", _commit(repo)):
            self._send(
                404,
                b"Invalid rev id",
                {"X-Error-Code": "RevisionNotFound", "X-Error-Message": "Invalid rev id"},
                body=body,
            )
            return None
        return repo

    def _info(self, repo_id: str, revision: str | None) -> None:
        repo = self._repo(repo_id, revision, body=True)
        if repo is None:
            return
        info: dict[str, object] = {
            "_id": _commit(repo)[:24],
            "id": repo_id,
            "modelId": repo_id,
            "sha": _commit(repo),
            "private": False,
            "disabled": False,
            "gated": False,
            "tags": [],
            "siblings": [{"rfilename": name} for name in _repo_files(repo)],
        }
        card = _card_data(repo)
        if card is not None:
            info["cardData"] = card
        payload = json.dumps(info).encode()
        self._send(200, payload, {"Content-Type": "application/json"}, body=True)

    def _resolve(self, repo_id: str, revision: str, name: str, *, body: bool) -> None:
        repo = self._repo(repo_id, revision, body=body)
        if repo is None:
            return
        commit = _commit(repo)
        file = repo / name
        if not file.is_file():
            self._send(
                404,
                b"Entry not found",
                {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": commit},
                body=body,
            )
            return
        data = file.read_bytes()
        if name.endswith(LFS_SUFFIXES):
            sha256 = hashlib.sha256(data).hexdigest()
            self._send(
                302,
                b"",
                {
                    "Location": f"{self.server.state.cdn_url}/lfs/{sha256}",
                    "X-Linked-Etag": f'"{sha256}"',
                    "X-Linked-Size": str(len(data)),
                    "X-Repo-Commit": commit,
                    "ETag": f'"{_git_blob_id(data)}"',
                },
                body=body,
            )
            return
        self._send(
            200,
            data,
            {
                "ETag": f'"{_git_blob_id(data)}"',
                "X-Repo-Commit": commit,
                "Content-Type": "application/octet-stream",
            },
            body=body,
        )

    def _lfs(self, sha256: str, *, body: bool) -> None:
        state = self.server.state
        data = next(
            (
                f.read_bytes()
                for f in state.root.rglob("*")
                if f.is_file()
                and f.suffix in LFS_SUFFIXES
                and hashlib.sha256(f.read_bytes()).hexdigest() == sha256
            ),
            None,
        )
        if data is None:
            self._send(404, b"no such object", {}, body=body)
            return
        with state.lock:
            if sha256 in state.broken:
                self._send(503, b"unavailable", {}, body=body)
                return
            cut = body and sha256 in state.interrupted
            if cut:
                state.interrupted.discard(sha256)
                state.broken.add(sha256)
        if cut:
            # Promise the whole file, send half, hang up.
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        start = 0
        ranged = self.headers.get("Range", "")
        if ranged.startswith("bytes=") and ranged.endswith("-"):
            start = int(ranged[len("bytes=") : -1])
        headers = {"Content-Type": "application/octet-stream", "ETag": f'"{sha256}"'}
        if start:
            headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        self._send(206 if start else 200, data[start:], headers, body=body)

    def _send(self, status: int, data: bytes, headers: dict[str, str], *, body: bool) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: _State, role: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.role = role

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class FakeHub:
    """`with FakeHub(folder) as hub:` serves the repos under `folder` at `hub.endpoint`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._state = _State(root=root)
        self._hub = _Server(self._state, "hub")
        self._cdn = _Server(self._state, "cdn")
        self._state.cdn_url = self._cdn.url
        self._threads = [
            threading.Thread(target=s.serve_forever, args=(0.05,), daemon=True)
            for s in (self._hub, self._cdn)
        ]

    @property
    def endpoint(self) -> str:
        return self._hub.url

    @property
    def requests(self) -> list[tuple[str, str]]:
        with self._state.lock:
            return list(self._state.requests)

    def add_repo(self, repo_id: str, files: dict[str, bytes]) -> Path:
        repo = self.root / repo_id
        for name, data in files.items():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            (repo / name).write_bytes(data)
        return repo

    def commit(self, repo_id: str) -> str:
        return _commit(self.root / repo_id)

    def interrupt(self, repo_id: str, name: str) -> None:
        """Cut the next download of this (LFS) file half-way, then fail its retries."""
        sha256 = hashlib.sha256((self.root / repo_id / name).read_bytes()).hexdigest()
        with self._state.lock:
            self._state.interrupted.add(sha256)

    def __enter__(self) -> FakeHub:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for server in (self._hub, self._cdn):
            server.shutdown()
            server.server_close()


def point_client_at(hub: FakeHub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Send TruthGraph's pulls, and the client's own lookups, to `hub`."""
    monkeypatch.setenv("HF_ENDPOINT", hub.endpoint)
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    # The client reads HF_ENDPOINT once, at import, into two constants: the endpoint
    # (used by its own background lookups) and the file URL template it rewrites with
    # the `endpoint=` TruthGraph passes. Set both as that import would have, so that
    # nothing leaves this machine, and keep its cache file out of the home folder.
    monkeypatch.setattr(constants, "ENDPOINT", hub.endpoint)
    monkeypatch.setattr(
        constants,
        "HUGGINGFACE_CO_URL_TEMPLATE",
        hub.endpoint + "/{repo_id}/resolve/{revision}/{filename}",
    )
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(
        constants, "AGENT_HARNESSES_PATH", str(tmp_path / "agent-harnesses.json"), raising=False
    )
