"""The committed OpenAPI snapshots match what both services publish: an API change
fails here until the snapshot is regenerated, so it is reviewed in the diff."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from truthgraph.config import Settings

ROOT = Path(__file__).resolve().parents[1]
REGENERATE = "python scripts/docs/openapi_snapshot.py"


def _snapshot_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "openapi_snapshot", ROOT / "scripts" / "docs" / "openapi_snapshot.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _snapshot_script()


def _differences(old: Any, new: Any, where: str = "") -> list[str]:
    """Where two JSON documents differ, as paths (at most a few, for the message)."""
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(set(old) | set(new), key=str):
            if key not in old or key not in new:
                found.append(f"{where}[{key!r}] {'added' if key in new else 'removed'}")
            else:
                found += _differences(old[key], new[key], f"{where}[{key!r}]")
        return found
    return [] if old == new else [f"{where} changed"]


@pytest.fixture(scope="module")
def published() -> dict[str, dict[str, Any]]:
    """Under the default settings, whatever the environment sets."""
    with pytest.MonkeyPatch.context() as env:
        for name in [n for n in os.environ if n.startswith("TRUTHGRAPH_")]:
            env.delenv(name)
        contracts: dict[str, dict[str, Any]] = SCRIPT.contracts(Settings())
    return contracts


@pytest.mark.parametrize("service", ["core", "ml"])
def test_the_published_contract_matches_the_snapshot(
    service: str, published: dict[str, dict[str, Any]]
) -> None:
    path: Path = SCRIPT.SNAPSHOTS[service]
    committed = json.loads(path.read_text(encoding="utf-8"))
    changes = _differences(committed, published[service])
    assert not changes, (
        f"the {service} API differs from {path.name} at {changes[:5]}; "
        f"after reviewing the change, run: {REGENERATE}"
    )
    assert path.read_text(encoding="utf-8") == SCRIPT.render(published[service]), REGENERATE


def test_a_changed_contract_is_reported_where_it_changed() -> None:
    old = {"paths": {"/v1/verify": {"post": {"summary": "Verify"}}}}
    new = {"paths": {"/v1/verify": {"post": {"summary": "Check"}}, "/v1/x": {}}}
    assert _differences(old, new) == [
        "['paths']['/v1/verify']['post']['summary'] changed",
        "['paths']['/v1/x'] added",
    ]
