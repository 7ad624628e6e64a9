"""The web UI's cost beyond the verification itself: for each claim, the verify form
post (verification, storing it, the redirect) and then the result page (every cited
passage read in its document window and the page rendered). The verification's own
time comes from the post's Server-Timing header; everything else is the UI's.

Runs the real app in-process (the bundled models, a throw-away SQLite database) over
evaluation set v2's corpus, verifying its first claims one at a time. Times are
measured around whole requests by the client, so they are upper bounds on server time.

    python benchmarks/ui_render.py --out benchmarks/results/ui_render
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import command_line, emit, machine_info, percentile  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MS = 300.0


def server_timing(header: str, name: str) -> float:
    match = re.search(rf"{name};dur=([0-9.]+)", header)
    if match is None:
        raise SystemExit(f"no {name} timing in {header!r}")
    return float(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "eval/v2/corpus.jsonl")
    parser.add_argument("--claims", type=Path, default=ROOT / "eval/v2/claims.jsonl")
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from truthgraph.api.app import create_app
    from truthgraph.config import Settings

    claims = [json.loads(line)["claim"] for line in args.claims.open()][: args.limit]
    rows: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'ui.db'}", job_workers=0)
        with TestClient(create_app(settings), follow_redirects=False) as client:
            page = client.get("/ui/corpus")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token is not None
            form = {"csrf_token": token.group(1)}
            upload = client.post(
                "/ui/corpus/upload",
                data=form,
                files=[("files", (args.corpus.name, args.corpus.read_bytes(), "text/plain"))],
            )
            assert upload.status_code == 200, upload.text[:500]
            client.post("/ui/verify", data={**form, "claim": claims[0]})  # warm-up
            for claim in claims:
                started = time.perf_counter()
                posted = client.post("/ui/verify", data={**form, "claim": claim})
                post_ms = (time.perf_counter() - started) * 1000
                assert posted.status_code == 303, posted.text[:500]
                verify_ms = server_timing(posted.headers["server-timing"], "verify")
                started = time.perf_counter()
                shown = client.get(posted.headers["location"])
                page_ms = (time.perf_counter() - started) * 1000
                assert shown.status_code == 200 and "<mark>" in shown.text
                rows.append(
                    {
                        "verify_ms": verify_ms,
                        "post_overhead_ms": post_ms - verify_ms,
                        "page_ms": page_ms,
                        "render_ms": server_timing(shown.headers["server-timing"], "render"),
                        "beyond_verification_ms": post_ms - verify_ms + page_ms,
                    }
                )

    def summary(key: str) -> dict[str, float]:
        values = [row[key] for row in rows]
        return {
            "median": round(statistics.median(values), 1),
            "p95": round(percentile(values, 95), 1),
            "max": round(max(values), 1),
        }

    keys = ("verify_ms", "post_overhead_ms", "page_ms", "render_ms", "beyond_verification_ms")
    result = {
        "machine": machine_info("fastapi", "starlette", "jinja2", "onnxruntime"),
        "command": command_line(),
        "corpus": str(args.corpus.relative_to(ROOT)),
        "claims": len(rows),
        "budget_ms": BUDGET_MS,
        "timings": {key: summary(key) for key in keys},
    }
    worst = result["timings"]["beyond_verification_ms"]["max"]  # type: ignore[index]
    result["within_budget"] = worst <= BUDGET_MS
    emit(result, args.out, render(result))
    if not result["within_budget"]:
        raise SystemExit(f"over budget: {worst} ms > {BUDGET_MS} ms")


def render(result: dict[str, object]) -> str:
    m = result["machine"]
    t = result["timings"]
    assert isinstance(m, dict) and isinstance(t, dict)
    lines = [
        "# Web UI: verify page cost beyond the verification\n",
        f"Command: `{result['command']}`\n",
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB, "
        f"Python {m['python']}, packages {m['packages']}\n",
        f"Corpus: {result['corpus']}; {result['claims']} claims verified one at a time "
        "through the form (bundled models, SQLite).\n",
        "| per claim, ms | median | p95 | max |",
        "| --- | ---: | ---: | ---: |",
    ]
    names = {
        "verify_ms": "verification (pipeline + storing it)",
        "post_overhead_ms": "form post beyond the verification",
        "page_ms": "result page request",
        "render_ms": "of which template rendering",
        "beyond_verification_ms": "**UI total beyond the verification**",
    }
    for key, name in names.items():
        row = t[key]
        lines.append(f"| {name} | {row['median']} | {row['p95']} | {row['max']} |")
    verdict = "within" if result["within_budget"] else "over"
    lines.append(f"\nBudget {result['budget_ms']} ms: {verdict} it at the maximum.\n")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
