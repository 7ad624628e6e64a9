"""One set of image names and tags: the build script, both compose files and the docs
agree, and every variable the compose files read is documented."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.docker.images import image_tag, inspect, requires_images

ROOT = Path(__file__).parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
COMPOSE_FILES = ("compose.yaml", "compose.prod.yaml")
EXPECTED = {
    "postgres": "${POSTGRES_IMAGE:-pgvector/pgvector:pg17}",
    "migrate": f"truthgraph/api-core:${{TRUTHGRAPH_IMAGE_TAG:-{VERSION}}}",
    "api-core": f"truthgraph/api-core:${{TRUTHGRAPH_IMAGE_TAG:-{VERSION}}}",
    "ml-inference": f"truthgraph/ml-inference:${{TRUTHGRAPH_IMAGE_TAG:-{VERSION}}}",
}
DOCS = ("README.md", "docs/deployment.md", "docs/airgapped-builds.md", "docs/images.md")


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_compose_files_name_the_images_alike(name: str) -> None:
    spec = yaml.safe_load((ROOT / name).read_text())
    assert {s: v["image"] for s, v in spec["services"].items()} == EXPECTED


def test_the_build_script_tags_what_compose_runs() -> None:
    script = (ROOT / "scripts/ci/build-images.sh").read_text()
    assert "TAG=${TRUTHGRAPH_IMAGE_TAG:-$VERSION}" in script
    assert '-t "truthgraph/$image:$TAG"' in script
    assert "export TRUTHGRAPH_IMAGE_TAG=$TAG" in script
    assert "export POSTGRES_IMAGE=" in script


def test_docs_use_the_same_names_and_variables() -> None:
    text = "\n".join((ROOT / doc).read_text() for doc in DOCS)
    assert "PGVECTOR_IMAGE" not in text
    tags = set(re.findall(r"truthgraph/(?:api-core|ml-inference):([\w.${}:-]+)", text))
    assert tags <= {VERSION, "TAG", "${TRUTHGRAPH_IMAGE_TAG}", "${TRUTHGRAPH_IMAGE_TAG:-0.1.0}"}


def test_every_compose_variable_is_documented() -> None:
    deployment = (ROOT / "docs/deployment.md").read_text()
    for name in COMPOSE_FILES:
        text = (ROOT / name).read_text()
        for variable in set(re.findall(r"(?<!\$)\$\{(\w+)", text)):
            assert f"| `{variable}` |" in deployment, f"{name}: {variable} undocumented"


@pytest.mark.docker
@requires_images
def test_compose_resolves_to_the_built_images() -> None:
    tag = image_tag()
    for name in COMPOSE_FILES:
        done = subprocess.run(
            ["docker-compose", "-f", str(ROOT / name), "config"],
            env={"TRUTHGRAPH_IMAGE_TAG": tag, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr
        images = {s["image"] for s in yaml.safe_load(done.stdout)["services"].values()}
        for image in images - {"pgvector/pgvector:pg17"}:
            assert inspect(image)["Id"], image
