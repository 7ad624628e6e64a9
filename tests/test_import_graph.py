"""The import graph of src/truthgraph, read with `ast`: no module imports itself in a
circle, and the two HTTP services never import each other (both build on web/).

Every import counts, also those inside functions and under TYPE_CHECKING: a lazy
import still ties two modules together, it only defers when."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
Graph = dict[str, set[str]]


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module under `root/package`, by dotted name (a package by its own)."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imported(tree: ast.Module, name: str, is_package: bool) -> Iterator[str]:
    """The dotted names `tree` imports, relative imports resolved; for `from X import
    y`, both X and X.y (the graph keeps whichever is a module)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph(root: Path, package: str) -> Graph:
    modules = module_names(root, package)
    graph: Graph = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for target in _imported(tree, name, path.name == "__init__.py"):
            # `import a.b.c` depends on the deepest of a.b.c, a.b, a that is ours.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                graph[name].add(target)
    return graph


def cycles(graph: Graph) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.fixture(scope="module")
def graph() -> Graph:
    return import_graph(SRC, "truthgraph")


def _imports_between(graph: Graph, source: str, target: str) -> list[str]:
    return sorted(
        f"{name} -> {dep}"
        for name, deps in graph.items()
        if name.startswith(source + ".") or name == source
        for dep in deps
        if dep.startswith(target + ".") or dep == target
    )


def test_no_import_cycle_in_truthgraph(graph: Graph) -> None:
    assert [sorted(c) for c in cycles(graph)] == []


def test_the_http_services_never_import_each_other(graph: Graph) -> None:
    assert _imports_between(graph, "truthgraph.api", "truthgraph.mlserver") == []
    assert _imports_between(graph, "truthgraph.mlserver", "truthgraph.api") == []
    assert _imports_between(graph, "truthgraph.mlserver", "truthgraph.web") != []
    assert _imports_between(graph, "truthgraph.api", "truthgraph.web") != []


@pytest.mark.parametrize(
    "layer, above",
    [
        # The shared web layer sits below both services and the pipeline's users.
        ("truthgraph.web", ("api", "mlserver", "ui", "cli", "pipeline", "store", "ingest")),
        # Ingestion knows nothing of the front ends that call it.
        ("truthgraph.ingest", ("api", "mlserver", "ui", "cli", "web")),
        # Running models knows nothing of managing them; managing them, nothing of the
        # applications that use them.
        ("truthgraph.inference", ("models", "api", "mlserver", "ui", "cli")),
        ("truthgraph.models", ("api", "mlserver", "ui", "cli", "web")),
    ],
)
def test_lower_layers_import_nothing_above_them(
    graph: Graph, layer: str, above: tuple[str, ...]
) -> None:
    for upper in above:
        assert _imports_between(graph, layer, f"truthgraph.{upper}") == []


def test_the_graph_resolves_relative_and_submodule_imports(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from pkg.sub import leaf\n")
    (package / "sub" / "leaf.py").write_text("def f():\n    from .. import top\n")
    (package / "top.py").write_text("from .sub import other\nimport pkg.sub.leaf\n")
    (package / "sub" / "other.py").write_text("import json\n")
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.sub"] == {"pkg.sub.leaf"}
    assert graph["pkg.sub.leaf"] == {"pkg", "pkg.top"}
    assert graph["pkg.top"] == {"pkg.sub", "pkg.sub.other", "pkg.sub.leaf"}
    assert cycles(graph) == [frozenset({"pkg.sub", "pkg.sub.leaf", "pkg.top"})]
