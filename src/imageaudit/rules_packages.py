"""Finding rules driven by installed Python distributions and Debian packages."""

from __future__ import annotations

import re

from imageaudit.analysis import Analysis
from imageaudit.closures import deb_closure, dist_closure
from imageaudit.debian import DebPackage
from imageaudit.filesystem import FILE
from imageaudit.findings import Finding, Options, evidence_for, files_size
from imageaudit.python_dists import PythonDist
from imageaudit.units import format_size

_BUILD_PKG_RE = re.compile(
    r"^(?:gcc|g\+\+|cpp|gfortran|clang|llvm|binutils|cmake|autoconf|automake|libtool|"
    r"ninja-build|bison|flex|pkg-config|pkgconf|make|build-essential|dpkg-dev)(?:-[\w.+-]+)?$"
)
_BUILD_BIN_RE = re.compile(
    r"^(?:[\w]+-linux-gnu\w*-)?(?:gcc|g\+\+|cc|c\+\+|cpp|as|ld|ld\.bfd|ld\.gold|make|gmake|"
    r"cmake|clang|clang\+\+|gfortran)(?:-\d+(?:\.\d+)*)?$"
)
_BIN_DIRS = ("bin/", "sbin/", "usr/bin/", "usr/sbin/", "usr/local/bin/", "usr/local/sbin/")
_GCC_TREES = ("usr/lib/gcc/", "usr/libexec/gcc/", "usr/local/libexec/gcc/", "usr/local/lib/gcc/")
_INCLUDE_TREES = ("usr/include/", "usr/local/include/")
PACKAGE_MANAGERS = frozenset({"pip", "uv", "poetry", "pipenv", "pdm", "pipx", "conda", "mamba"})
_MANAGER_BINS = re.compile(r"^usr/local/bin/(?:pip[\d.]*|uvx?|poetry|pipenv|pdm|pipx)$")
DEV_TOOLS = frozenset(
    {
        "pytest",
        "mypy",
        "ruff",
        "black",
        "flake8",
        "pylint",
        "coverage",
        "ipython",
        "ipykernel",
        "ipdb",
        "pdbpp",
        "isort",
        "pre-commit",
        "tox",
        "nox",
        "hypothesis",
        "bandit",
        "pyflakes",
        "pycodestyle",
        "pydocstyle",
        "autopep8",
        "yapf",
        "pyright",
        "debugpy",
        "jupyter",
        "jupyterlab",
        "notebook",
        "jupyter-client",
        "jupyter-core",
        "jupyter-server",
        "nbconvert",
        "nbformat",
        "sphinx",
        "mkdocs",
        "line-profiler",
        "memory-profiler",
        "py-spy",
        "pytest-cov",
    }
)
_DEV_PREFIXES = ("pytest-", "types-", "flake8-", "pylint-", "mypy-boto3-", "sphinx-")
_CUDA_LIB_RE = re.compile(
    r"^lib(?:cuda|cublas|cudnn|cufft|curand|cusparse|cusolver|nccl|nvrtc|nvjitlink|cupti|"
    r"nvtoolsext|cufile|nvperf|torch_cuda|c10_cuda|nvblas|npp|nvjpeg)[\w.+-]*\.so",
    re.IGNORECASE,
)
_GPU_DISTS = frozenset({"triton", "pytorch-triton", "cupy"})
# NVIDIA's CUDA wheels (nvidia-cublas, ...), its CUDA Python packages (cuda-bindings,
# cuda-pathfinder, the cuda-toolkit metapackage, ...) and CuPy's CUDA builds.
_GPU_DIST_PREFIXES = ("nvidia-", "cuda-", "cupy-cuda")


def _union_finding(
    analysis: Analysis,
    paths: set[str],
    fid: str,
    severity: str,
    title: str,
    fix: str,
    evidence: list[str] | None = None,
) -> list[Finding]:
    size = files_size(analysis, paths)
    if not paths:
        return []
    return [
        Finding(fid, severity, title, size, evidence or evidence_for(analysis, paths), fix, paths)
    ]


