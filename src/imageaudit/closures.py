"""What leaves with a package: its dependencies that nothing else still installed needs.

The same rule serves Debian packages (Depends, Pre-Depends and Recommends, since apt
installs recommendations by default and autoremove keeps them) and Python distributions
(Requires-Dist without an ``extra`` marker). A dependency alternative (``a | b``) or a
virtual package counts as needing every installed package that satisfies it, so a
closure errs towards keeping packages. Essential and required Debian packages always stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from imageaudit.debian import DebPackage
from imageaudit.python_dists import PythonDist, canonical_name

_DEB_NAME_RE = re.compile(r"^\s*([a-z0-9][a-z0-9+.-]*)")
_REQ_NAME_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EXTRA_RE = re.compile(r"\bextra\s*==")

Graph = Mapping[str, Iterable[str]]


def reach(start: Iterable[str], graph: Graph, blocked: Iterable[str] = ()) -> set[str]:
    """Everything ``start`` depends on, transitively, never entering ``blocked``."""
    seen: set[str] = set(blocked)
    stack = [s for s in start if s in graph and s not in seen]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(d for d in graph.get(name, ()) if d not in seen)
    return seen - set(blocked)


def removal_closure(roots: Iterable[str], graph: Graph, keep: Iterable[str] = ()) -> set[str]:
    """``roots`` plus what only they need; ``keep`` names stay installed regardless."""
    return _closure({r for r in roots if r in graph}, graph, _reverse(graph), set(keep))


def _reverse(graph: Graph) -> dict[str, set[str]]:
    parents: dict[str, set[str]] = {name: set() for name in graph}
    for name, deps in graph.items():
        for dep in deps:
            parents.setdefault(dep, set()).add(name)
    return parents


def _closure(
    roots: set[str], graph: Graph, parents: Mapping[str, set[str]], keep: set[str]
) -> set[str]:
    # Start from everything the roots pull in, then drop each package that something
    # outside the set still needs, until nothing changes. The roots themselves leave even
    # where a staying package depends on them.
    leaving = reach(roots, graph)
    stack = [name for name in leaving if name not in roots]
    while stack:
        name = stack.pop()
        if name not in leaving:
            continue
        if name in keep or any(p not in leaving for p in parents.get(name, ())):
            leaving.discard(name)
            stack.extend(d for d in graph.get(name, ()) if d in leaving and d not in roots)
    return leaving


def deb_graph(packages: list[DebPackage]) -> dict[str, set[str]]:
    """Installed package name -> the installed packages it depends on or recommends."""
    providers: dict[str, set[str]] = {}
    for pkg in packages:
        providers.setdefault(pkg.name, set()).add(pkg.name)
        for virtual in pkg.provides:
            providers.setdefault(virtual, set()).add(pkg.name)
    graph: dict[str, set[str]] = {pkg.name: set() for pkg in packages}
    for pkg in packages:
        for clause in pkg.relations.split(","):
            for alternative in clause.split("|"):
                match = _DEB_NAME_RE.match(alternative)
                if match:
                    graph[pkg.name] |= providers.get(match.group(1), set())
        graph[pkg.name].discard(pkg.name)
    return graph


def deb_keep(packages: list[DebPackage]) -> set[str]:
    return {p.name for p in packages if p.essential}


def dist_graph(dists: list[PythonDist]) -> dict[str, set[str]]:
    """Installed distribution -> the installed distributions it requires."""
    installed = {d.key for d in dists}
    graph: dict[str, set[str]] = {key: set() for key in installed}
    for dist in dists:
        for requirement in dist.requires:
            name, _, marker = requirement.partition(";")
            match = _REQ_NAME_RE.match(name)
            if match is None or _EXTRA_RE.search(marker):
                continue
            dep = canonical_name(match.group(1))
            if dep in installed and dep != dist.key:
                graph[dist.key].add(dep)
    return graph


def deb_closure(packages: list[DebPackage], names: Iterable[str]) -> list[DebPackage]:
    leaving = removal_closure(names, deb_graph(packages), deb_keep(packages))
    return [p for p in packages if p.name in leaving]


def dist_closure(dists: list[PythonDist], keys: Iterable[str]) -> list[PythonDist]:
    leaving = removal_closure(keys, dist_graph(dists))
    return [d for d in dists if d.key in leaving]


def _components(graph: Graph) -> dict[str, int]:
    """Strongly connected components (Tarjan, iterative): package -> component id."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    comp: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    count = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph.get(start, ())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next((c for c in children if c in graph), None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp[member] = count
                    if member == node:
                        break
                count += 1
    return comp


class _Leaving:
    """Per-package closures for a whole image, fast where the package is in no cycle.

    On the graph of strongly connected components (a DAG), a component leaves with a
    package exactly when every component depending on it leaves, so closures grow
    outwards from the package instead of starting from all it pulls in.
    """

    def __init__(self, graph: Graph, keep: set[str]) -> None:
        self.graph, self.keep = graph, keep
        self.parents = _reverse(graph)
        self.comp = _components(graph)
        self.members: dict[int, list[str]] = {}
        for name, cid in self.comp.items():
            self.members.setdefault(cid, []).append(name)
        self.children: dict[int, set[int]] = {cid: set() for cid in self.members}
        self.up: dict[int, set[int]] = {cid: set() for cid in self.members}
        for name, deps in graph.items():
            for dep in deps:
                a, b = self.comp[name], self.comp.get(dep)
                if b is not None and a != b:
                    self.children[a].add(b)
                    self.up[b].add(a)
        self.kept = {self.comp[k] for k in keep if k in self.comp}

    def of(self, name: str) -> set[str]:
        root = self.comp[name]
        if len(self.members[root]) > 1:
            return _closure({name}, self.graph, self.parents, self.keep)
        leaving = {root}
        stack = list(self.children[root])
        while stack:
            cid = stack.pop()
            if cid in leaving or cid in self.kept:
                continue
            if all(p in leaving for p in self.up[cid]):
                leaving.add(cid)
                stack.extend(self.children[cid])
        return {m for cid in leaving for m in self.members[cid]}


def leaves_with_debs(packages: list[DebPackage]) -> dict[str, list[str]]:
    """For each package, the other packages that would leave with it, largest first."""
    leaving = _Leaving(deb_graph(packages), deb_keep(packages))
    size = {p.name: p.size for p in packages}
    out: dict[str, list[str]] = {}
    for pkg in packages:
        others = leaving.of(pkg.name) - {pkg.name}
        out[pkg.name] = sorted(others, key=lambda n: (-size[n], n))
    return out


def leaves_with_dists(dists: list[PythonDist]) -> dict[str, list[str]]:
    """For each distribution, the other distributions that would leave with it."""
    graph = dist_graph(dists)
    leaving = _Leaving(graph, set())
    size: dict[str, int] = {}
    for dist in dists:
        size[dist.key] = size.get(dist.key, 0) + dist.size
    out: dict[str, list[str]] = {}
    for key in graph:
        others = leaving.of(key) - {key}
        out[key] = sorted(others, key=lambda n: (-size[n], n))
    return out
