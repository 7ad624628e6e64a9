"""The built images: budgets and forbidden contents (image-audit), non-root, labels,
health checks, and an entry-point smoke run with a read-only root filesystem."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from imageaudit.cli import main as image_audit
from tests.docker.images import (
    API_IMAGE,
    BASE_IMAGE,
    ML_IMAGE,
    docker,
    inspect,
    last_base_layer,
    requires_images,
)
from tests.http_server import free_port

pytestmark = [pytest.mark.docker, requires_images]
ROOT = Path(__file__).parents[2]
BUDGETS = ROOT / "docker" / "budgets"


@pytest.mark.parametrize(("image", "budget"), [(API_IMAGE, "api-core"), (ML_IMAGE, "ml-inference")])
def test_image_is_within_budget_with_no_forbidden_contents(
    image: str, budget: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.json"
    args = ["--docker", image, "--base-diff-id", last_base_layer()]
    code = image_audit([*args, "--budget", str(BUDGETS / f"{budget}.toml")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert image_audit([*args, "--json", "-o", str(report)]) == 0
    data = json.loads(report.read_text())
    ids = {f["id"] for f in data["findings"]}
    forbidden = {
        "runs-as-root",
        "build-tools",
        "dev-packages",
        "package-cache",
        "apt-cache",
        "package-managers",
        "dev-dependencies",
        "cuda-without-gpu",
        "app-tests",
        "app-scripts",
        "secret-files",
        "torch-extras",
        "unsafe-paths",
        "interpreter-tests",
        "wheel-files",
        "broken-console-scripts",
        "library-headers",
    }
    assert not ids & forbidden, ids


@pytest.mark.parametrize("image", [API_IMAGE, ML_IMAGE])
def test_image_config_runs_as_non_root_with_healthcheck_and_labels(image: str) -> None:
    config = inspect(image)["Config"]
    assert isinstance(config, dict)
    assert config["User"] == "999:999"
    assert config["Healthcheck"]["Test"][0] == "CMD"
    assert "curl" not in " ".join(config["Healthcheck"]["Test"])
    assert config["Labels"]["org.opencontainers.image.licenses"] == "Apache-2.0"
    assert config["Cmd"][0] == "truthgraph"


@pytest.mark.parametrize("image", [API_IMAGE, ML_IMAGE])
def test_image_labels_are_its_own_not_the_base_images(image: str) -> None:
    labels = inspect(image)["Config"]["Labels"]  # type: ignore[index]
    base = inspect(BASE_IMAGE)["Config"]["Labels"]  # type: ignore[index]
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=Path(__file__).parent
    ).stdout.strip()
    assert labels["org.opencontainers.image.revision"].removesuffix("-dirty") == head
    assert labels["org.opencontainers.image.source"] not in ("", "unknown")
    created = labels["org.opencontainers.image.created"]
    assert created != base.get("org.opencontainers.image.created")
    assert datetime.fromisoformat(created.replace("Z", "+00:00"))
    assert labels["org.opencontainers.image.base.name"] == BASE_IMAGE


@pytest.mark.parametrize("image", [API_IMAGE, ML_IMAGE])
def test_no_unused_python_leftovers(image: str) -> None:
    script = (
        "import importlib.util as u, os, pathlib, sys\n"
        "print([m for m in ('imageaudit', 'test') if u.find_spec(m)])\n"
        "print(sorted(p.name for p in pathlib.Path('/opt/venv/bin').iterdir()))\n"
        "print([p for p in ('/usr/share/python-wheels', sys.prefix + '/include') "
        "if os.path.exists(p)])\n"
    )
    found, scripts, paths = docker(
        "run", "--rm", "--network", "none", image, "python", "-c", script
    ).splitlines()
    assert found == "[]" and paths == "[]"
    for leftover in ("image-audit", "f2py", "numpy-config", "onnxruntime_test"):
        assert f"'{leftover}'" not in scripts


def test_check_standins_leaves_no_volume() -> None:
    before = set(docker("volume", "ls", "-q").split())
    done = subprocess.run(
        [str(ROOT / "scripts/ci/check-standins.sh"), "--no-pip"],
        env={**os.environ, "CHECK_PGPORT": str(free_port())},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert set(docker("volume", "ls", "-q").split()) - before == set()


@pytest.mark.parametrize("image", [API_IMAGE, ML_IMAGE])
def test_entry_point_runs_read_only_and_non_root(image: str) -> None:
    out = docker(
        "run",
        "--rm",
        "--network",
        "none",
        "--read-only",
        image,
        "sh",
        "-c",
        "id -u && truthgraph --help",
    )
    uid, help_text = out.split("\n", 1)
    assert uid == "999"
    assert "verify" in help_text


def test_core_image_has_no_ml_stack() -> None:
    code = docker(
        "run",
        "--rm",
        "--network",
        "none",
        API_IMAGE,
        "python",
        "-c",
        "import importlib.util as u; print([m for m in ('numpy', 'onnxruntime', "
        "'tokenizers', 'torch') if u.find_spec(m)])",
    )
    assert code.strip() == "[]"
