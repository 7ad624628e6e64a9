"""Checks against real images; need a Docker engine.

IMAGEAUDIT_TEST_IMAGE: a local image built on this engine (with BuildKit, or the classic
builder) FROM a base also built here; totals and per-layer sizes must equal Docker's own
numbers (classic image store). IMAGEAUDIT_BLOATED_IMAGE: an image built from
fixtures/bloated.Dockerfile. Without either, only the `docker load` check runs: it loads a
small synthetic image under a unique tag and removes it again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from builders import (
    ACCOUNTING_FIRST,
    ACCOUNTING_LINK_BYTES,
    ACCOUNTING_SECOND,
    Image,
    write_docker_save,
)

from imageaudit.analysis import BUILDKIT_COMMENT
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


def _docker_sizes(image: str) -> tuple[int, list[int]]:
    """`docker image inspect` .Size and the non-zero `docker history` sizes, oldest first."""
    total = int(_docker("image", "inspect", "-f", "{{.Size}}", image).strip())
    # One row per history entry, newest first (empty ones show 0); --human=false: bytes.
    rows = _docker("history", "--no-trunc", "--human=false", "--format", "{{.Size}}", image)
    return total, [int(row) for row in reversed(rows.split()) if int(row)]


def _assert_matches(doc: dict[str, Any], image: str) -> None:
    total, layers = _docker_sizes(image)
    assert doc["sizes"]["total"] == total, (doc["sizes"], total)
    assert [layer["size"] for layer in doc["layers"] if layer["size"]] == layers


def test_sizes_match_docker(tmp_path: Path) -> None:
    image = os.environ.get("IMAGEAUDIT_TEST_IMAGE")
    if not image:
        pytest.skip("set IMAGEAUDIT_TEST_IMAGE to a local image built on this engine")
    # With the classic (graph driver) image store, .Size is the sum of the layer sizes: a
    # layer BuildKit built here counts its regular files, one the classic builder made
    # counts its symlinks too (image-audit tells them apart by their history).
    _require_classic_store()
    _assert_matches(_report(image, tmp_path), image)


def test_loaded_image_matches_docker(tmp_path: Path) -> None:
    """Layers that `docker load` unpacks count their symlinks, whatever the history says."""
    _require_classic_store()
    tag = f"imageaudit-test/loaded:{uuid.uuid4().hex[:12]}"
    plain = [{"created_by": "ADD l1.tar /"}, {"created_by": "ADD l2.tar /"}]
    buildkit = [dict(entry, comment=BUILDKIT_COMMENT) for entry in plain]
    images = {tag: plain, tag + "-buildkit": buildkit}
    loaded = []
    try:
        for name, history in images.items():
            archive = tmp_path / f"{len(loaded)}.tar"
            write_docker_save(
                archive, Image([ACCOUNTING_FIRST, ACCOUNTING_SECOND], history=history), tag=name
            )
            _docker("load", "-i", str(archive))
            loaded.append(name)
        # No BuildKit history: taken as unpacked, as Docker did.
        _assert_matches(_report(tag, tmp_path), tag)
        # BuildKit history, but loaded: only --unpacked-layers all matches Docker.
        other = tag + "-buildkit"
        total, _ = _docker_sizes(other)
        assert _report(other, tmp_path)["sizes"]["total"] == total - sum(ACCOUNTING_LINK_BYTES)
        _assert_matches(_report(other, tmp_path, "--unpacked-layers", "all"), other)
    finally:
        for name in loaded:
            subprocess.run(["docker", "rmi", name], capture_output=True, check=False)


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
