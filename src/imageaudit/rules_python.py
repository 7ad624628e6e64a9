"""Finding rules for what a Python runtime image carries but never runs: the
interpreter's own test suite, C headers and type stubs of installed libraries, wheel
files, and console scripts whose module is gone."""

from __future__ import annotations

import posixpath
import re

from imageaudit.analysis import Analysis
from imageaudit.filesystem import DIR, FILE
from imageaudit.findings import Finding, Options, evidence_for, files_size
from imageaudit.rules_files import _dirs_named, _tree_finding

_STDLIB_TEST_RE = re.compile(r"(^|/)lib/python3\.\d+/(test|idlelib/idle_test|tkinter/test)$")
_HEADER_SUFFIXES = (".h", ".hpp", ".pxd", ".pyi")
# ensurepip's own wheels are part of the standard library (the official images keep
# them); any other wheel file is an installer's leftover.
_BUNDLED_RE = re.compile(r"(^|/)ensurepip/_bundled/")
# Console scripts as pip and uv write them: a shebang, then `from MODULE import NAME`.
_SHEBANG_RE = re.compile(rb"^#!(\S*/bin/python[0-9.]*)\s")
_ENTRY_RE = re.compile(rb"^from ([A-Za-z_][\w.]*) import [A-Za-z_]\w*", re.MULTILINE)
_LIBRARY_DIRS = ("/site-packages/", "/dist-packages/")


def interpreter_tests(analysis: Analysis, options: Options) -> list[Finding]:
    roots = [
        p
        for p in _dirs_named(analysis, frozenset({"test", "idle_test"}))
        if _STDLIB_TEST_RE.search(p)
    ]
    return _tree_finding(
        analysis,
        roots,
        "interpreter-tests",
        "medium",
        "The Python interpreter's own test suite",
        "Delete it in the base image (the official python images do: find /usr/local "
        "-depth -type d -name test -exec rm -rf {} +); Debian ships it in "
        "libpython3.X-testsuite.",
        1,
    )


def library_headers(analysis: Analysis, options: Options) -> list[Finding]:
    paths = [
        p
        for p, n in analysis.fs.nodes.items()
        if n.kind == FILE
        and p.endswith(_HEADER_SUFFIXES)
        and any(d in f"/{p}" for d in _LIBRARY_DIRS)
    ]
    if not paths:
        return []
    size = files_size(analysis, paths)
    return [
        Finding(
            "library-headers",
            "low",
            f"{len(paths)} C headers, Cython declarations and type stubs in installed libraries",
            size,
            evidence_for(analysis, paths),
            "Only compilers and type checkers read them: delete *.h, *.pxd and *.pyi from "
            "site-packages (and e.g. numpy/_core/include) in the step that builds the venv.",
            set(paths),
        )
    ]


def wheel_files(analysis: Analysis, options: Options) -> list[Finding]:
    paths = [
        p
        for p, n in analysis.fs.nodes.items()
        if n.kind == FILE and p.endswith(".whl") and not _BUNDLED_RE.search(p)
    ]
    if not paths:
        return []
    return [
        Finding(
            "wheel-files",
            "medium",
            "Wheel files (pip, setuptools or caches) left in the image",
            files_size(analysis, paths),
            evidence_for(analysis, paths),
            "A runtime image installs nothing: keep wheels in the build stage (for Debian's "
            "python3-venv, /usr/share/python-wheels) or delete them where they were written.",
            set(paths),
        )
    ]


def _module_present(
    analysis: Analysis, children: dict[str, list[str]], site: str, module: str
) -> bool:
    """A package folder, or a module file (name.py, name.cpython-*.so, ...)."""
    base = posixpath.join(site, *module.split("."))
    node = analysis.fs.nodes.get(base)
    if node is not None and node.kind == DIR:
        return True
    parent, name = posixpath.split(base)
    return any(posixpath.basename(p).startswith(f"{name}.") for p in children.get(parent, []))


def broken_console_scripts(analysis: Analysis, options: Options) -> list[Finding]:
    broken: list[str] = []
    evidence: list[str] = []
    children: dict[str, list[str]] = {}
    for path in analysis.fs.nodes:
        children.setdefault(posixpath.dirname(path), []).append(path)
    for path, node in sorted(analysis.fs.nodes.items()):
        if node.kind != FILE or node.text is None or not node.text.startswith(b"#!"):
            continue
        shebang = _SHEBANG_RE.match(node.text)
        entry = _ENTRY_RE.search(node.text)
        if shebang is None or entry is None:
            continue
        prefix = posixpath.dirname(posixpath.dirname(shebang.group(1).decode().lstrip("/")))
        sites = [
            p
            for p in children.get(posixpath.join(prefix, "lib"), [])
            if re.search(r"/python3\.\d+$", p)
        ]
        sites = [f"{p}/site-packages" for p in sites if f"{p}/site-packages" in analysis.fs.nodes]
        if not sites:
            continue  # not a virtual environment's script: nothing to compare with
        module = entry.group(1).decode()
        if not any(_module_present(analysis, children, site, module) for site in sites):
            broken.append(path)
            if len(evidence) < 5:
                evidence.append(f"/{path} (imports {module}, not installed)")
    if not broken:
        return []
    return [
        Finding(
            "broken-console-scripts",
            "medium",
            f"{len(broken)} console scripts whose module is not in the image",
            files_size(analysis, broken),
            evidence,
            "They fail with ImportError if run: delete them in the step that pruned their "
            "module (e.g. bin/f2py with numpy/f2py).",
            set(broken),
        )
    ]


RULES = (interpreter_tests, library_headers, wheel_files, broken_console_scripts)
