"""Rendering and checking the Kubernetes manifests of deploy/k8s (no cluster needed)."""

from __future__ import annotations

import importlib.util
import json
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("dev", "prod")
# The oldest Kubernetes minor these manifests promise to work on, and the newest one the
# validator's bundled schemas know.
KUBERNETES_VERSIONS = ("1.30", "1.37")
# Custom resources, validated against a schema kept in deploy/k8s/schemas.
CRD_SCHEMAS = {("postgresql.cnpg.io/v1", "Cluster"): "cluster-postgresql-v1.json"}

Manifest = dict[str, Any]


@cache
def renderer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("k8s_render", K8S / "render.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["k8s_render"] = module
    spec.loader.exec_module(module)
    return module


def render(overlay: str) -> list[Manifest]:
    objects: list[Manifest] = renderer().render(K8S / "overlays" / overlay)
    return objects


def crd_schema(obj: Manifest) -> dict[str, Any] | None:
    name = CRD_SCHEMAS.get((obj["apiVersion"], obj["kind"]))
    if name is None:
        return None
    schema: dict[str, Any] = json.loads((K8S / "schemas" / name).read_text(encoding="utf-8"))
    return schema


def schema_errors(obj: Manifest) -> list[str]:
    """Every reason `obj` breaks its schema, for each Kubernetes version checked."""
    import jsonschema
    import kubernetes_validate
    from kubernetes_validate.utils import SchemaNotFoundError

    label = f"{obj['kind']}/{obj['metadata'].get('name')}"
    schema = crd_schema(obj)
    if schema is not None:
        validator = jsonschema.Draft202012Validator(schema)
        return [f"{label}: {e.json_path}: {e.message}" for e in validator.iter_errors(obj)]
    errors = []
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            errors.append(f"{label} (Kubernetes {version}): {exc.json_path}: {exc.message}")
        except SchemaNotFoundError as exc:
            errors.append(f"{label}: {exc.message}")
    return errors


def find(objects: list[Manifest], kind: str, name: str) -> Manifest:
    found = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]
