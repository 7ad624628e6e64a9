"""Render a Kustomize overlay of this folder without the kustomize binary, for CI.

Only the parts of Kustomize these manifests use are implemented, and any other field in
a kustomization.yaml is an error (so an overlay cannot silently rely on something this
renderer ignores):

- `resources`: YAML files (several documents each) and folders with a kustomization.yaml;
- `namespace`: set on every namespaced object;
- `labels` with `pairs`: added to each object's metadata.labels (not to selectors or pod
  templates, as Kustomize does without includeSelectors/includeTemplates);
- `images` with `newName`, `newTag` or `digest`: rewrite matching container images;
- `patches` with `path`: strategic merge patches, matched by kind and name; lists of
  containers, init containers, volumes and env entries merge by `name`, volume mounts by
  `mountPath`; any other list is replaced, as with the Kubernetes API's merge keys.

On a cluster, `kubectl apply -k deploy/k8s/overlays/prod` renders the same objects.

    python deploy/k8s/render.py deploy/k8s/overlays/dev > dev.yaml
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path
from typing import Any

import yaml

Manifest = dict[str, Any]

KNOWN_FIELDS = frozenset(
    {"apiVersion", "kind", "namespace", "labels", "resources", "images", "patches"}
)
# Objects without a namespace, among the kinds these manifests could hold.
CLUSTER_SCOPED = frozenset(
    {
        "Namespace",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "PersistentVolume",
        "StorageClass",
        "PriorityClass",
    }
)
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "volumes": "name",
    "env": "name",
    "volumeMounts": "mountPath",
}


class RenderError(ValueError):
    pass


def render(folder: Path) -> list[Manifest]:
    """The objects a kustomization folder stands for, in order."""
    path = folder / "kustomization.yaml"
    if not path.is_file():
        raise RenderError(f"{folder}: no kustomization.yaml")
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(spec) - KNOWN_FIELDS
    if unknown:
        raise RenderError(f"{path}: fields this renderer does not implement: {sorted(unknown)}")

    objects: list[Manifest] = []
    for entry in spec.get("resources", []):
        target = (folder / entry).resolve()
        objects += render(target) if target.is_dir() else load(target)
    for patch in spec.get("patches", []):
        if set(patch) != {"path"}:
            raise RenderError(f"{path}: only patches with a `path` are implemented: {patch}")
        for doc in load(folder / patch["path"]):
            apply_patch(objects, doc, source=folder / patch["path"])
    for label in spec.get("labels", []):
        if set(label) != {"pairs"}:
            raise RenderError(f"{path}: only labels with `pairs` are implemented: {label}")
        for obj in objects:
            obj.setdefault("metadata", {}).setdefault("labels", {}).update(label["pairs"])
    for image in spec.get("images", []):
        for obj in objects:
            set_image(obj, image)
    if "namespace" in spec:
        for obj in objects:
            if obj["kind"] not in CLUSTER_SCOPED:
                obj["metadata"]["namespace"] = spec["namespace"]
    return objects


def load(path: Path) -> list[Manifest]:
    docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
    for doc in docs:
        if not isinstance(doc, dict) or not {"apiVersion", "kind", "metadata"} <= set(doc):
            raise RenderError(f"{path}: every document needs apiVersion, kind and metadata")
    return docs


def _group(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def apply_patch(objects: list[Manifest], patch: Manifest, *, source: Path) -> None:
    name = patch["metadata"]["name"]
    matches = [
        obj
        for obj in objects
        if obj["kind"] == patch["kind"]
        and obj["metadata"]["name"] == name
        and _group(obj["apiVersion"]) == _group(patch["apiVersion"])
    ]
    if len(matches) != 1:
        raise RenderError(f"{source}: patch for {patch['kind']}/{name} matches {len(matches)}")
    merged = merge(matches[0], patch)
    matches[0].clear()
    matches[0].update(merged)


def merge(base: Any, patch: Any, key: str = "") -> Any:
    """A strategic merge of `patch` into a copy of `base`."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = copy.deepcopy(base)
        for field, value in patch.items():
            if value is None:
                out.pop(field, None)  # `field: null` deletes, as in a merge patch
            elif field in out:
                out[field] = merge(out[field], value, field)
            else:
                out[field] = copy.deepcopy(value)
        return out
    merge_key = MERGE_KEYS.get(key)
    if isinstance(base, list) and isinstance(patch, list) and merge_key:
        out_list = copy.deepcopy(base)
        index = {item.get(merge_key): i for i, item in enumerate(out_list)}
        for item in patch:
            at = index.get(item.get(merge_key))
            if at is None:
                out_list.append(copy.deepcopy(item))
            else:
                out_list[at] = merge(out_list[at], item)
        return out_list
    return copy.deepcopy(patch)


def pod_spec(obj: Manifest) -> Manifest | None:
    """The pod template's spec of a workload object, if it is one."""
    spec = obj.get("spec", {})
    if obj["kind"] == "CronJob":
        spec = spec.get("jobTemplate", {}).get("spec", {})
    template = spec.get("template")
    if obj["kind"] == "Pod":
        return spec if isinstance(spec, dict) else None
    if isinstance(template, dict):
        inner = template.get("spec")
        return inner if isinstance(inner, dict) else None
    return None


def split_image(image: str) -> tuple[str, str, str]:
    """(name, tag, digest) of an image reference; a port in the registry is no tag."""
    name, _, digest = image.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon + 1 :], digest
    return name, "", digest


def set_image(obj: Manifest, rule: Manifest) -> None:
    spec = pod_spec(obj)
    if spec is None:
        return
    for container in spec.get("initContainers", []) + spec.get("containers", []):
        name, tag, digest = split_image(container["image"])
        if name != rule["name"]:
            continue
        name = rule.get("newName", name)
        tag = str(rule.get("newTag", tag))
        digest = rule.get("digest", digest)
        container["image"] = name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a folder with a kustomization.yaml")
    args = parser.parse_args()
    try:
        objects = render(args.folder)
    except RenderError as exc:
        sys.exit(f"render: {exc}")
    sys.stdout.write(yaml.safe_dump_all(objects, sort_keys=False))


if __name__ == "__main__":
    main()
