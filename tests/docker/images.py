"""Which images the Docker tests use: built by .ci/run (scripts/ci/build-images.sh)
and named in the environment; without them the Docker tests skip."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

DOCKER = "/usr/bin/docker"
API_IMAGE = os.environ.get("TRUTHGRAPH_TEST_API_IMAGE", "")
ML_IMAGE = os.environ.get("TRUTHGRAPH_TEST_ML_IMAGE", "")
BASE_IMAGE = os.environ.get("TRUTHGRAPH_TEST_BASE_IMAGE", "")
PG_IMAGE = os.environ.get("TRUTHGRAPH_TEST_PG_IMAGE", "")


def docker(*args: str, check: bool = True, timeout: float = 300) -> str:
    done = subprocess.run([DOCKER, *args], capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def inspect(image: str) -> dict[str, object]:
    data: list[dict[str, object]] = json.loads(docker("image", "inspect", image))
    return data[0]


def last_base_layer() -> str:
    layers = inspect(BASE_IMAGE)["RootFS"]
    assert isinstance(layers, dict)
    return str(layers["Layers"][-1])


requires_images = pytest.mark.skipif(
    not (API_IMAGE and ML_IMAGE and BASE_IMAGE and shutil.which(DOCKER)),
    reason="set TRUTHGRAPH_TEST_{API,ML,BASE}_IMAGE (CI builds them) to run",
)
