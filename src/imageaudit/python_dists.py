"""Python distributions found through ``*.dist-info/RECORD`` in the final filesystem.

A distribution's size is the sum of the sizes of the files its RECORD lists, as they exist in
the final filesystem (RECORD's own size column is ignored because files may have been changed
or deleted after installation). The layer that added it is the layer of its RECORD file.
Names are PEP 503-normalised ("Pygments" -> "pygments", "mypy_extensions" ->
"mypy-extensions") so that every report spells a distribution one way. A ``.dist-info``
folder whose RECORD another distribution's RECORD lists is part of that distribution (e.g.
the packages setuptools vendors under ``setuptools/_vendor``), not an installed one.
"""

from __future__ import annotations

import csv
import posixpath
import re
from dataclasses import dataclass, field

from imageaudit.filesystem import FILE, Filesystem

_NORMALIZE_RE = re.compile(r"[-_.]+")


def canonical_name(name: str) -> str:
    return _NORMALIZE_RE.sub("-", name).lower()


@dataclass
class PythonDist:
    name: str
    version: str
    size: int
    files: int
    layer: int
    location: str
    paths: list[str] = field(default_factory=list, repr=False)
    requires: list[str] = field(default_factory=list, repr=False)  # Requires-Dist values

    @property
    def key(self) -> str:
        return canonical_name(self.name)


def _metadata(text: bytes | None) -> tuple[str, str, list[str]]:
    name = version = ""
    requires: list[str] = []
    if text:
        for line in text.decode("utf-8", "replace").splitlines():
            if not line.strip():
                break  # end of the header block; the description follows
            if line.startswith("Name:") and not name:
                name = line[5:].strip()
            elif line.startswith("Version:") and not version:
                version = line[8:].strip()
            elif line.startswith("Requires-Dist:"):
                requires.append(line[14:].strip())
    return name, version, requires


def _record_paths(text: bytes) -> list[str]:
    lines = text.decode("utf-8", "replace").splitlines()
    out = []
    for row in csv.reader(lines):
        if row and row[0]:
            out.append(row[0])
    return out


def _vendored(dist: PythonDist, listed: dict[str, int]) -> bool:
    """Whether another distribution's RECORD lists this one's RECORD (``listed``: how many
    distributions list each path)."""
    record = dist.location[1:] + "/RECORD"
    own = 1 if record in dist.paths else 0
    return listed.get(record, 0) > own


def find_dists(fs: Filesystem) -> list[PythonDist]:
    dists = []
    for path, node in list(fs.nodes.items()):
        if node.kind != FILE or not path.endswith(".dist-info/RECORD") or node.text is None:
            continue
        info_dir = path[: -len("/RECORD")]
        site = posixpath.dirname(info_dir)
        stem = posixpath.basename(info_dir)[: -len(".dist-info")]
        dir_name, _, dir_version = stem.partition("-")
        meta = fs.nodes.get(info_dir + "/METADATA")
        name, version, requires = _metadata(meta.text if meta is not None else None)
        seen: set[str] = set()
        size = 0
        for rel in _record_paths(node.text):
            if not rel.startswith("/"):
                rel = posixpath.join(site, rel)
            joined = posixpath.normpath(rel).lstrip("/")
            if joined.startswith("../") or joined == "..":
                continue
            found = fs.lookup(joined)
            if found is None or found[0] in seen:
                continue
            real, target = found
            seen.add(real)
            if target.kind == FILE:
                size += target.size
        dists.append(
            PythonDist(
                name=canonical_name(name or dir_name),
                version=version or dir_version.partition("-")[0],
                size=size,
                files=len(seen),
                layer=node.layer,
                location="/" + info_dir,
                paths=sorted(seen),
                requires=requires,
            )
        )
    listed: dict[str, int] = {}
    for d in dists:
        for path in d.paths:
            listed[path] = listed.get(path, 0) + 1
    dists = [d for d in dists if not _vendored(d, listed)]
    dists.sort(key=lambda d: (-d.size, d.key))
    return dists
