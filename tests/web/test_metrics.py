"""Metrics on prometheus-client: the exposition both services serve, one registry per
app, and multiprocess mode summing every worker's counts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.parser import text_string_to_metric_families

from truthgraph.web.metrics import Registry, RequestMetrics
from truthgraph.web.timing import TimingMiddleware


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _timed_app() -> tuple[FastAPI, Registry]:
    registry = Registry()
    app = FastAPI()
    metrics = RequestMetrics(registry, "test_http", ("method", "route", "status"), "Requests.")
    app.add_middleware(TimingMiddleware, metrics=metrics)

    @app.get("/items/{item_id}")
    def item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    @app.get("/metrics")
    def exposition() -> object:
        return registry.response()

    return app, registry


def test_requests_are_counted_by_route_template_not_raw_path() -> None:
    app, _ = _timed_app()
    with TestClient(app) as client:
        for item_id in (1, 2, 3):
            assert client.get(f"/items/{item_id}").status_code == 200
        client.get("/items/not-a-number")
        response = client.get("/metrics")
    assert response.headers["content-type"] == CONTENT_TYPE_PLAIN_0_0_4
    samples = _samples(response.text)
    route = (("method", "GET"), ("route", "/items/{item_id}"))
    assert samples[("test_http_requests_total", (*route, ("status", "200")))] == 3
    assert samples[("test_http_requests_total", (*route, ("status", "422")))] == 1
    latency = (("route", "/items/{item_id}"),)
    assert samples[("test_http_request_duration_seconds_count", latency)] == 4
    # Creation timestamps are off: the same series in single- and multiprocess mode.
    assert not [name for name, _ in samples if name.endswith("_created")]


def test_each_app_counts_only_its_own_requests() -> None:
    first, first_registry = _timed_app()
    second, second_registry = _timed_app()
    with TestClient(first) as client:
        client.get("/items/1")
    with TestClient(second) as client:
        client.get("/items/1")
        client.get("/items/2")
    key = (
        "test_http_requests_total",
        (("method", "GET"), ("route", "/items/{item_id}"), ("status", "200")),
    )
    assert _samples(first_registry.exposition().decode())[key] == 1
    assert _samples(second_registry.exposition().decode())[key] == 2


# One worker process: counts a request and sets a gauge, then exits (stopping
# cleanly with `close`, or not, as a killed worker would).
WORKER = """
import sys
from truthgraph.web.metrics import Registry
registry = Registry()
registry.counter("test_jobs_total", "Jobs.", ("kind",)).labels("a").inc(int(sys.argv[1]))
registry.gauge("test_waiting", "Waiting.").set(int(sys.argv[1]))
if sys.argv[2] == "close":
    registry.close()
"""
SCRAPE = """
import sys
from truthgraph.web.metrics import Registry
sys.stdout.write(Registry().exposition().decode())
"""


def _python(code: str, *args: str, folder: Path) -> str:
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_multiprocess_mode_sums_every_worker(tmp_path: Path) -> None:
    _python(WORKER, "2", "close", folder=tmp_path)
    _python(WORKER, "3", "keep", folder=tmp_path)
    samples = _samples(_python(SCRAPE, folder=tmp_path))
    assert samples[("test_jobs_total", (("kind", "a"),))] == 5  # counters outlive workers
    # Gauges sum the live workers only: the one that stopped cleanly has left the sum.
    assert samples[("test_waiting", ())] == 3
