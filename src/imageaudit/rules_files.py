"""Finding rules driven by paths and file metadata of the final filesystem."""

from __future__ import annotations

import re

from imageaudit.analysis import Analysis
from imageaudit.filesystem import DIR, FILE
from imageaudit.findings import Finding, Options, evidence_for, files_size
from imageaudit.units import format_size

# Top-level folders that belong to the OS or to installed software rather than to the app.
_SYSTEM_TOPS = frozenset(
    {
        "usr",
        "lib",
        "lib32",
        "lib64",
        "libx32",
        "bin",
        "sbin",
        "etc",
        "var",
        "proc",
        "sys",
        "dev",
        "run",
        "boot",
        "nix",
    }
)
_LIBRARY_DIRS = frozenset({"site-packages", "dist-packages", "node_modules"})
_STDLIB_RE = re.compile(r"(^|/)lib/python\d+(\.\d+)?(/|$)")
_TEST_NAMES = frozenset({"tests", "test"})
LIBRARY_TESTS_MIN = 10**6  # smaller library test folders are not worth a line
_CACHE_ROOTS = (
    re.compile(r"(^|/)\.cache/(pip|uv|pypoetry|pdm|pipenv|go-build|yarn)$"),
    re.compile(r"(^|/)\.npm/_cacache$"),
    re.compile(r"(^|/)(conda|miniconda3|anaconda3|miniforge3|mambaforge)/pkgs$"),
)


def is_library_path(path: str) -> bool:
    return any(p in _LIBRARY_DIRS for p in path.split("/")) or bool(_STDLIB_RE.search(path))


def is_app_location(path: str) -> bool:
    """Folders where an application's own files live (/app, /opt, /srv, /home, /usr/src...)."""
    if is_library_path(path):
        return False
    parts = path.split("/")
    if parts[0] == "usr":
        return len(parts) > 2 and (parts[1] == "src" or parts[1:3] == ["local", "src"])
    return parts[0] not in _SYSTEM_TOPS


def _outermost(paths: list[str]) -> list[str]:
    chosen: set[str] = set()
    for path in sorted(paths, key=len):
        parent = path
        covered = False
        while "/" in parent:
            parent = parent.rpartition("/")[0]
            if parent in chosen:
                covered = True
                break
        if not covered:
            chosen.add(path)
    return sorted(chosen)


def _dirs_named(analysis: Analysis, names: frozenset[str]) -> list[str]:
    return [
        p for p, n in analysis.fs.nodes.items() if n.kind == DIR and p.rpartition("/")[2] in names
    ]


def _tree_finding(
    analysis: Analysis,
    roots: list[str],
    fid: str,
    severity: str,
    title: str,
    fix: str,
    min_bytes: int = 0,
) -> list[Finding]:
    fs = analysis.fs
    sized = [(fs.subtree_size(r), r) for r in _outermost(roots)]
    sized = [(s, r) for s, r in sized if s >= min_bytes]
    if not sized:
        return []
    sized.sort(key=lambda item: (-item[0], item[1]))
    removes: set[str] = set()
    for _, root in sized:
        removes.update(fs.subtree_files(root))
    evidence = [f"/{r}/ ({format_size(s)})" for s, r in sized[:5]]
    return [Finding(fid, severity, title, sum(s for s, _ in sized), evidence, fix, removes)]


def app_tests(analysis: Analysis, options: Options) -> list[Finding]:
    roots = [p for p in _dirs_named(analysis, _TEST_NAMES) if is_app_location(p)]
    return _tree_finding(
        analysis,
        roots,
        "app-tests",
        "medium",
        "Test suites copied into the image",
        "Exclude tests from the runtime image: add 'tests/' to .dockerignore or COPY only "
        "the application package (e.g. COPY src/ /app/src/).",
    )


def app_scripts(analysis: Analysis, options: Options) -> list[Finding]:
    # A scripts folder inside a test suite is test data: app-tests covers it.
    roots = [
        p
        for p in _dirs_named(analysis, frozenset({"scripts"}))
        if is_app_location(p) and not _TEST_NAMES.intersection(p.split("/")[:-1])
    ]
    return _tree_finding(
        analysis,
        roots,
        "app-scripts",
        "low",
        "Development scripts copied into the image",
        "COPY only the scripts the container runs (e.g. the entrypoint) and add 'scripts/' to "
        ".dockerignore.",
    )


def library_tests(analysis: Analysis, options: Options) -> list[Finding]:
    roots = [
        p
        for p in _dirs_named(analysis, _TEST_NAMES)
        if is_library_path(p) and "/site-packages/torch/" not in f"/{p}/"
    ]
    return _tree_finding(
        analysis,
        roots,
        "library-tests",
        "low",
        "Test suites shipped inside installed libraries",
        "Delete the test folders of large libraries in the same RUN step that installs them "
        "(e.g. find <site-packages>/<pkg> -type d -name tests -prune -exec rm -rf {} +); "
        "check the library does not import them at runtime.",
        LIBRARY_TESTS_MIN,
    )


def package_caches(analysis: Analysis, options: Options) -> list[Finding]:
    roots = [
        p
        for p, n in analysis.fs.nodes.items()
        if n.kind == DIR and any(rx.search(p) for rx in _CACHE_ROOTS)
    ]
    return _tree_finding(
        analysis,
        roots,
        "package-cache",
        "medium",
        "Package manager caches left in the image",
        "Install without caches (pip install --no-cache-dir, UV_NO_CACHE=1, poetry with "
        "POETRY_CACHE_DIR removed) or use a BuildKit cache mount "
        "(RUN --mount=type=cache,target=/root/.cache/pip ...).",
        1,
    )


