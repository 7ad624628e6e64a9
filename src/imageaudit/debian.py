"""Debian packages from the dpkg database, in both layouts.

Classic: ``var/lib/dpkg/status`` (one stanza per package) plus ``info/<pkg>.list`` file lists.
Distroless: one stanza per file in ``var/lib/dpkg/status.d/`` (optionally with a
``<name>.md5sums`` companion listing the files). ``installed_size`` is the package's declared
Installed-Size (KiB * 1024); ``size`` is the sum of its listed regular files as found in the
final filesystem, following symlinked directories such as ``/lib`` -> ``/usr/lib``.
A package's layer is the earliest layer that added one of its files: dpkg rewrites the
``.list`` files of packages it never touched, so their own layer says little.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from imageaudit.filesystem import FILE, Filesystem

STATUS = "var/lib/dpkg/status"
INFO = "var/lib/dpkg/info/"
STATUS_D = "var/lib/dpkg/status.d/"


@dataclass
class DebPackage:
    name: str
    version: str
    arch: str
    installed_size: int
    size: int
    files: int
    layer: int
    paths: list[str] = field(default_factory=list, repr=False)
    # Depends, Pre-Depends and Recommends as written in the status file.
    relations: str = field(default="", repr=False)
    provides: list[str] = field(default_factory=list, repr=False)
    essential: bool = field(default=False, repr=False)  # Essential: yes or Priority: required


def _relations(stanza: dict[str, str]) -> tuple[str, list[str], bool]:
    """The ``relations``, ``provides`` and ``essential`` fields of a package."""
    fields = (stanza.get(k, "") for k in ("Pre-Depends", "Depends", "Recommends"))
    provides = [p.split("(")[0].strip() for p in stanza.get("Provides", "").split(",")]
    essential = (
        stanza.get("Essential", "").lower() == "yes"
        or stanza.get("Priority", "").lower() == "required"
    )
    return ", ".join(f for f in fields if f), [p for p in provides if p], essential


def parse_stanzas(text: bytes) -> list[dict[str, str]]:
    stanzas: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for line in text.decode("utf-8", "replace").splitlines():
        if not line.strip():
            if current:
                stanzas.append(current)
            current, key = {}, ""
        elif line[0] in " \t":
            if key:
                current[key] += "\n" + line.strip()
        else:
            key, _, value = line.partition(":")
            key = key.strip()
            current[key] = value.strip()
    if current:
        stanzas.append(current)
    return stanzas


def _installed_size(stanza: dict[str, str]) -> int:
    try:
        return int(stanza.get("Installed-Size", "0").split()[0]) * 1024
    except (ValueError, IndexError):
        return 0


def _attribute(fs: Filesystem, listed: list[str]) -> tuple[int, list[str], int]:
    """Size, real paths and the earliest layer that added one of the listed files (-1)."""
    seen: set[str] = set()
    size = 0
    born = -1
    for raw in listed:
        path = raw.strip().lstrip("/")
        if not path or path == ".":
            continue
        found = fs.lookup(path)
        if found is None or found[0] in seen:
            continue
        real, node = found
        if node.kind == "d":
            continue  # directories are shared between packages
        seen.add(real)
        if born < 0 or node.born < born:
            born = node.born
        if node.kind == FILE:
            size += node.size
    return size, sorted(seen), born


def _list_text(fs: Filesystem, name: str, arch: str) -> tuple[bytes | None, int]:
    for candidate in (f"{INFO}{name}:{arch}.list", f"{INFO}{name}.list"):
        node = fs.nodes.get(candidate)
        if node is not None and node.text is not None:
            return node.text, node.layer
    return None, -1


def find_packages(fs: Filesystem) -> list[DebPackage]:
    packages: list[DebPackage] = []
    status = fs.nodes.get(STATUS)
    if status is not None and status.text:
        for st in parse_stanzas(status.text):
            if "installed" not in st.get("Status", "install ok installed").split():
                continue
            name, arch = st.get("Package", ""), st.get("Architecture", "")
            if not name:
                continue
            text, layer = _list_text(fs, name, arch)
            listed = text.decode("utf-8", "replace").splitlines() if text else []
            size, paths, born = _attribute(fs, listed)
            if born < 0:
                born = layer if layer >= 0 else status.layer
            packages.append(
                DebPackage(
                    name,
                    st.get("Version", ""),
                    arch,
                    _installed_size(st),
                    size,
                    len(paths),
                    born,
                    paths,
                    *_relations(st),
                )
            )
    for path, node in list(fs.nodes.items()):
        if not path.startswith(STATUS_D) or node.text is None or path.endswith(".md5sums"):
            continue
        for st in parse_stanzas(node.text):
            name = st.get("Package", "")
            if not name:
                continue
            md5 = fs.nodes.get(path + ".md5sums") or fs.nodes.get(f"{STATUS_D}{name}.md5sums")
            listed = []
            if md5 is not None and md5.text is not None:
                for line in md5.text.decode("utf-8", "replace").splitlines():
                    parts = line.split(None, 1)
                    if len(parts) == 2:
                        listed.append(parts[1])
            size, paths, born = _attribute(fs, listed)
            if not listed:
                size = _installed_size(st)
            packages.append(
                DebPackage(
                    name,
                    st.get("Version", ""),
                    st.get("Architecture", ""),
                    _installed_size(st),
                    size,
                    len(paths),
                    born if born >= 0 else node.layer,
                    paths,
                    *_relations(st),
                )
            )
    packages.sort(key=lambda p: (-p.size, p.name))
    return packages
