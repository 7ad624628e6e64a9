"""Prometheus metrics on prometheus-client, one registry per app (tests and the
replica tests build several apps in one process, each with its own counts).

With PROMETHEUS_MULTIPROC_DIR set before the process starts, prometheus-client keeps
every value in files in that folder, one per process, and /metrics sums the files of
every worker, whichever worker answers the scrape. The folder must be empty when the
service starts and belongs to one service.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from starlette.responses import Response
from starlette.types import Scope

# (prometheus-client leaves a few functions unannotated: their calls carry an ignore.)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def route_template_of(scope: Scope) -> str:
    """The matched path template ("/v1/jobs/{job_id}"), not the raw path: label sets
    stay small however many ids clients send."""
    return str(getattr(scope.get("route"), "path", "unmatched"))


class Registry:
    """The metrics of one app and their exposition."""

    def __init__(self) -> None:
        # `*_created` series exist only in single-process mode; without them a scrape
        # shows the same series whichever mode runs.
        disable_created_metrics()  # type: ignore[no-untyped-call]
        self.registry = CollectorRegistry(auto_describe=True)

    def counter(self, name: str, help_text: str, labels: Sequence[str] = ()) -> Counter:
        return Counter(name, help_text, labels, registry=self.registry)

    def histogram(
        self,
        name: str,
        help_text: str,
        labels: Sequence[str] = (),
        buckets: Sequence[float] = LATENCY_BUCKETS,
    ) -> Histogram:
        return Histogram(name, help_text, labels, registry=self.registry, buckets=buckets)

    def gauge(self, name: str, help_text: str, labels: Sequence[str] = ()) -> Gauge:
        # livesum: with several workers, the sum over the processes still running.
        return Gauge(name, help_text, labels, registry=self.registry, multiprocess_mode="livesum")

    def exposition(self) -> bytes:
        folder = multiprocess_dir()
        if folder is None:
            return generate_latest(self.registry)
        merged = CollectorRegistry()
        MultiProcessCollector(merged, path=folder)  # type: ignore[no-untyped-call]
        return generate_latest(merged)

    def response(self) -> Response:
        return Response(self.exposition(), media_type=CONTENT_TYPE_PLAIN_0_0_4)

    def close(self) -> None:
        """At shutdown: this process's live gauges no longer count in the sum."""
        folder = multiprocess_dir()
        if folder is not None:
            mark_process_dead(os.getpid(), folder)  # type: ignore[no-untyped-call]


class RequestMetrics:
    """`{prefix}_requests_total` by `labels` (some of method, route and status) and
    `{prefix}_request_duration_seconds` by route."""

    def __init__(
        self, registry: Registry, prefix: str, labels: Sequence[str], help_text: str
    ) -> None:
        self.labels = tuple(labels)
        self.requests = registry.counter(f"{prefix}_requests_total", help_text, self.labels)
        self.latency = registry.histogram(
            f"{prefix}_request_duration_seconds", "Request latency by route.", ("route",)
        )

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        route = route_template_of(scope)
        values = {"method": str(scope.get("method", "")), "route": route, "status": str(status)}
        self.requests.labels(*(values[name] for name in self.labels)).inc()
        self.latency.labels(route).observe(seconds)