def apt_cache(analysis: Analysis, options: Options) -> list[Finding]:
    paths = []
    for path, node in analysis.fs.nodes.items():
        if node.kind != FILE:
            continue
        if path.startswith("var/lib/apt/lists/") and not path.endswith("/lock"):
            paths.append(path)
        elif path.startswith("var/cache/apt/") and path.endswith((".deb", ".bin")):
            paths.append(path)
    size = files_size(analysis, paths)
    if not paths or size == 0:
        return []
    return [
        Finding(
            "apt-cache",
            "medium",
            "APT package lists and caches left in the image",
            size,
            evidence_for(analysis, paths),
            "In the same RUN as apt-get install: 'apt-get install --no-install-recommends ... && "
            "rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb'.",
            set(paths),
        )
    ]


def elf_debug(analysis: Analysis, options: Options) -> list[Finding]:
    partial = {p: n.debug for p, n in analysis.fs.nodes.items() if n.kind == FILE and n.debug}
    if not partial:
        return []
    total = sum(partial.values())
    top = sorted(partial.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    return [
        Finding(
            "elf-debug-info",
            "medium" if total >= 50 * 10**6 else "low",
            f"{len(partial)} ELF files carry debug sections",
            total,
            [f"/{p} ({format_size(s)} debug)" for p, s in top],
            "Strip debug info at build time ('strip --strip-debug' or 'find ... -name \"*.so*\" "
            "-exec strip --strip-debug {} +' in the build stage), or install release builds.",
            partial=partial,
        )
    ]


def runs_as_root(analysis: Analysis, options: Options) -> list[Finding]:
    user = analysis.user()
    name = user.partition(":")[0]
    if name not in ("", "0", "root"):
        return []
    return [
        Finding(
            "runs-as-root",
            "medium",
            "Container runs as root",
            0,
            [f"config User={user!r}"],
            "Create an unprivileged user and switch to it: 'RUN useradd --system --uid 10001 app' "
            "then 'USER 10001'.",
        )
    ]


def secret_files(analysis: Analysis, options: Options) -> list[Finding]:
    app: list[str] = []
    lib: list[str] = []
    for path, node in analysis.fs.nodes.items():
        if node.kind == FILE and node.secret:
            (lib if is_library_path(path) or path.startswith("usr/") else app).append(path)
    out = []
    if app:
        nodes = analysis.fs.nodes
        out.append(
            Finding(
                "secret-files",
                "critical",
                "Files that look like credentials",
                files_size(analysis, app),
                [f"/{p} ({nodes[p].secret})" for p in sorted(app)[:5]],
                "Remove the files, add them to .dockerignore and rotate the credentials; pass "
                "secrets at build time with 'RUN --mount=type=secret' and at runtime via the "
                "environment.",
                set(app),
            )
        )
    if lib:
        out.append(
            Finding(
                "library-key-files",
                "info",
                "Private keys shipped inside installed software",
                files_size(analysis, lib),
                evidence_for(analysis, lib),
                "Usually test fixtures of third-party packages; verify they are not real keys.",
                covers=set(lib),
            )
        )
    return out


def large_files(analysis: Analysis, options: Options) -> list[Finding]:
    limit = options.large_file_threshold
    paths = [p for p, n in analysis.fs.nodes.items() if n.kind == FILE and n.size > limit]
    if not paths:
        return []
    return [
        Finding(
            "large-files",
            "info",
            f"Files larger than {format_size(limit)}",
            files_size(analysis, paths),
            evidence_for(analysis, paths),
            "Check each is needed at runtime; models and data sets are better mounted or "
            "downloaded at start-up than baked into the image.",
            covers=set(paths),
        )
    ]


def unsafe_paths(analysis: Analysis, options: Options) -> list[Finding]:
    if not analysis.unsafe_count:
        return []
    return [
        Finding(
            "unsafe-paths",
            "critical",
            f"{analysis.unsafe_count} layer entries with '..' path components (ignored)",
            0,
            analysis.unsafe_paths[:5],
            "Rebuild the layer with a standard tool; such entries try to write outside the root "
            "and are rejected by container runtimes.",
        )
    ]


def wasted_bytes(analysis: Analysis, options: Options) -> list[Finding]:
    wasted = analysis.wasted
    if not wasted:
        return []
    big = wasted >= 100 * 10**6 or wasted * 10 >= analysis.total
    return [
        Finding(
            "wasted-bytes",
            "medium" if big else "low",
            "Files overwritten or deleted by later layers",
            wasted,
            [
                f"/{p} ({format_size(s)}, layer {i})"
                for s, p, i in analysis.fs.wasted_examples()[:5]
            ],
            "Delete temporary files in the same RUN step that creates them, use multi-stage "
            "builds, and set ownership/permissions at copy time (COPY --chown/--chmod) instead "
            "of in a later RUN.",
            layer_waste=wasted,
        )
    ]


RULES = (
    app_tests,
    app_scripts,
    library_tests,
    package_caches,
    apt_cache,
    elf_debug,
    runs_as_root,
    secret_files,
    large_files,
    unsafe_paths,
    wasted_bytes,
)
