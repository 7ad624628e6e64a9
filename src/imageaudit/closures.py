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
    roots = {r for r in roots if r in graph}
    pulled = reach(roots, graph)
    staying = (set(graph) - pulled) | (set(keep) - roots)
    # The roots leave even where a staying package depends on them, so what the staying
    # packages need is followed without passing through a root.
    return pulled - reach(staying, graph, blocked=roots)


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


def leaves_with_debs(packages: list[DebPackage]) -> dict[str, list[str]]:
    """For each package, the other packages that would leave with it, largest first."""
    graph, keep = deb_graph(packages), deb_keep(packages)
    size = {p.name: p.size for p in packages}
    out: dict[str, list[str]] = {}
    for pkg in packages:
        others = removal_closure({pkg.name}, graph, keep) - {pkg.name}
        out[pkg.name] = sorted(others, key=lambda n: (-size[n], n))
    return out


def leaves_with_dists(dists: list[PythonDist]) -> dict[str, list[str]]:
    """For each distribution, the other distributions that would leave with it."""
    graph = dist_graph(dists)
    size: dict[str, int] = {}
    for dist in dists:
        size[dist.key] = size.get(dist.key, 0) + dist.size
    out: dict[str, list[str]] = {}
    for key in graph:
        others = removal_closure({key}, graph) - {key}
        out[key] = sorted(others, key=lambda n: (-size[n], n))
    return out
