"""Open an image (docker-save archive, OCI layout tar or directory) and stream its layers.

The outer archive is indexed once by reading its tar headers (member data is skipped by
seeking), so manifests can be read first regardless of member order. Each layer is then
streamed: uncompressed layers through a seekable window onto the outer file, gzip layers
through the stdlib decompressor, zstd layers through the optional ``zstandard`` module.
"""

from __future__ import annotations

import gzip
import importlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from imageaudit.errors import AuditError
from imageaudit.tarstream import ByteSource, WindowFile, iter_tar

_DIGEST_RE = re.compile(r"^([a-z0-9]+):([a-f0-9]{32,128})$")
_INDEX_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
)
MAX_JSON = 64 << 20


@dataclass
class LayerRef:
    member: str  # path inside the archive or directory
    media_type: str = ""
    diff_id: str = ""


@dataclass
class ImageInfo:
    format: str
    config: dict[str, Any]
    config_digest: str
    layers: list[LayerRef]
    tags: list[str] = field(default_factory=list)


class Store:
    """Random access to the members of an archive or a directory."""

    def has(self, name: str) -> bool:
        raise NotImplementedError

    def window(self, name: str) -> WindowFile:
        raise NotImplementedError

    def read(self, name: str, limit: int = MAX_JSON) -> bytes:
        win = self.window(name)
        if win.length > limit:
            raise AuditError(f"{name} is implausibly large ({win.length} bytes)")
        data = win.read(win.length)
        if len(data) < win.length:
            raise AuditError(f"truncated archive: {name} is cut off")
        return data


class TarStore(Store):
    def __init__(self, fileobj: BinaryIO, size: int, label: str) -> None:
        self._f = fileobj
        self._members: dict[str, tuple[int, int]] = {}
        src = ByteSource.from_window(WindowFile(fileobj, 0, size))
        for entry in iter_tar(src, label):
            if entry.is_file:
                name = entry.name[2:] if entry.name.startswith("./") else entry.name
                self._members[name] = (src.tell(), entry.size)

    def has(self, name: str) -> bool:
        return name in self._members

    def window(self, name: str) -> WindowFile:
        try:
            start, size = self._members[name]
        except KeyError:
            raise AuditError(f"archive has no member {name!r}") from None
        return WindowFile(self._f, start, size)


class DirStore(Store):
    def __init__(self, root: str) -> None:
        self._root = os.path.realpath(root)
        self._open: list[BinaryIO] = []

    def _path(self, name: str) -> str:
        path = os.path.realpath(os.path.join(self._root, name))
        if not path.startswith(self._root + os.sep):
            raise AuditError(f"member path escapes the layout directory: {name!r}")
        return path

    def has(self, name: str) -> bool:
        return os.path.isfile(self._path(name))

    def window(self, name: str) -> WindowFile:
        path = self._path(name)
        if not os.path.isfile(path):
            raise AuditError(f"layout directory has no file {name!r}")
        f = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._open.append(f)
        return WindowFile(f, 0, os.fstat(f.fileno()).st_size)

    def close(self) -> None:
        for f in self._open:
            f.close()
        self._open.clear()


def _safe_member(name: object, what: str) -> str:
    if not isinstance(name, str) or not name:
        raise AuditError(f"invalid {what} path in manifest: {name!r}")
    parts = name.split("/")
    if name.startswith("/") or ".." in parts:
        raise AuditError(f"unsafe {what} path in manifest: {name!r}")
    return name


def _blob(digest: object) -> str:
    match = _DIGEST_RE.match(digest) if isinstance(digest, str) else None
    if not match:
        raise AuditError(f"invalid digest in OCI manifest: {digest!r}")
    return f"blobs/{match.group(1)}/{match.group(2)}"


def _json(store: Store, name: str) -> Any:
    if not store.has(name):
        raise AuditError(f"missing {name} (referenced by the image manifest)")
    try:
        return json.loads(store.read(name))
    except (ValueError, UnicodeDecodeError):
        raise AuditError(f"{name} is not valid JSON") from None


def _obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise AuditError(f"{what} is not a JSON object")
    return value


def _diff_ids(config: dict[str, Any]) -> list[str]:
    rootfs = config.get("rootfs")
    ids = rootfs.get("diff_ids") if isinstance(rootfs, dict) else None
    return [str(i) for i in ids] if isinstance(ids, list) else []


