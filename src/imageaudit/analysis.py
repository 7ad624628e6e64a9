"""Run the whole analysis of one image: layers, final filesystem, packages."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

from imageaudit import archive, debian, python_dists
from imageaudit.errors import AuditError
from imageaudit.filesystem import Filesystem
from imageaudit.layers import DPKG_STATUS, OS_RELEASE, LayerStats, scan_layer

NOP_PREFIX = "/bin/sh -c #(nop) "
# The history comment BuildKit's Dockerfile frontend gives every step it builds.
BUILDKIT_COMMENT = "buildkit.dockerfile.v0"
# Which layers Docker unpacked from a tar (--unpacked-layers); see unpacked_layers().
UNPACKED_MODES = ("auto", "all", "none", "base")


@dataclass
class LayerReport:
    index: int
    member: str
    diff_id: str
    size: int
    files: int
    created_by: str
    wasted: int = 0  # bytes of this layer hidden by later layers
    label: str = ""  # created_by, or a readable name for a layer without build history
    holds_os: bool = False  # adds a dpkg status file and an os-release file
    file_bytes: int = 0  # regular files the layer holds
    symlink_bytes: int = 0  # target lengths of the symlinks it holds
    built: bool = False  # history says BuildKit built it (BUILDKIT_COMMENT)
    unpacked: bool = True  # Docker unpacked it from a tar: its symlinks count in size


@dataclass
class Folder:
    path: str
    size: int
    children: list[Folder] = field(default_factory=list)


@dataclass
class Analysis:
    source: str
    format: str
    config_digest: str
    tags: list[str]
    config: dict[str, Any]
    layers: list[LayerReport]
    fs: Filesystem
    final_size: int
    dists: list[python_dists.PythonDist]
    debs: list[debian.DebPackage]
    unsafe_paths: list[str]
    unsafe_count: int
    base_layers: int | None = None
    base_detection: str = "none"
    unpacked_mode: str = "auto"

    @property
    def total(self) -> int:
        return sum(layer.size for layer in self.layers)

    @property
    def wasted(self) -> int:
        return self.fs.wasted

    @property
    def base_size(self) -> int | None:
        if self.base_layers is None:
            return None
        return sum(layer.size for layer in self.layers[: self.base_layers])

    @property
    def runtime_config(self) -> dict[str, Any]:
        cfg = self.config.get("config")
        return cfg if isinstance(cfg, dict) else {}

    def env(self) -> dict[str, str]:
        out = {}
        for item in self.runtime_config.get("Env") or []:
            key, _, value = str(item).partition("=")
            out[key] = value
        return out

    def labels(self) -> dict[str, str]:
        labels = self.runtime_config.get("Labels") or {}
        return {str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {}

    def user(self) -> str:
        return str(self.runtime_config.get("User") or "")

    def folders(self, limit: int = 10, sub_limit: int = 5) -> list[Folder]:
        top: dict[str, int] = {}
        second: dict[str, dict[str, int]] = {}
        for path, node in self.fs.files():
            first, sep, rest = path.partition("/")
            top[first] = top.get(first, 0) + node.size
            if sep:
                child = first + "/" + rest.partition("/")[0]
                bucket = second.setdefault(first, {})
                bucket[child] = bucket.get(child, 0) + node.size
        out = []
        for name, size in sorted(top.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]:
            kids = sorted(second.get(name, {}).items(), key=lambda kv: (-kv[1], kv[0]))
            out.append(Folder("/" + name, size, [Folder("/" + p, s) for p, s in kids[:sub_limit]]))
        return out

    def largest_files(self, limit: int = 10) -> list[tuple[str, int, int]]:
        best = heapq.nlargest(limit, self.fs.files(), key=lambda item: (item[1].size, item[0]))
        return [("/" + path, node.size, node.layer) for path, node in best]


def _history(config: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """The history entry of each layer (entries without a layer skipped), {} where missing."""
    entries: list[dict[str, Any]] = [
        item
        for item in config.get("history") or []
        if isinstance(item, dict) and not item.get("empty_layer")
    ]
    return (entries + [{}] * count)[:count]


def _created_by(entry: dict[str, Any]) -> str:
    return str(entry.get("created_by", "")).removeprefix(NOP_PREFIX).strip()


def unpacked_layers(layers: list[LayerReport], mode: str, base: int | None) -> frozenset[int]:
    """The layers whose size Docker took from their unpacked files, symlinks included.

    With the classic image store (overlay2), Docker sizes a layer it unpacks from a tar
    (pull, load, import, commit, the classic builder) by walking the unpacked files:
    regular files and symlinks count their lstat size, a symlink's being the length of its
    target. A layer BuildKit builds on the engine is sized from the tar Docker writes of
    it: the sum of the tar headers' sizes, in which symlinks are 0. Nothing in an image
    says which of the two happened on a given engine, so ``auto`` takes layers whose
    history BuildKit wrote as built there and all others as unpacked; ``base`` also takes
    the base layers as unpacked (a pulled base, the rest built here), ``all`` suits an
    image that was pulled or loaded, ``none`` one built here entirely with BuildKit.
    """
    if mode == "all":
        return frozenset(layer.index for layer in layers)
    if mode == "none":
        return frozenset()
    unpacked = {layer.index for layer in layers if not layer.built}
    if mode == "base":
        unpacked.update(range(base or 0))
    elif mode != "auto":
        raise AuditError(f"--unpacked-layers must be one of {', '.join(UNPACKED_MODES)}")
    return frozenset(unpacked)


def guess_base_layers(config: dict[str, Any]) -> int | None:
    """Base images usually end with a CMD; the last one followed by more layers marks it."""
    history = [h for h in config.get("history") or [] if isinstance(h, dict)]
    non_empty_before = 0
    best: int | None = None
    for i, item in enumerate(history):
        cmd = str(item.get("created_by", "")).removeprefix(NOP_PREFIX).strip()
        if item.get("empty_layer") and cmd.startswith("CMD"):
            if any(not later.get("empty_layer") for later in history[i + 1 :]):
                best = non_empty_before
        if not item.get("empty_layer"):
            non_empty_before += 1
    return best or None


def _short_digest(ref: archive.LayerRef) -> str:
    if ref.diff_id:
        return ref.diff_id[:19]  # "sha256:" and 12 hex digits
    parts = ref.member.split("/")
    stem = parts[-2] if parts[-1] == "layer.tar" and len(parts) > 1 else parts[-1]
    return stem[:12]


def _label(ref: archive.LayerRef, created_by: str, stats: LayerStats, holds_os: bool) -> str:
    if created_by:
        return created_by
    if holds_os:
        name = stats.os_name or "operating system"
        return f"{name} root filesystem, layer {_short_digest(ref)} (no build history)"
    return f"layer {_short_digest(ref)} (no build history)"


def matching_layers(layers: list[LayerReport], base_ids: list[str]) -> int:
    """How many leading layers this image shares with a base image (by diff-id)."""
    count = 0
    for layer, base_id in zip(layers, base_ids, strict=False):
        if not layer.diff_id or layer.diff_id != base_id:
            break
        count += 1
    return count


def resolve_base(
    config: dict[str, Any],
    layers: list[LayerReport],
    base_layers: int | None,
    base_diff_id: str | None,
    base_ids: list[str] | None = None,
) -> tuple[int | None, str]:
    if base_layers is not None:
        if not 0 <= base_layers <= len(layers):
            raise AuditError(f"base layer count {base_layers} exceeds the {len(layers)} layers")
        return base_layers, "given"
    if base_diff_id:
        for layer in layers:
            if layer.diff_id == base_diff_id:
                return layer.index + 1, "given"
        raise AuditError(f"base diff-id {base_diff_id} is not a layer of this image")
    if base_ids is not None:
        shared = matching_layers(layers, base_ids)
        if not shared:
            raise AuditError("the base image shares no layers with this image")
        return shared, "base-image"
    guess = guess_base_layers(config)
    if guess is not None and guess < len(layers):
        return guess, "heuristic"
    if len(layers) > 1 and layers[0].holds_os:
        return 1, "os-layer"
    return None, "none"


def base_diff_ids(path: str) -> list[str]:
    """The layer diff-ids of a base image archive or layout (its layers are not read)."""
    with archive.open_store(path) as store:
        image = archive.load_image(store)
    ids = [ref.diff_id for ref in image.layers]
    if not ids or not all(ids):
        raise AuditError(f"base image {path} lists no layer diff-ids in its config")
    return ids


def analyse(
    path: str,
    label: str | None = None,
    base_layers: int | None = None,
    base_diff_id: str | None = None,
    base_ids: list[str] | None = None,
    unpacked: str = "auto",
) -> Analysis:
    if unpacked not in UNPACKED_MODES:
        raise AuditError(f"--unpacked-layers must be one of {', '.join(UNPACKED_MODES)}")
    fs = Filesystem()
    layers: list[LayerReport] = []
    unsafe: list[str] = []
    unsafe_count = 0
    with archive.open_store(path) as store:
        image = archive.load_image(store)
        history = _history(image.config, len(image.layers))
        for i, ref in enumerate(image.layers):
            src = archive.layer_source(store, ref)
            try:
                stats = scan_layer(src, i, fs, f"layer {ref.member}")
            except ValueError as exc:
                raise AuditError(f"layer {ref.member}: {exc}") from None
            holds_os = DPKG_STATUS in stats.os_markers and any(
                p in stats.os_markers for p in OS_RELEASE
            )
            created_by = _created_by(history[i])
            layers.append(
                LayerReport(
                    i,
                    ref.member,
                    ref.diff_id,
                    stats.file_bytes + stats.link_bytes,
                    stats.files,
                    created_by,
                    label=_label(ref, created_by, stats, holds_os),
                    holds_os=holds_os,
                    file_bytes=stats.file_bytes,
                    symlink_bytes=stats.link_bytes,
                    built=history[i].get("comment") == BUILDKIT_COMMENT,
                )
            )
            unsafe.extend("/" + p.lstrip("/") for p in stats.unsafe)
            unsafe_count += stats.unsafe_count
    base, how = resolve_base(image.config, layers, base_layers, base_diff_id, base_ids)
    fs.unpacked = unpacked_layers(layers, unpacked, base)
    for layer in layers:
        layer.unpacked = layer.index in fs.unpacked
        layer.size = layer.file_bytes + (layer.symlink_bytes if layer.unpacked else 0)
        layer.wasted = fs.layer_wasted(layer.index)
    return Analysis(
        source=label or path,
        format=image.format,
        config_digest=image.config_digest,
        tags=image.tags,
        config=image.config,
        layers=layers,
        fs=fs,
        final_size=fs.total_size(),
        dists=python_dists.find_dists(fs),
        debs=debian.find_packages(fs),
        unsafe_paths=unsafe[:20],
        unsafe_count=unsafe_count,
        base_layers=base,
        base_detection=how,
        unpacked_mode=unpacked,
    )
