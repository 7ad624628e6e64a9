"""Sizes, cold start and idle memory of the two TruthGraph images.

Sizes come from image-audit (base layers vs ours, biggest Python distributions).
Cold start: from `docker run` until /ready answers 200 (ml-inference: models loaded and
warmed up; api-core: database and ml-inference reachable). Idle memory: the container's
memory use after 10 s without requests (`docker stats`). Containers use host networking
on loopback ports and are removed afterwards.

    python benchmarks/images.py --api truthgraph/api-core:0.1.0 --ml truthgraph/ml-inference:0.1.0 \
        --base truthgraph/python:3.13-slim-trixie --pg truthgraph/pgvector:pg17 \
        --out benchmarks/results/images
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import command_line, emit, machine_info  # noqa: E402

from imageaudit.cli import main as image_audit  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOCKER = "/usr/bin/docker"
PG_PORT = 55440
DB_URL = f"postgresql://truthgraph:bench@127.0.0.1:{PG_PORT}/truthgraph"


def docker(*args: str) -> str:
    return subprocess.run([DOCKER, *args], check=True, capture_output=True, text=True).stdout


def audit(image: str, base: str) -> dict[str, Any]:
    base_layer = json.loads(docker("image", "inspect", base))[0]["RootFS"]["Layers"][-1]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        image_audit(["--docker", image, "--base-diff-id", base_layer, "--json", "-o", str(out)])
        report: dict[str, Any] = json.loads(out.read_text())
    dists = sorted(report["python_dists"], key=lambda d: -d["size"])[:5]
    return {
        "total": report["sizes"]["total"],
        "base": report["sizes"]["base"],
        "added": report["sizes"]["added"],
        "top_dists": [
            {"name": d["name"], "version": d["version"], "size": d["size"]} for d in dists
        ],
    }


def run(
    name: str, image: str, *args: str, env: dict[str, str] | None = None, read_only: bool = True
) -> float:
    flags = [f"--env={k}={v}" for k, v in (env or {}).items()]
    if read_only:  # as compose runs our services; the database needs a writable root
        flags += ["--read-only", "--tmpfs", "/tmp"]
    started = time.perf_counter()
    docker("run", "-d", "--name", name, "--network", "host", *flags, *args, image)
    return started


def wait_ready(url: str, started: float, timeout: float = 180) -> float:
    while time.perf_counter() - started < timeout:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{url} not ready after {timeout} s")


def idle_memory(name: str) -> str:
    time.sleep(10)
    return docker("stats", "--no-stream", "--format", "{{.MemUsage}}", name).split("/")[0].strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    for flag in ("--api", "--ml", "--base", "--pg"):
        parser.add_argument(flag, required=True)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    names = ["tg-bench-pg", "tg-bench-ml", "tg-bench-api", "tg-bench-migrate"]
    subprocess.run([DOCKER, "rm", "-f", *names], capture_output=True)
    result: dict[str, Any] = {
        "machine": machine_info(),
        "command": command_line(),
        "images": {
            "api-core": audit(args.api, args.base),
            "ml-inference": audit(args.ml, args.base),
        },
    }
    try:
        run(
            "tg-bench-pg",
            args.pg,
            env={
                "POSTGRES_USER": "truthgraph",
                "POSTGRES_PASSWORD": "bench",
                "POSTGRES_DB": "truthgraph",
                "PGPORT": str(PG_PORT),
            },
            read_only=False,
        )
        # The images' own commands, on their default ports (8001 and 8000).
        started = run("tg-bench-ml", args.ml, "-v", f"{ROOT / 'src/truthgraph/bundle'}:/models:ro")
        ml_cold = wait_ready("http://127.0.0.1:8001/ready", started)
        for _ in range(60):  # the database initialises meanwhile; migrations wait for it
            done = subprocess.run(
                [
                    DOCKER,
                    "run",
                    "--rm",
                    "--network",
                    "host",
                    "--name",
                    "tg-bench-migrate",
                    f"--env=TRUTHGRAPH_DATABASE_URL={DB_URL}",
                    args.api,
                    "truthgraph",
                    "db",
                    "upgrade",
                ],
                capture_output=True,
            )
            if done.returncode == 0:
                break
            time.sleep(1)
        else:
            raise SystemExit(f"migrations failed: {done.stderr.decode()[-500:]}")
        started = run(
            "tg-bench-api",
            args.api,
            env={
                "TRUTHGRAPH_DATABASE_URL": DB_URL,
                "TRUTHGRAPH_INFERENCE_URL": "http://127.0.0.1:8001",
            },
        )
        api_cold = wait_ready("http://127.0.0.1:8000/ready", started)
        result["runtime"] = {
            "ml-inference": {
                "cold_start_s": round(ml_cold, 2),
                "idle_memory": idle_memory("tg-bench-ml"),
            },
            "api-core": {
                "cold_start_s": round(api_cold, 2),
                "idle_memory": idle_memory("tg-bench-api"),
            },
        }
    finally:
        subprocess.run([DOCKER, "rm", "-f", *names], capture_output=True)
    emit(result, args.out)


if __name__ == "__main__":
    main()
