"""How a model setting becomes a model directory: the offline bundle, a path, or the
local cache. Resolution only looks on disk; fetching from the hub is the explicit
`truthgraph models pull` step, so starting a service never touches the network."""

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


def resolve_model(spec: str, *, cache: Path) -> Path:
    """Turn a model setting into a directory. A `bundled:NAME` setting names a model of
    the bundle and nothing else; a `hub:ORG/NAME` setting, the repo's folder in the
    cache. Any other setting is an existing model directory path, else a folder of
    that name in the cache ("org/name" read as "org--name")."""
    if spec.startswith(BUNDLED_PREFIX):
        return _bundled(spec)
    if spec.startswith(HUB_PREFIX):
        return _cached_repo(spec.removeprefix(HUB_PREFIX), cache=cache)
    candidate = Path(spec).expanduser()
    if (candidate / MANIFEST_NAME).is_file():
        return candidate
    cached = cache_folder(cache, spec)
    if (cached / MANIFEST_NAME).is_file():
        return cached
    raise ModelFormatError(
        f"model {spec!r} not found as a directory or in the cache {cache}; "
        "set a model directory path or a bundled:NAME model"
    )


def _bundled(spec: str) -> Path:
    # Only the bundle's own folders: "bundled:../x" must not reach outside it.
    wanted = spec.removeprefix(BUNDLED_PREFIX)
    path = next((p for p in bundled_models() if p.name == wanted), None)
    if path is not None:
        return path
    available = ", ".join(BUNDLED_PREFIX + p.name for p in bundled_models()) or "none"
    raise ModelFormatError(f"no bundled model {spec!r} (available: {available})")


def _cached_repo(repo_id: str, *, cache: Path) -> Path:
    if not is_repo_id(repo_id):
        raise ModelFormatError(f"{HUB_PREFIX}{repo_id!r} is not a hub repo id (ORG/NAME)")
    cached = cache_folder(cache, repo_id)
    if (cached / MANIFEST_NAME).is_file():
        return cached
    raise ModelFormatError(
        f"model {HUB_PREFIX}{repo_id} is not in the cache {cache}; "
        f"run `truthgraph models pull {repo_id}` first"
    )
