"""Finding model directories: an explicit path, the local cache, or the offline bundle
that ships inside the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from truthgraph.inference.manifest import MANIFEST_NAME, ModelFormatError

BUNDLED_PREFIX = "bundled:"


def bundle_dir() -> Path:
    return Path(str(resources.files("truthgraph") / "bundle"))


def bundled_models() -> list[Path]:
    root = bundle_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / MANIFEST_NAME).is_file())


def resolve_model(spec: str, *, cache: Path) -> Path:
    """Turn a model setting into a directory. Order: `bundled:NAME`, an existing path,
    a folder of that name in the local cache (where `models pull`/`export` write)."""
    if spec.startswith(BUNDLED_PREFIX):
        path = bundle_dir() / spec.removeprefix(BUNDLED_PREFIX)
        if (path / MANIFEST_NAME).is_file():
            return path
        available = ", ".join(BUNDLED_PREFIX + p.name for p in bundled_models()) or "none"
        raise ModelFormatError(f"no bundled model {spec!r} (available: {available})")
    candidate = Path(spec).expanduser()
    if (candidate / MANIFEST_NAME).is_file():
        return candidate
    cached = cache / spec.replace("/", "--")
    if (cached / MANIFEST_NAME).is_file():
        return cached
    raise ModelFormatError(
        f"model {spec!r} not found as a directory or in the cache {cache}; "
        "set a model directory path or a bundled:NAME model"
    )
