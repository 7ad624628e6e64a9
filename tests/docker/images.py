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


def image_tag() -> str:
    """The tag compose reads (TRUTHGRAPH_IMAGE_TAG): the tests' images must be the
    ones compose runs, truthgraph/api-core:TAG and truthgraph/ml-inference:TAG."""
    tag = API_IMAGE.rpartition(":")[2]
    assert API_IMAGE == f"truthgraph/api-core:{tag}", API_IMAGE
    assert ML_IMAGE == f"truthgraph/ml-inference:{tag}", ML_IMAGE
    return tag


def container_cpu_seconds(container: str) -> float:
    """CPU time a container's cgroup has used so far (its processes and every health
    check run in it), from cgroup v1 cpuacct or v2 cpu.stat."""
    pid = docker("inspect", "-f", "{{.State.Pid}}", container).strip()
    groups: dict[str, str] = {}
    with open(f"/proc/{pid}/cgroup") as lines:
        for line in lines:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for controller in controllers.split(",") if controllers else ["unified"]:
                groups[controller] = path
    if "cpuacct" in groups:  # cgroup v1
        mount = next(
            f"/sys/fs/cgroup/{m}"
            for m in ("cpuacct", "cpu,cpuacct")
            if os.path.isdir(f"/sys/fs/cgroup/{m}")
        )
        with open(f"{mount}{groups['cpuacct']}/cpuacct.usage") as usage_ns:
            return int(usage_ns.read()) / 1e9
    if "unified" in groups:  # cgroup v2
        with open(f"/sys/fs/cgroup{groups['unified']}/cpu.stat") as stat:
            usage = dict(row.split() for row in stat)
        return int(usage["usage_usec"]) / 1e6
    raise AssertionError(f"no CPU accounting found for container {container}")


def last_base_layer() -> str:
    layers = inspect(BASE_IMAGE)["RootFS"]
    assert isinstance(layers, dict)
    return str(layers["Layers"][-1])


requires_images = pytest.mark.skipif(
    not (API_IMAGE and ML_IMAGE and BASE_IMAGE and shutil.which(DOCKER)),
    reason="set TRUTHGRAPH_TEST_{API,ML,BASE}_IMAGE (CI builds them) to run",
)
