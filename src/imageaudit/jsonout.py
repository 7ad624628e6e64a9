"""The versioned JSON document (``schema_version`` 1) and the diff against a baseline."""

from __future__ import annotations

import json
from typing import Any

from imageaudit import __version__
from imageaudit.analysis import Analysis
from imageaudit.budgets import Breach
from imageaudit.closures import leaves_with_debs, leaves_with_dists
from imageaudit.errors import AuditError
from imageaudit.findings import Finding, Options, counts_by_severity
from imageaudit.rules_packages import gpu_intent

SCHEMA_VERSION = 1


def build(
    analysis: Analysis,
    found: list[Finding],
    projected: int,
    options: Options,
    top: int = 10,
    breaches: list[Breach] | None = None,
    budget_file: str | None = None,
) -> dict[str, Any]:
    base = analysis.base_size
    cfg = analysis.config
    deb_size = {p.name: p.size for p in analysis.debs}
    dist_size: dict[str, int] = {}
    for d in analysis.dists:
        dist_size[d.key] = dist_size.get(d.key, 0) + d.size
    deb_leaves = leaves_with_debs(analysis.debs)
    dist_leaves = leaves_with_dists(analysis.dists)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "image-audit", "version": __version__},
        "image": {
            "source": analysis.source,
            "format": analysis.format,
            "config_digest": analysis.config_digest,
            "tags": analysis.tags,
            "os": cfg.get("os", ""),
            "architecture": cfg.get("architecture", ""),
            "user": analysis.user(),
            "gpu_intent": gpu_intent(analysis, options),
        },
        "sizes": {
            "total": analysis.total,
            "final_filesystem": analysis.final_size,
            "wasted": analysis.wasted,
            "base": base,
            "added": None if base is None else analysis.total - base,
            "base_layers": analysis.base_layers,
            "base_detection": analysis.base_detection,
            "projected": projected,
            "unpacked_layers": analysis.unpacked_mode,
        },
        "layers": [
            {
                "index": layer.index,
                "size": layer.size,
                "files": layer.files,
                "wasted": layer.wasted,
                "diff_id": layer.diff_id,
                "member": layer.member,
                "created_by": layer.created_by,
                "label": layer.label,
                "sizing": "unpacked" if layer.unpacked else "built",
                "symlink_bytes": layer.symlink_bytes,
            }
            for layer in analysis.layers
        ],
        "folders": [
            {
                "path": f.path,
                "size": f.size,
                "children": [{"path": c.path, "size": c.size} for c in f.children],
            }
            for f in analysis.folders(top)
        ],
        "python_dists": [
            {
                "name": d.name,
                "version": d.version,
                "size": d.size,
                "files": d.files,
                "layer": d.layer,
                "location": d.location,
                "leaves_with": dist_leaves[d.key],
                "removal_size": d.size + sum(dist_size[k] for k in dist_leaves[d.key]),
            }
            for d in analysis.dists
        ],
        "debian_packages": [
            {
                "name": p.name,
                "version": p.version,
                "architecture": p.arch,
                "size": p.size,
                "installed_size": p.installed_size,
                "files": p.files,
                "layer": p.layer,
                "leaves_with": deb_leaves[p.name],
                "removal_size": p.size + sum(deb_size[n] for n in deb_leaves[p.name]),
            }
            for p in analysis.debs
        ],
        "largest_files": [
            {"path": path, "size": size, "layer": layer}
            for path, size, layer in analysis.largest_files(top)
        ],
        "findings": [
            {
                "id": f.id,
                "severity": f.severity,
                "title": f.title,
                "bytes": f.bytes,
                "saves": f.saves,
                "evidence": f.evidence,
                "fix": f.fix,
            }
            for f in found
        ],
        "findings_by_severity": counts_by_severity(found),
        "budget": None
        if budget_file is None
        else {
            "file": budget_file,
            "ok": not breaches,
            "breaches": [{"rule": b.rule, "message": b.message} for b in breaches or []],
        },
    }


def load_baseline(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as exc:
        raise AuditError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except ValueError:
        raise AuditError(f"baseline {path} is not valid JSON") from None
    if not isinstance(doc, dict) or doc.get("schema_version") != SCHEMA_VERSION:
        raise AuditError(f"baseline {path} is not an image-audit report (schema_version 1)")
    return doc


def _dist_sizes(doc: dict[str, Any]) -> dict[str, tuple[str, int]]:
    from imageaudit.python_dists import canonical_name

    out = {}
    for d in doc.get("python_dists") or []:
        name = canonical_name(str(d.get("name", "")))
        out[name] = (name, int(d.get("size", 0)))
    return out


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    old_sizes, new_sizes = old.get("sizes") or {}, new["sizes"]
    old_d, new_d = _dist_sizes(old), _dist_sizes(new)
    dists: list[dict[str, Any]] = []
    for key in sorted(set(old_d) | set(new_d)):
        before = old_d.get(key, ("", 0))[1]
        after = new_d.get(key, ("", 0))[1]
        if key not in old_d:
            status = "added"
        elif key not in new_d:
            status = "removed"
        elif before != after:
            status = "changed"
        else:
            continue
        name = (new_d.get(key) or old_d[key])[0]
        dists.append(
            {
                "name": name,
                "old_size": before,
                "new_size": after,
                "delta": after - before,
                "status": status,
            }
        )
    dists.sort(key=lambda d: (-abs(int(d["delta"])), str(d["name"])))
    old_f = {f["id"]: f for f in old.get("findings") or []}
    new_f = {f["id"]: f for f in new["findings"]}
    return {
        "old_total": int(old_sizes.get("total", 0)),
        "new_total": new_sizes["total"],
        "total_delta": new_sizes["total"] - int(old_sizes.get("total", 0)),
        "final_delta": new_sizes["final_filesystem"] - int(old_sizes.get("final_filesystem", 0)),
        "dists": dists,
        "new_findings": [
            {"id": i, "severity": new_f[i]["severity"], "bytes": new_f[i]["bytes"]}
            for i in new_f
            if i not in old_f
        ],
        "resolved_findings": [
            {
                "id": i,
                "severity": old_f[i].get("severity", ""),
                "bytes": int(old_f[i].get("bytes", 0)),
            }
            for i in old_f
            if i not in new_f
        ],
    }
