"""What machine a benchmark or a model build (scripts/models) ran on, recorded with every
result."""

from __future__ import annotations

import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float:
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return 0.0


def versions(*packages: str) -> dict[str, str]:
    found = {}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def machine_info(*packages: str) -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(),
        "memory_gib": memory_gib(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": versions(*packages),
    }


def command_line() -> str:
    return " ".join(["python", *sys.argv])


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile, q in 0..100."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def emit(result: dict[str, Any], out: Path | None, markdown: str | None = None) -> None:
    """Print the result as JSON; with `out`, also write OUT.json (and OUT.md)."""
    text = json.dumps(result, indent=2)
    sys.stdout.write(text + "\n")
    if out is not None:
        out.with_suffix(".json").write_text(text + "\n", encoding="utf-8")
        if markdown is not None:
            out.with_suffix(".md").write_text(markdown, encoding="utf-8")
