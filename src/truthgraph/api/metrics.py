"""What the core API counts, on the shared registry (web/metrics.py)."""

from __future__ import annotations

from truthgraph.web.metrics import Registry, RequestMetrics


class ApiMetrics:
    def __init__(self) -> None:
        self.registry = Registry()
        self.http = RequestMetrics(
            self.registry,
            "truthgraph_http",
            ("method", "route", "status"),
            "HTTP requests by method, route and status.",
        )
        self._verifications = self.registry.counter(
            "truthgraph_verifications_total", "Claims verified, by verdict.", ("verdict",)
        )
        self._passages = self.registry.counter(
            "truthgraph_ingested_passages_total", "Passages stored."
        )

    def verified(self, verdict: str) -> None:
        self._verifications.labels(verdict).inc()

    def stored_passages(self, count: int) -> None:
        self._passages.inc(count)
