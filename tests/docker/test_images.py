"""The built images: budgets and forbidden contents (image-audit), non-root, labels,
health checks, and an entry-point smoke run with a read-only root filesystem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imageaudit.cli import main as image_audit
from tests.docker.images import (
    API_IMAGE,
    ML_IMAGE,
    docker,
    inspect,
    last_base_layer,
    requires_images,
)

pytestmark = [pytest.mark.docker, requires_images]
BUDGETS = Path(__file__).parents[2] / "docker" / "budgets"


@pytest.mark.parametrize(
    ("image", "budget"), [(API_IMAGE, "api-core"), (ML_IMAGE, "ml-inference")]
)
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
    forbidden = {"runs-as-root", "build-tools", "dev-packages", "package-cache", "apt-cache",
                 "package-managers", "dev-dependencies", "cuda-without-gpu", "app-tests",
                 "app-scripts", "secret-files", "torch-extras", "unsafe-paths"}
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
def test_entry_point_runs_read_only_and_non_root(image: str) -> None:
    out = docker("run", "--rm", "--network", "none", "--read-only", image,
                 "sh", "-c", "id -u && truthgraph --help")
    uid, help_text = out.split("\n", 1)
    assert uid == "999"
    assert "verify" in help_text


def test_core_image_has_no_ml_stack() -> None:
    code = docker("run", "--rm", "--network", "none", API_IMAGE, "python", "-c",
                  "import importlib.util as u; print([m for m in ('numpy', 'onnxruntime', "
                  "'tokenizers', 'torch') if u.find_spec(m)])")
    assert code.strip() == "[]"
