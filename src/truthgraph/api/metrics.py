"""A small Prometheus registry: counters and histograms in the text exposition format.

Hand-written to keep the core image free of another dependency; it covers exactly
what the API reports.
"""

from __future__ import annotations

import threading
from collections import defaultdict

from starlette.requests import Request
from starlette.types import Scope

Labels = tuple[tuple[str, str], ...]
DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def route_template(request: Request) -> str:
    """The matched path template ("/v1/jobs/{job_id}"), not the raw path: label sets
    stay small however many ids clients send."""
    return route_template_of(request.scope)


def route_template_of(scope: Scope) -> str:
    return str(getattr(scope.get("route"), "path", "unmatched"))


def _labels(labels: Labels, extra: str = "") -> str:
    parts = [f'{k}="{_escape(v)}"' for k, v in labels]
    if extra:
        parts.append(extra)
    return "{" + ",".join(parts) + "}" if parts else ""


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


class Counter:
    def __init__(self, name: str, help_text: str) -> None:
        self.name, self.help = name, help_text
        self._values: dict[Labels, float] = defaultdict(float)
        self._lock = threading.Lock()

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        with self._lock:
            self._values[tuple(sorted(labels.items()))] += amount

    def render(self) -> list[str]:
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} counter"]
        with self._lock:
            lines += [f"{self.name}{_labels(k)} {v:g}" for k, v in sorted(self._values.items())]
        return lines


class Histogram:
    def __init__(self, name: str, help_text: str, buckets: tuple[float, ...] = DEFAULT_BUCKETS):
        self.name, self.help, self.buckets = name, help_text, buckets
        self._counts: dict[Labels, list[int]] = {}
        self._sums: dict[Labels, float] = defaultdict(float)
        self._lock = threading.Lock()

    def observe(self, value: float, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        with self._lock:
            counts = self._counts.setdefault(key, [0] * (len(self.buckets) + 1))
            for index, bound in enumerate(self.buckets):
                if value <= bound:
                    counts[index] += 1
            counts[-1] += 1
            self._sums[key] += value

    def render(self) -> list[str]:
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} histogram"]
        with self._lock:
            for key, counts in sorted(self._counts.items()):
                bounds = [f"{bound:g}" for bound in self.buckets] + ["+Inf"]
                for bound_text, count in zip(bounds, counts, strict=True):
                    le = 'le="' + bound_text + '"'
                    lines.append(f"{self.name}_bucket{_labels(key, le)} {count}")
                lines.append(f"{self.name}_sum{_labels(key)} {self._sums[key]:g}")
                lines.append(f"{self.name}_count{_labels(key)} {counts[-1]}")
        return lines


class Metrics:
    def __init__(self) -> None:
        self.requests = Counter("truthgraph_http_requests_total", "HTTP requests by route.")
        self.latency = Histogram(
            "truthgraph_http_request_duration_seconds", "HTTP request latency by route."
        )
        self.verifications = Counter(
            "truthgraph_verifications_total", "Claims verified, by verdict."
        )
        self.passages = Counter("truthgraph_ingested_passages_total", "Passages stored.")

    def render(self) -> str:
        lines: list[str] = []
        for metric in (self.requests, self.latency, self.verifications, self.passages):
            lines += metric.render()
        return "\n".join(lines) + "\n"
