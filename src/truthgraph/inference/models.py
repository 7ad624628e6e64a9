"""Finding model directories: an explicit path, the local cache, a pull from the
Hugging Face hub (only when the caller allows it), or the offline bundle that ships
inside the package."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from truthgraph.inference.manifest import MANIFEST_NAME, ModelFormatError

BUNDLED_PREFIX = "bundled:"
HUB_PREFIX = "hub:"
# "org/name" (or a bare legacy "name"): letters, digits, "-", "_" and "." only, so a
# repo id can never climb out of the cache folder it maps to.
REPO_ID = re.compile(r"(?!\.)[\w.-]+(/(?!\.)[\w.-]+)?")


def bundle_dir() -> Path:
    return Path(str(resources.files("truthgraph") / "bundle"))


def bundled_models() -> list[Path]:
    root = bundle_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / MANIFEST_NAME).is_file())


def cache_folder(cache: Path, repo_id: str) -> Path:
    """Where a hub repo lives in the local cache: "org/name" becomes "org--name"."""
    return cache / repo_id.replace("/", "--")


def is_repo_id(spec: str) -> bool:
    return REPO_ID.fullmatch(spec) is not None and ".." not in spec


def resolve_model(spec: str, *, cache: Path, allow_pull: bool = False) -> Path:
    """Turn a model setting into a directory. Order: `bundled:NAME`, an existing path,
    a folder of that name in the local cache (where `models pull`/`export` write), then,
    only with `allow_pull`, a pull from the hub of `hub:ORG/NAME` or a bare `ORG/NAME`."""
    if spec.startswith(BUNDLED_PREFIX):
        path = bundle_dir() / spec.removeprefix(BUNDLED_PREFIX)
        if (path / MANIFEST_NAME).is_file():
            return path
        available = ", ".join(BUNDLED_PREFIX + p.name for p in bundled_models()) or "none"
        raise ModelFormatError(f"no bundled model {spec!r} (available: {available})")
    if spec.startswith(HUB_PREFIX):
        return _resolve_hub(spec.removeprefix(HUB_PREFIX), cache=cache, allow_pull=allow_pull)
    candidate = Path(spec).expanduser()
    if (candidate / MANIFEST_NAME).is_file():
        return candidate
    cached = cache / spec.replace("/", "--")
    if (cached / MANIFEST_NAME).is_file():
        return cached
    if allow_pull and is_repo_id(spec) and "/" in spec:
        return _pull(spec, cache)
    raise ModelFormatError(
        f"model {spec!r} not found as a directory or in the cache {cache}; "
        "set a model directory path or a bundled:NAME model"
    )


def _resolve_hub(repo_id: str, *, cache: Path, allow_pull: bool) -> Path:
    if not is_repo_id(repo_id):
        raise ModelFormatError(f"{HUB_PREFIX}{repo_id!r} is not a hub repo id (ORG/NAME)")
    cached = cache_folder(cache, repo_id)
    if (cached / MANIFEST_NAME).is_file():
        return cached
    if allow_pull:
        return _pull(repo_id, cache)
    raise ModelFormatError(
        f"model {HUB_PREFIX}{repo_id} is not in the cache {cache}; "
        f"run `truthgraph models pull {repo_id}` first"
    )


def _pull(repo_id: str, cache: Path) -> Path:
    # Imported here: the hub client and its dependencies load only when a pull happens.
    from truthgraph.inference.hub import pull_model

    return pull_model(repo_id, cache=cache).path