def _with_closure(
    analysis: Analysis, named: set[str], extra: list[tuple[str, list[str]]], what: str
) -> tuple[set[str], list[str]]:
    """Add the paths of what leaves with the named packages; one evidence line for them."""
    paths = set(named)
    added: set[str] = set()
    for _, owned in extra:
        added.update(p for p in owned if p not in named)
    paths |= added
    if not extra:
        return paths, []
    names = ", ".join(n for n, _ in extra[:6]) + (", ..." if len(extra) > 6 else "")
    line = (
        f"+ {len(extra)} {what} nothing else needs ({format_size(files_size(analysis, added))})"
        f": {names}"
    )
    return paths, [line]


def _dist_evidence(dists: list[PythonDist]) -> list[str]:
    ordered = sorted(dists, key=lambda d: (-d.size, d.key))
    return [f"{d.name} {d.version} ({format_size(d.size)})" for d in ordered[:5]]


def _deb_closure(
    analysis: Analysis, pkgs: list[DebPackage], paths: set[str]
) -> tuple[set[str], list[str]]:
    named = {p.name for p in pkgs}
    leaving = deb_closure(analysis.debs, named)
    extra = [(p.name, p.paths) for p in leaving if p.name not in named]
    return _with_closure(analysis, paths, extra, "packages")


def _dist_closure(
    analysis: Analysis, dists: list[PythonDist], paths: set[str]
) -> tuple[set[str], list[str]]:
    named = {d.key for d in dists}
    leaving = dist_closure(analysis.dists, named)
    extra = [(d.key, d.paths) for d in leaving if d.key not in named]
    return _with_closure(analysis, paths, extra, "distributions")


def build_tools(analysis: Analysis, options: Options) -> list[Finding]:
    paths: set[str] = set()
    pkgs = [
        p
        for p in analysis.debs
        if _BUILD_PKG_RE.match(p.name) and not p.name.endswith(("-base", "-doc"))
    ]
    for pkg in pkgs:
        paths.update(pkg.paths)
    for path, node in analysis.fs.nodes.items():
        if node.kind == "d":
            continue
        if path.startswith(_GCC_TREES):
            paths.add(path)
        elif path.startswith(_BIN_DIRS) and _BUILD_BIN_RE.match(path.rpartition("/")[2]):
            paths.add(path)
    if not paths:
        return []
    paths, closure_line = _deb_closure(analysis, pkgs, paths)
    evidence = [f"deb {p.name} ({format_size(p.size)})" for p in pkgs[:3]] + closure_line
    evidence += evidence_for(analysis, paths, 5 - len(evidence))
    return _union_finding(
        analysis,
        paths,
        "build-tools",
        "high",
        "Compilers and build tools in the runtime image",
        "Build in a separate stage ('FROM ... AS build') and copy only the built artefacts "
        "into a slim runtime stage; or 'apt-get purge --auto-remove' the toolchain in the same "
        "RUN that used it.",
        evidence,
    )


def dev_packages(analysis: Analysis, options: Options) -> list[Finding]:
    paths: set[str] = set()
    pkgs = [p for p in analysis.debs if p.name.endswith("-dev")]
    for pkg in pkgs:
        paths.update(pkg.paths)
    for path, node in analysis.fs.nodes.items():
        if node.kind != "d" and path.startswith(_INCLUDE_TREES):
            paths.add(path)
    if not paths:
        return []
    paths, closure_line = _deb_closure(analysis, pkgs, paths)
    evidence = [f"deb {p.name} ({format_size(p.size)})" for p in pkgs[:3]] + closure_line
    evidence += evidence_for(analysis, paths, 5 - len(evidence))
    return _union_finding(
        analysis,
        paths,
        "dev-packages",
        "medium",
        "Development headers and -dev packages in the runtime image",
        "Install '-dev' packages only in the build stage; the runtime stage needs just the "
        "shared-library packages (e.g. libpq5 instead of libpq-dev).",
        evidence,
    )


