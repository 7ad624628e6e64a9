"""Size budgets from a TOML file, and checking an analysis against them."""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from typing import Any

from imageaudit.analysis import Analysis
from imageaudit.errors import AuditError
from imageaudit.findings import SEVERITY_RANK, Finding
from imageaudit.python_dists import canonical_name
from imageaudit.units import format_size, parse_size

_SIZE_KEYS = ("total", "layer_max", "added_layers", "dist_max")
_LIST_KEYS = ("forbidden_paths", "forbidden_dists", "forbidden_debs", "ignore_findings")
_KNOWN = frozenset(
    {*_SIZE_KEYS, *_LIST_KEYS, "dists", "base_layers", "base_diff_id", "fail_on_severity"}
)


@dataclass
class Budget:
    total: int | None = None
    layer_max: int | None = None
    added_layers: int | None = None
    dist_max: int | None = None
    dists: dict[str, int] = field(default_factory=dict)
    base_layers: int | None = None
    base_diff_id: str | None = None
    forbidden_paths: list[str] = field(default_factory=list)
    forbidden_dists: list[str] = field(default_factory=list)
    forbidden_debs: list[str] = field(default_factory=list)
    ignore_findings: list[str] = field(default_factory=list)
    fail_on_severity: str | None = None


@dataclass
class Breach:
    rule: str
    message: str

    def line(self) -> str:
        return f"budget breach [{self.rule}]: {self.message}"


def _size(table: dict[str, Any], key: str, where: str) -> int | None:
    if key not in table:
        return None
    try:
        return parse_size(table[key])
    except ValueError as exc:
        raise AuditError(f"{where}: {key}: {exc}") from None


def _strings(table: dict[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AuditError(f"{where}: {key} must be a list of strings")
    return list(value)


def load_budget(path: str) -> Budget:
    try:
        with open(path, "rb") as f:
            doc = tomllib.load(f)
    except OSError as exc:
        raise AuditError(f"cannot read budget file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise AuditError(f"invalid TOML in {path}: {exc}") from None
    table = doc.get("budget", doc)
    if not isinstance(table, dict):
        raise AuditError(f"{path}: [budget] must be a table")
    unknown = sorted(set(table) - _KNOWN)
    if unknown:
        raise AuditError(f"{path}: unknown budget key(s): {', '.join(unknown)}")
    budget = Budget(
        total=_size(table, "total", path),
        layer_max=_size(table, "layer_max", path),
        added_layers=_size(table, "added_layers", path),
        dist_max=_size(table, "dist_max", path),
        forbidden_paths=_strings(table, "forbidden_paths", path),
        forbidden_dists=_strings(table, "forbidden_dists", path),
        forbidden_debs=_strings(table, "forbidden_debs", path),
        ignore_findings=_strings(table, "ignore_findings", path),
    )
    dists = table.get("dists", {})
    if not isinstance(dists, dict):
        raise AuditError(f"{path}: [budget.dists] must be a table of sizes")
    for name, value in dists.items():
        try:
            budget.dists[canonical_name(name)] = parse_size(value)
        except ValueError as exc:
            raise AuditError(f"{path}: dists.{name}: {exc}") from None
    base = table.get("base_layers")
    if base is not None and (not isinstance(base, int) or isinstance(base, bool) or base < 0):
        raise AuditError(f"{path}: base_layers must be a non-negative integer")
    budget.base_layers = base
    diff_id = table.get("base_diff_id")
    if diff_id is not None and not isinstance(diff_id, str):
        raise AuditError(f"{path}: base_diff_id must be a string")
    budget.base_diff_id = diff_id
    severity = table.get("fail_on_severity")
    if severity is not None and severity not in SEVERITY_RANK:
        raise AuditError(f"{path}: fail_on_severity must be one of {', '.join(SEVERITY_RANK)}")
    budget.fail_on_severity = severity
    return budget


def _over(what: str, actual: int, limit: int, verb: str = "is") -> str:
    return (
        f"{what} {verb} {format_size(actual)} ({actual} B), limit {format_size(limit)} ({limit} B)"
    )


def check(budget: Budget, analysis: Analysis, found: list[Finding]) -> list[Breach]:
    out: list[Breach] = []
    if budget.total is not None and analysis.total > budget.total:
        out.append(Breach("total", _over("image size", analysis.total, budget.total)))
    if budget.layer_max is not None:
        for layer in analysis.layers:
            if layer.size > budget.layer_max:
                what = f"layer {layer.index} ({layer.created_by[:60] or layer.member})"
                out.append(Breach("layer_max", _over(what, layer.size, budget.layer_max)))
    if budget.added_layers is not None:
        base = analysis.base_size
        if base is None:
            out.append(
                Breach(
                    "added_layers",
                    "base layers unknown: set base_layers or base_diff_id (or --base-layers)",
                )
            )
        elif analysis.total - base > budget.added_layers:
            out.append(
                Breach(
                    "added_layers",
                    _over("added layers", analysis.total - base, budget.added_layers, "total"),
                )
            )
    for dist in analysis.dists:
        limit = budget.dists.get(dist.key, budget.dist_max)
        if limit is not None and dist.size > limit:
            out.append(Breach("dist", _over(f"python dist {dist.name}", dist.size, limit)))
        for pattern in budget.forbidden_dists:
            if fnmatch.fnmatchcase(dist.key, canonical_name(pattern)):
                out.append(
                    Breach(
                        "forbidden_dist",
                        f"python dist {dist.name} {dist.version} "
                        f"matches forbidden pattern {pattern!r}",
                    )
                )
                break
    for deb in analysis.debs:
        for pattern in budget.forbidden_debs:
            if fnmatch.fnmatchcase(deb.name, pattern):
                out.append(
                    Breach(
                        "forbidden_deb",
                        f"debian package {deb.name} matches forbidden pattern {pattern!r}",
                    )
                )
                break
    if budget.forbidden_paths:
        hits: dict[str, list[str]] = {}
        for path, node in analysis.fs.nodes.items():
            if node.kind == "d":
                continue
            full = "/" + path
            for pattern in budget.forbidden_paths:
                if fnmatch.fnmatchcase(full, pattern):
                    hits.setdefault(pattern, []).append(full)
                    break
        for pattern, paths in hits.items():
            paths.sort()
            out.append(
                Breach(
                    "forbidden_path",
                    f"{len(paths)} file(s) match forbidden path {pattern!r}, e.g. {paths[0]}",
                )
            )
    if budget.fail_on_severity is not None:
        limit_rank = SEVERITY_RANK[budget.fail_on_severity]
        for finding in found:
            if SEVERITY_RANK[finding.severity] <= limit_rank:
                out.append(
                    Breach(
                        "severity",
                        f"finding {finding.id} ({finding.severity}) "
                        f"is at or above {budget.fail_on_severity}",
                    )
                )
    return out