def _from_docker_manifest(store: Store, fmt: str) -> ImageInfo:
    manifest = _json(store, "manifest.json")
    if not isinstance(manifest, list) or not manifest:
        raise AuditError("manifest.json lists no images")
    entry = _obj(manifest[0], "manifest.json entry")
    config_name = _safe_member(entry.get("Config"), "config")
    layers = entry.get("Layers")
    if not isinstance(layers, list):
        raise AuditError("manifest.json entry has no Layers list")
    config = _obj(_json(store, config_name), config_name)
    diff_ids = _diff_ids(config)
    refs = []
    for i, layer in enumerate(layers):
        member = _safe_member(layer, "layer")
        if not store.has(member):
            raise AuditError(f"manifest.json points to a missing layer: {member}")
        refs.append(LayerRef(member, diff_id=diff_ids[i] if i < len(diff_ids) else ""))
    tags = [str(t) for t in entry.get("RepoTags") or []]
    digest = config_name.rsplit("/", 1)[-1].removesuffix(".json")
    if not digest.startswith("sha256:"):
        digest = "sha256:" + digest
    return ImageInfo(fmt, config, digest, refs, tags)


def _pick_manifest(store: Store, index: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    manifests = index.get("manifests")
    if not isinstance(manifests, list) or not manifests:
        raise AuditError("index.json lists no manifests")
    candidates: list[tuple[int, int, dict[str, Any]]] = []
    for desc in manifests:
        if not isinstance(desc, dict):
            continue
        annotations = desc.get("annotations") or {}
        if annotations.get("vnd.docker.reference.type") == "attestation-manifest":
            continue
        platform = desc.get("platform") or {}
        rank = 0 if (platform.get("os"), platform.get("architecture")) == ("linux", "amd64") else 1
        candidates.append((rank, len(candidates), desc))
    if not candidates:
        raise AuditError("index.json lists no usable manifests")
    desc = min(candidates, key=lambda c: (c[0], c[1]))[2]
    doc = _obj(_json(store, _blob(desc.get("digest"))), "OCI manifest")
    media = doc.get("mediaType") or desc.get("mediaType")
    if media in _INDEX_TYPES or "manifests" in doc:
        if depth > 3:
            raise AuditError("OCI index nesting is too deep")
        return _pick_manifest(store, doc, depth + 1)
    return doc


def _from_oci_index(store: Store, fmt: str) -> ImageInfo:
    manifest = _pick_manifest(store, _obj(_json(store, "index.json"), "index.json"))
    config_desc = _obj(manifest.get("config"), "OCI manifest config")
    config_digest = str(config_desc.get("digest"))
    config = _obj(_json(store, _blob(config_digest)), "image config")
    diff_ids = _diff_ids(config)
    layers = manifest.get("layers")
    if not isinstance(layers, list):
        raise AuditError("OCI manifest has no layers list")
    refs = []
    for i, desc in enumerate(layers):
        desc = _obj(desc, "layer descriptor")
        member = _blob(desc.get("digest"))
        if not store.has(member):
            raise AuditError(f"missing layer blob: {member}")
        media = str(desc.get("mediaType", ""))
        refs.append(LayerRef(member, media, diff_ids[i] if i < len(diff_ids) else ""))
    return ImageInfo(fmt, config, config_digest, refs)


def load_image(store: Store) -> ImageInfo:
    if store.has("manifest.json"):
        oci = store.has("index.json") or store.has("oci-layout")
        return _from_docker_manifest(store, "docker-save-oci" if oci else "docker-save")
    if store.has("index.json"):
        return _from_oci_index(store, "oci-layout")
    raise AuditError("not an image archive: no manifest.json or index.json found")


def layer_source(store: Store, ref: LayerRef) -> ByteSource:
    """Open a layer as a tar byte stream, decompressing by sniffing the magic bytes."""
    window = store.window(ref.member)
    magic = window.read(4)
    window.seek(0)
    if magic[:2] == b"\x1f\x8b":
        return ByteSource(gzip.GzipFile(fileobj=window, mode="rb"))
    if magic == b"\x28\xb5\x2f\xfd":
        try:
            zstandard = importlib.import_module("zstandard")
        except ImportError:
            raise AuditError(
                f"layer {ref.member} is zstd-compressed; install the 'zstandard' module"
            ) from None
        reader = zstandard.ZstdDecompressor().stream_reader(window)
        return ByteSource(reader)
    return ByteSource.from_window(window)


@contextmanager
def open_store(path: str) -> Iterator[Store]:
    """Open a tar archive or a layout directory; raise AuditError if neither."""
    if os.path.isdir(path):
        dstore = DirStore(path)
        try:
            yield dstore
        finally:
            dstore.close()
        return
    try:
        f = open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise AuditError(f"cannot open {path}: {exc.strerror or exc}") from None
    with f:
        size = os.fstat(f.fileno()).st_size
        head = f.read(2)
        f.seek(0)
        if head == b"\x1f\x8b":
            raise AuditError(f"{path} is gzip-compressed; decompress it first (gunzip)")
        yield TarStore(f, size, os.path.basename(path))
