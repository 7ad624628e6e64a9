"""truthgraph.models sits on top of truthgraph.inference: models may import inference,
inference never imports models, and neither package has an import cycle inside it.
The graph is read from the source with `ast`, so imports inside functions (the lazy
ones) and under TYPE_CHECKING count too: a cycle hidden in a function is still a
cycle that the next refactoring turns into an import error."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
LAYERS = ("truthgraph.models", "truthgraph.inference")


# --- building the graph (kept self-contained so it can join a project-wide test) ------


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Every module of `package` under `root`, by dotted name (a package by its
    __init__.py)."""
    found = {}
    for path in sorted((root / package.replace(".", "/")).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The module an ImportFrom names, relative imports resolved against `module`."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    # `from . import x` in a package's __init__ is relative to the package itself.
    drop = node.level - 1 if is_package else node.level
    base = base[: len(base) - drop]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str, path: Path, known: Iterable[str]) -> set[str]:
    """Modules of `known` that `module` imports anywhere in its file. `from a import b`
    counts as importing a.b when a.b is a module, else as importing a."""
    modules = set(known)
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, is_package, node)
            names = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            # `import a.b.c` binds a and runs a, a.b and a.b.c; the deepest known one counts.
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def import_graph(root: Path, packages: Iterable[str]) -> dict[str, set[str]]:
    """Module -> the modules it imports, restricted to `packages` (both ends)."""
    files: dict[str, Path] = {}
    for package in packages:
        files |= module_files(root, package)
    return {name: imports_of(name, path, files) for name, path in files.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that ends where it starts, or None (depth-first)."""
    done: set[str] = set()
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> list[str] | None:
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target in on_stack:
                return stack[stack.index(target) :] + [target]
            if target not in done:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        on_stack.discard(node)
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


# --- the helpers themselves ------------------------------------------------------------


def write_package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def test_the_graph_resolves_relative_and_submodule_imports(tmp_path: Path) -> None:
    write_package(
        tmp_path,
        {
            "pkg/__init__.py": "from . import a\n",
            "pkg/a.py": "from .sub import b\nimport json\n",
            "pkg/sub/__init__.py": "from pkg.sub.b import VALUE\n",
            "pkg/sub/b.py": "def f():\n    from .. import c\nVALUE = 1\n",
            "pkg/c.py": "import pkg.sub.b\nfrom pkg import missing\n",
        },
    )
    assert import_graph(tmp_path, ["pkg"]) == {
        "pkg": {"pkg.a"},
        "pkg.a": {"pkg.sub.b"},
        "pkg.sub": {"pkg.sub.b"},
        "pkg.sub.b": {"pkg.c"},
        "pkg.c": {"pkg.sub.b", "pkg"},
    }


def test_find_cycle_returns_the_loop_or_none() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"b"}}) == ["b", "c", "b"]
    assert find_cycle({"a": {"a"}}) == ["a", "a"]


# --- the rules for models/ and inference/ ----------------------------------------------


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(SRC, LAYERS)


def test_both_packages_are_in_the_graph(graph: dict[str, set[str]]) -> None:
    # A wrong root would make every other test here pass on an empty graph.
    assert {
        "truthgraph.inference.onnx",
        "truthgraph.inference.manifest",
        "truthgraph.models.resolve",
        "truthgraph.models.hub",
        "truthgraph.models.export",
        "truthgraph.models.model_dir",
    } <= set(graph)
    assert "truthgraph.inference.manifest" in graph["truthgraph.models.resolve"]


def test_no_import_cycle_in_models_and_inference(graph: dict[str, set[str]]) -> None:
    assert find_cycle(graph) is None


def test_inference_never_imports_models(graph: dict[str, set[str]]) -> None:
    upward = {
        f"{source} -> {target}"
        for source, targets in graph.items()
        if source.startswith("truthgraph.inference")
        for target in targets
        if target.startswith("truthgraph.models.") or target == "truthgraph.models"
    }
    assert upward == set()


def test_models_imports_no_application_layer() -> None:
    """models/ serves the CLI, the API and the ml service; it must not reach back up."""
    above = ("truthgraph.api", "truthgraph.cli", "truthgraph.mlserver", "truthgraph.ui")
    everything = module_files(SRC, "truthgraph")
    reached = {
        f"{source} -> {target}"
        for source, path in module_files(SRC, "truthgraph.models").items()
        for target in imports_of(source, path, everything)
        if any(target == layer or target.startswith(layer + ".") for layer in above)
    }
    assert reached == set()
