"""Verify latency and throughput of the REST API at several concurrency levels.

Starts `truthgraph serve` as a child process on a loopback port (embedded mode by
default: SQLite and in-process models; pass --database-url postgresql://... and/or
--inference-url for server mode), loads the sample corpus, then sends POST /v1/verify
with the evaluation claims from C concurrent clients, for each C in --concurrency.
Each level runs a bounded number of requests and stops by itself.

    python benchmarks/api_load.py --out benchmarks/results/api_load
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import command_line, emit, machine_info, percentile  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


async def run_level(url: str, claims: list[str], concurrency: int, requests: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(claims[i % len(claims)])

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while not queue.empty():
            claim = queue.get_nowait()
            started = time.perf_counter()
            response = await client.post("/v1/verify", json={"claim": claim})
            latencies.append((time.perf_counter() - started) * 1000)
            errors += response.status_code != 200

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "concurrency": concurrency,
        "requests": requests,
        "errors": errors,
        "seconds": round(elapsed, 2),
        "throughput_rps": round(requests / elapsed, 2),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "mean_ms": round(statistics.fmean(latencies), 1),
    }


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the API process exited during start-up")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("the API did not become ready")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--requests", type=int, default=96, help="requests per level")
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--inference-url", help="use a running ml-inference service")
    parser.add_argument("--out", type=Path, help="write OUT.json and OUT.md")
    args = parser.parse_args()

    url = f"http://127.0.0.1:{args.port}"
    claims = [
        json.loads(x)["claim"]
        for x in (ROOT / "eval/claims-v1.jsonl").read_text("utf-8").splitlines()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "TRUTHGRAPH_DATABASE_URL": args.database_url or f"sqlite:///{Path(tmp) / 'load.db'}",
        }
        if args.inference_url:
            env |= {
                "TRUTHGRAPH_INFERENCE": "remote",
                "TRUTHGRAPH_INFERENCE_URL": args.inference_url,
            }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "truthgraph.cli",
                "serve",
                "--port",
                str(args.port),
                "--log-level",
                "warning",
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
                headers={"content-type": "application/x-ndjson"},
            ).raise_for_status()
            asyncio.run(run_level(url, claims, 1, 5))  # warm-up, not reported
            levels = [
                asyncio.run(run_level(url, claims, c, args.requests)) for c in args.concurrency
            ]
            models = httpx.post(f"{url}/v1/verify", json={"claim": claims[0]}, timeout=60).json()[
                "models"
            ]
        finally:
            process.terminate()
            process.wait(30)
    result = {
        "machine": machine_info("onnxruntime", "fastapi", "uvicorn"),
        "command": command_line(),
        "mode": "server" if args.database_url or args.inference_url else "embedded",
        "database": "postgresql" if args.database_url else "sqlite",
        "inference": "remote" if args.inference_url else "local",
        "models": models,
        "top_k": 10,
        "levels": levels,
    }
    emit(result, args.out, render(result))


def render(result: dict[str, Any]) -> str:
    m = result["machine"]
    rows = "\n".join(
        f"| {x['concurrency']} | {x['requests']} | {x['errors']} | {x['throughput_rps']} | "
        f"{x['p50_ms']} | {x['p95_ms']} | {x['p99_ms']} |"
        for x in result["levels"]
    )
    return (
        "# REST API verify latency and throughput\n\n"
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB, "
        f"Python {m['python']}; packages {m['packages']}\n\n"
        f"Command: `{result['command']}`\n\n"
        f"Mode: {result['mode']} ({result['database']}, {result['inference']} inference); "
        f"top-k {result['top_k']}; client and server on the same machine.\n\n"
        f"Models: {result['models']}\n\n"
        "| concurrency | requests | errors | throughput (req/s) | p50 ms | p95 ms | p99 ms |\n"
        "|---|---|---|---|---|---|---|\n" + rows + "\n"
    )


if __name__ == "__main__":
    main()
