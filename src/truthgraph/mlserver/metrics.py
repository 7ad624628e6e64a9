"""What the ml-inference service counts, on the shared registry (web/metrics.py)."""

from __future__ import annotations

from truthgraph.web.metrics import Registry, RequestMetrics

TASKS = ("embed", "nli")


class MLMetrics:
    def __init__(self) -> None:
        self.registry = Registry()
        self.http = RequestMetrics(
            self.registry, "truthgraph_ml", ("route", "status"), "Requests by route and status."
        )
        self.items = self.registry.counter(
            "truthgraph_ml_items_total", "Texts or pairs processed, by task.", ("task",)
        )
        self.queue_depth = self.registry.gauge(
            "truthgraph_ml_queue_depth", "Requests waiting for a model call, by task.", ("task",)
        )
        self.batches = self.registry.counter(
            "truthgraph_ml_batches_total", "Model calls, by task.", ("task",)
        )
        for task in TASKS:  # every series from the first scrape, at zero
            self.items.labels(task)
            self.queue_depth.labels(task)
            self.batches.labels(task)
