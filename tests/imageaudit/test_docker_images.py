"""Checks against real images; need a Docker engine and are opt-in via environment variables.

IMAGEAUDIT_TEST_IMAGE: any local image; totals and per-layer sizes must equal Docker's own
numbers (classic image store). IMAGEAUDIT_BLOATED_IMAGE: an image built from
fixtures/bloated.Dockerfile.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from imageaudit.cli import main

pytestmark = pytest.mark.docker


def _docker(*args: str) -> str:
    if shutil.which("docker") is None:
        pytest.skip("docker CLI not available")
    proc = subprocess.run(["docker", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"docker {args[0]} failed: {proc.stderr.strip()[:200]}")
    return proc.stdout


def _report(image: str, tmp_path: Path, *extra: str) -> dict[str, Any]:
    out = tmp_path / "report.json"
    rc = main(["--docker", image, "--json", "-o", str(out), *extra])
    assert rc == 0
    doc: dict[str, Any] = json.loads(out.read_text())
    return doc


def _require_classic_store() -> None:
    # The containerd image store sizes images differently (compressed content, snapshots).
    if "io.containerd.snapshotter" in _docker("info", "-f", "{{json .DriverStatus}}"):
        pytest.skip("the engine uses the containerd image store")


def _close(actual: int, expected: int) -> bool:
    # Measured on api-core with the classic store: 17.5 kB (0.02 %) more than Docker
    # in the imported base layer, not yet explained; exact equality is not claimed.
    return abs(actual - expected) <= max(0.001 * expected, 4096)


def test_sizes_match_docker(tmp_path: Path) -> None:
    image = os.environ.get("IMAGEAUDIT_TEST_IMAGE")
    if not image:
        pytest.skip("set IMAGEAUDIT_TEST_IMAGE to a local image")
    # With the classic (graph driver) image store, .Size is the sum of the unpacked layer
    # sizes, symlink target lengths included; compare the layers as well.
    _require_classic_store()
    expected_total = int(_docker("image", "inspect", "-f", "{{.Size}}", image).strip())
    doc = _report(image, tmp_path)
    assert _close(doc["sizes"]["total"], expected_total), (doc["sizes"], expected_total)
    # `docker history` lists newest first, one row per history entry (empty ones show 0);
    # --human=false makes .Size plain bytes.
    rows = _docker(
        "history", "--no-trunc", "--human=false", "--format", "{{.Size}}\t{{.CreatedBy}}", image
    ).splitlines()
    sizes = [int(row.split("\t", 1)[0]) for row in reversed(rows)]
    ours = [layer["size"] for layer in doc["layers"]]
    non_empty = [s for s in sizes if s > 0]
    assert len(non_empty) <= len(ours)
    assert all(_close(a, b) for a, b in zip([s for s in ours if s > 0], non_empty, strict=True))


def test_bloated_image_findings(tmp_path: Path) -> None:
    image = os.environ.get("IMAGEAUDIT_BLOATED_IMAGE")
    if not image:
        pytest.skip("set IMAGEAUDIT_BLOATED_IMAGE to an image built from bloated.Dockerfile")
    doc = _report(image, tmp_path)
    found = {f["id"]: f for f in doc["findings"]}
    assert "/app/tests/" in " ".join(found["app-tests"]["evidence"])
    assert "/app/scripts/" in " ".join(found["app-scripts"]["evidence"])
    assert found["build-tools"]["severity"] == "high"
    assert any("gcc" in ev for ev in found["build-tools"]["evidence"])
    assert found["package-cache"]["bytes"] > 0
    assert "/root/.cache/pip/" in " ".join(found["package-cache"]["evidence"])
    assert "pytest" in " ".join(found["dev-dependencies"]["evidence"])
    assert "runs-as-root" in found
    assert found["apt-cache"]["bytes"] > 0
    assert doc["sizes"]["projected"] < doc["sizes"]["total"]
