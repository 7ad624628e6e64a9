"""Finding model, the rule runner and the projected size after fixes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from imageaudit.analysis import Analysis
from imageaudit.filesystem import FILE
from imageaudit.units import format_size

SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK = {name: i for i, name in enumerate(SEVERITIES)}
MAX_EVIDENCE = 5


@dataclass
class Finding:
    id: str
    severity: str
    title: str
    bytes: int
    evidence: list[str]
    fix: str
    # Paths (final-filesystem keys) that the fix removes; used for the projection so that
    # overlapping findings are counted once.
    removes: set[str] = field(default_factory=set, repr=False)
    # Savings not tied to deleting whole files (stripping debug info, layer waste).
    partial: dict[str, int] = field(default_factory=dict, repr=False)
    layer_waste: int = 0
    # Paths an informational finding points at without removing them (large files):
    # used to drop what another finding already removes.
    covers: set[str] = field(default_factory=set, repr=False)
    # Bytes this fix saves beyond the findings ranked before it (set by settle()).
    saves: int = 0


@dataclass
class Options:
    gpu: bool = False
    large_file_threshold: int = 100 * 10**6
    ignore: frozenset[str] = frozenset()


def evidence_for(analysis: Analysis, paths: Iterable[str], limit: int = MAX_EVIDENCE) -> list[str]:
    """The biggest of ``paths`` (final-filesystem keys), formatted ``/path (size)``."""
    nodes = analysis.fs.nodes
    sized = []
    for path in paths:
        node = nodes.get(path)
        sized.append((node.size if node is not None else 0, path))
    sized.sort(key=lambda item: (-item[0], item[1]))
    return [f"/{p} ({format_size(s)})" for s, p in sized[:limit]]


def files_size(analysis: Analysis, paths: Iterable[str]) -> int:
    nodes = analysis.fs.nodes
    total = 0
    for path in paths:
        node = nodes.get(path)
        if node is not None and node.kind == FILE:
            total += node.size
    return total


Rule = Callable[[Analysis, Options], list[Finding]]


def run_rules(analysis: Analysis, options: Options, rules: Iterable[Rule]) -> list[Finding]:
    found: list[Finding] = []
    for rule in rules:
        found.extend(f for f in rule(analysis, options) if f.id not in options.ignore)
    return settle(analysis, found)


def _without_removed(analysis: Analysis, found: list[Finding]) -> list[Finding]:
    """Narrow pointer-only findings to paths no other finding removes; drop empty ones."""
    removed: set[str] = set()
    for finding in found:
        removed |= finding.removes
    kept = []
    for finding in found:
        if finding.covers and not finding.removes:
            left = finding.covers - removed
            if not left:
                continue
            if left != finding.covers:
                finding.covers = left
                finding.bytes = files_size(analysis, left)
                finding.evidence = evidence_for(analysis, left)
        kept.append(finding)
    return kept


def settle(analysis: Analysis, found: list[Finding]) -> list[Finding]:
    """Drop findings that only repeat bytes of others; order the rest by what they save.

    Within a severity, findings are ranked by the bytes their fix saves that no finding
    before them already saves, so overlapping findings are never counted twice.
    """
    found = _without_removed(analysis, found)
    found.sort(key=lambda f: (SEVERITY_RANK[f.severity], -f.bytes, f.id))
    removed: set[str] = set()
    for finding in found:
        removed |= finding.removes
    claimed: set[str] = set()
    stripped: set[str] = set()
    for finding in found:
        fresh = finding.removes - claimed
        saves = files_size(analysis, fresh)
        for path, size in finding.partial.items():
            if path not in removed and path not in stripped:
                saves += size
                stripped.add(path)
        finding.saves = saves + finding.layer_waste
        claimed |= fresh
    # A fix whose every byte a finding above it already removes adds nothing to act on.
    found = [f for f in found if f.saves or not (f.removes or f.partial)]
    found.sort(key=lambda f: (SEVERITY_RANK[f.severity], -f.saves, -f.bytes, f.id))
    return found


def projected_size(analysis: Analysis, found: list[Finding]) -> int:
    """Total image size after applying every fix, counting each removed file once."""
    removed: set[str] = set()
    for finding in found:
        removed |= finding.removes
    saving = files_size(analysis, removed)
    partial: dict[str, int] = {}
    for finding in found:
        for path, size in finding.partial.items():
            if path not in removed:
                partial[path] = max(partial.get(path, 0), size)
    saving += sum(partial.values())
    saving += max((f.layer_waste for f in found), default=0)
    return max(0, analysis.total - saving)


def counts_by_severity(found: list[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in found:
        counts[finding.severity] += 1
    return counts