def package_managers(analysis: Analysis, options: Options) -> list[Finding]:
    dists = [d for d in analysis.dists if d.key in PACKAGE_MANAGERS]
    paths = {p for d in dists for p in d.paths}
    paths.update(
        p for p, n in analysis.fs.nodes.items() if n.kind == FILE and _MANAGER_BINS.match(p)
    )
    paths, closure_line = _dist_closure(analysis, dists, paths)
    return _union_finding(
        analysis,
        paths,
        "package-managers",
        "low",
        "Package managers left in the runtime",
        "Install dependencies in a build stage (or a virtualenv) and copy the result; or "
        "'pip uninstall -y pip' / delete the uv binary in the final stage.",
        (_dist_evidence(dists)[:4] + closure_line) or None,
    )


def is_dev_tool(key: str) -> bool:
    return key in DEV_TOOLS or key.startswith(_DEV_PREFIXES) or key.endswith("-stubs")


def dev_dependencies(analysis: Analysis, options: Options) -> list[Finding]:
    dists = [d for d in analysis.dists if is_dev_tool(d.key)]
    paths = {p for d in dists for p in d.paths}
    paths, closure_line = _dist_closure(analysis, dists, paths)
    return _union_finding(
        analysis,
        paths,
        "dev-dependencies",
        "medium",
        "Development and test tools installed in the image",
        "Keep test/lint tools in a separate dependency group (e.g. '[dev]' extra or "
        "requirements-dev.txt) that the production image does not install.",
        (_dist_evidence(dists)[:4] + closure_line) or None,
    )


def gpu_intent(analysis: Analysis, options: Options) -> bool:
    if options.gpu:
        return True
    if analysis.env().get("NVIDIA_VISIBLE_DEVICES", "void") not in ("", "void"):
        return True
    return any(key.startswith("com.nvidia.") for key in analysis.labels())


def cuda_without_gpu(analysis: Analysis, options: Options) -> list[Finding]:
    if gpu_intent(analysis, options):
        return []
    dists = [
        d for d in analysis.dists if d.key.startswith(_GPU_DIST_PREFIXES) or d.key in _GPU_DISTS
    ]
    paths = {p for d in dists for p in d.paths}
    paths.update(
        p
        for p, n in analysis.fs.nodes.items()
        if n.kind == FILE and _CUDA_LIB_RE.match(p.rpartition("/")[2])
    )
    evidence = _dist_evidence(dists)
    evidence += evidence_for(analysis, paths, max(0, 5 - len(evidence)))
    return _union_finding(
        analysis,
        paths,
        "cuda-without-gpu",
        "high",
        "CUDA/NVIDIA libraries in an image without GPU intent",
        "Install CPU-only builds (for PyTorch: the CPU wheel index via '--index-url'); if the "
        "image is meant for GPUs, set NVIDIA_VISIBLE_DEVICES or pass --gpu.",
        evidence,
    )


def torch_extras(analysis: Analysis, options: Options) -> list[Finding]:
    paths: set[str] = set()
    for dist in analysis.dists:
        if dist.key != "torch":
            continue
        site = dist.location.lstrip("/").rpartition("/")[0]
        for sub in ("test", "include", "bin"):
            root = f"{site}/torch/{sub}"
            if root in analysis.fs.nodes:
                paths.update(
                    p
                    for p in analysis.fs.subtree_files(root)
                    if not p.endswith("/torch_shm_manager")
                )
    return _union_finding(
        analysis,
        paths,
        "torch-extras",
        "low",
        "PyTorch test, include and bin folders",
        "Delete <site-packages>/torch/{test,include} (and bin except torch_shm_manager) "
        "in the RUN that installs torch; headers are only needed to build extensions.",
    )


RULES = (
    build_tools,
    dev_packages,
    package_managers,
    dev_dependencies,
    cuda_without_gpu,
    torch_extras,
)
