"""Walk one layer tar and apply its entries to the merged filesystem.

Per entry this keeps metadata only. Content is read just for a few purposes, each bounded:
the first bytes of plausible ELF files (plus their section headers), the head of small files
whose name suggests a credential, and capped copies of the package-metadata files the Python
and Debian analyses parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from imageaudit import elf, sensitive
from imageaudit.filesystem import (
    DIR,
    FILE,
    HARDLINK,
    OTHER,
    SYMLINK,
    Filesystem,
    Node,
    link_size,
)
from imageaudit.tarstream import ByteSource, TarEntry, iter_tar

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"
MAX_UNSAFE_EXAMPLES = 20
_ELF_SUFFIXES = (".o", ".ko", ".node")
_KINDS = {"0": FILE, "\0": FILE, "7": FILE, "5": DIR, "2": SYMLINK, "1": HARDLINK}


@dataclass
class LayerStats:
    index: int
    # What the layer holds (an entry written twice counts once, in its last version):
    # bytes of regular files, and the target lengths of its symlinks. Docker's size of the
    # layer is file_bytes, plus link_bytes when Docker unpacked the layer from a tar.
    file_bytes: int = 0
    link_bytes: int = 0
    files: int = 0
    entries: int = 0
    unsafe: list[str] = field(default_factory=list)
    unsafe_count: int = 0
    # Which of OS_MARKERS this layer adds, and the PRETTY_NAME of its os-release.
    os_markers: set[str] = field(default_factory=set)
    os_name: str = ""


# A layer that adds both a dpkg database and an os-release file holds a whole OS.
DPKG_STATUS = "var/lib/dpkg/status"
OS_RELEASE = ("etc/os-release", "usr/lib/os-release")
OS_MARKERS = frozenset({DPKG_STATUS, *OS_RELEASE})


# The head of small files in bin/ folders: the shebang and entry point of console
# scripts (rules_python.broken_console_scripts).
SCRIPT_HEAD = 1024
SCRIPT_MAX = 16 << 10


def capture_limit(path: str, size: int = 0) -> int:
    """How many bytes of this file the package analyses need (0: none)."""
    folder = path.rpartition("/")[0]
    if size <= SCRIPT_MAX and folder.rpartition("/")[2] == "bin":
        return SCRIPT_HEAD
    if path.endswith(".dist-info/RECORD"):
        return 16 << 20
    if path.endswith(".dist-info/METADATA"):
        return 16 << 10
    if path in OS_RELEASE:
        return 4 << 10
    if path.startswith("var/lib/dpkg/"):
        rest = path[13:]
        if rest == "status":
            return 64 << 20
        if rest.startswith("info/") and rest.endswith(".list"):
            return 16 << 20
        if rest.startswith("status.d/") and "/" not in rest[9:]:
            return 4 << 20
    return 0


def pretty_name(os_release: bytes) -> str:
    for line in os_release.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "PRETTY_NAME":
            return value.strip().strip("\"'")
    return ""


def normalize(name: str) -> str | None:
    """Canonical relative path, or None if it contains a ``..`` component."""
    if name.startswith("./"):
        name = name[2:]
    name = name.strip("/")
    if "//" in name or "/./" in name or ".." in name or name.startswith("./") or name == ".":
        parts = [p for p in name.split("/") if p not in ("", ".")]
        if ".." in parts:
            return None
        name = "/".join(parts)
    return name


def _probe(entry: TarEntry, path: str, node: Node) -> None:
    size = entry.size
    base = path.rpartition("/")[2]
    probe_elf = size >= elf.HEADER_BYTES and (
        entry.mode & 0o111 or ".so" in base or base.endswith(_ELF_SUFFIXES)
    )
    want_secret = sensitive.wants_head(path, size)
    limit = capture_limit(path, size)
    if not (probe_elf or want_secret or limit):
        return
    head_len = max(
        elf.HEADER_BYTES if probe_elf else 0,
        sensitive.SECRET_HEAD if want_secret else 0,
        limit,
    )
    head = entry.read_at(0, head_len) or b""
    if limit:
        node.text = head[:limit]
    if want_secret:
        node.secret = sensitive.classify(path, head)
    if probe_elf and elf.is_elf(head):
        found = elf.debug_bytes(head, entry.read_at, size)
        node.debug = found or 0


def scan_layer(src: ByteSource, index: int, fs: Filesystem, what: str) -> LayerStats:
    stats = LayerStats(index)
    fs.begin_layer(index)
    add = fs.add
    for entry in iter_tar(src, what):
        stats.entries += 1
        kind = _KINDS.get(entry.type, OTHER)
        if kind == FILE:
            stats.file_bytes += entry.size
            stats.files += 1
        path = normalize(entry.name)
        if path is None or (kind == HARDLINK and normalize(entry.linkname) is None):
            stats.unsafe_count += 1
            if len(stats.unsafe) < MAX_UNSAFE_EXAMPLES:
                stats.unsafe.append(entry.name if path is None else entry.linkname)
            continue
        if not path:
            continue  # the layer's root directory entry
        base = path.rpartition("/")[2]
        if base.startswith(WHITEOUT):
            parent = path[: len(path) - len(base) - 1] if "/" in path else ""
            if base == OPAQUE:
                fs.opaque(parent)
            else:
                target = base[len(WHITEOUT) :]
                fs.whiteout(f"{parent}/{target}" if parent else target)
            continue
        node = Node(kind, entry.size if kind == FILE else 0, index, entry.mode)
        if kind == SYMLINK:
            node.link = entry.linkname
            stats.link_bytes += link_size(node)
        elif kind == HARDLINK:
            node.link = normalize(entry.linkname) or ""
        elif kind == FILE and entry.size:
            _probe(entry, path, node)
        if path in OS_MARKERS:
            stats.os_markers.add(path)
            if node.text and not stats.os_name:
                stats.os_name = pretty_name(node.text)
        add(path, node)
    stats.file_bytes -= fs.replaced
    stats.link_bytes -= fs.replaced_links
    return stats
