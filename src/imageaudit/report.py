"""Render the JSON document as a terminal summary or as Markdown for a pull request."""

from __future__ import annotations

from typing import Any

from imageaudit.units import format_delta, format_size

SEV_LABEL = {"critical": "CRIT", "high": "HIGH", "medium": "MED", "low": "LOW", "info": "INFO"}


DETECTION = {
    "given": "given",
    "heuristic": "heuristic",
    "base-image": "matched against the --base image",
    "os-layer": "no build history; the first layer holds a complete OS "
    "(dpkg status, /etc/os-release)",
}


def _layer_label(layer: dict[str, Any]) -> str:
    return str(layer.get("label") or layer["created_by"] or layer["member"])


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _headline(doc: dict[str, Any]) -> list[tuple[str, str]]:
    sizes = doc["sizes"]
    total = sizes["total"]
    rows = [
        (
            "Total size",
            f"{format_size(total)}  ({len(doc['layers'])} layers; final filesystem "
            f"{format_size(sizes['final_filesystem'])}, wasted "
            f"{format_size(sizes['wasted'])})",
        ),
    ]
    if sizes["base"] is not None:
        rows.append(
            (
                "Base layers",
                f"{format_size(sizes['base'])}  ({sizes['base_layers']} "
                f"layers, {DETECTION.get(sizes['base_detection'], sizes['base_detection'])})",
            )
        )
        rows.append(
            (
                "Added layers",
                f"{format_size(sizes['added'])}  "
                f"({len(doc['layers']) - sizes['base_layers']} layers)",
            )
        )
    rows.append(("Docker sizing", _sizing(doc["layers"])))
    saving = total - sizes["projected"]
    rows.append(
        (
            "Projected size",
            f"{format_size(sizes['projected'])}  after fixes "
            f"(-{format_size(saving)}, -{_pct(saving, total)})",
        )
    )
    return rows


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _sizing(layers: list[dict[str, Any]]) -> str:
    """How the layer sizes follow Docker's, and what the other way of counting would add."""
    built = [layer for layer in layers if layer.get("sizing") == "built"]
    parts = []
    if len(built) < len(layers):
        parts.append(f"{_plural(len(layers) - len(built), 'layer')} unpacked (symlinks counted)")
    if built:
        parts.append(f"{_plural(len(built), 'layer')} built with BuildKit (symlinks not counted)")
    text = ", ".join(parts)
    uncounted = sum(layer.get("symlink_bytes", 0) for layer in built)
    if uncounted:
        text += f"; pulled or loaded: +{format_size(uncounted)} (--unpacked-layers)"
    return text


def _saving(finding: dict[str, Any]) -> str:
    """What the fix saves; a finding whose bytes other fixes already save says so."""
    saves, size = finding.get("saves", finding["bytes"]), finding["bytes"]
    if finding["severity"] == "info" and not saves:
        return f"{format_size(size)} flagged"  # pointed at, not removed by any fix
    if saves == size:
        return format_size(size)
    return f"{format_size(saves)} (of {format_size(size)})"


def _closure_note(package: dict[str, Any]) -> str:
    others = package.get("leaves_with") or []
    if not others:
        return ""
    extra = package["removal_size"] - package["size"]
    return f"; removing it also removes {len(others)} more ({format_size(extra)})"


def _severity_line(doc: dict[str, Any]) -> str:
    counts = doc["findings_by_severity"]
    return ", ".join(f"{n} {sev}" for sev, n in counts.items() if n) or "none"


def render_text(doc: dict[str, Any], top: int = 10) -> str:
    img = doc["image"]
    out = [f"image-audit {doc['tool']['version']}: {img['source']} ({img['format']})", ""]
    out += [f"{k:<16}{v}" for k, v in _headline(doc)]
    out += ["", f"Findings: {_severity_line(doc)}"]
    for f in doc["findings"]:
        out.append(
            f"  [{SEV_LABEL[f['severity']]:<4}] {f['id']:<24} {_saving(f):>10}  {f['title']}"
        )
        for ev in f["evidence"]:
            out.append(f"           - {ev}")
        out.append(f"           fix: {f['fix']}")
    out += ["", "Layers:"]
    for layer in doc["layers"]:
        out.append(
            f"  {layer['index']:>3}  {format_size(layer['size']):>10}  "
            f"{_short(_layer_label(layer))}"
        )
    out += ["", "Top folders (final filesystem):"]
    for folder in doc["folders"]:
        out.append(f"  {format_size(folder['size']):>10}  {folder['path']}")
        for child in folder["children"][:3]:
            out.append(f"  {format_size(child['size']):>10}    {child['path']}")
    if doc["python_dists"]:
        out += ["", "Top Python distributions:"]
        for d in doc["python_dists"][:top]:
            out.append(
                f"  {format_size(d['size']):>10}  {d['name']} {d['version']} (layer {d['layer']})"
                f"{_closure_note(d)}"
            )
    if doc["debian_packages"]:
        out += ["", "Top Debian packages:"]
        for p in doc["debian_packages"][:top]:
            out.append(
                f"  {format_size(p['size']):>10}  {p['name']} {p['version']} (layer {p['layer']})"
                f"{_closure_note(p)}"
            )
    out += ["", "Largest files:"]
    for f in doc["largest_files"]:
        out.append(f"  {format_size(f['size']):>10}  {f['path']} (layer {f['layer']})")
    out += _baseline_text(doc.get("baseline"))
    budget = doc.get("budget")
    if budget is not None:
        status = "ok" if budget["ok"] else f"{len(budget['breaches'])} breach(es)"
        out += ["", f"Budget ({budget['file']}): {status}"]
        out += [f"  - [{b['rule']}] {b['message']}" for b in budget["breaches"]]
    return "\n".join(out) + "\n"


def _baseline_text(base: dict[str, Any] | None) -> list[str]:
    if not base:
        return []
    out = [
        "",
        f"Compared with baseline: total {format_delta(base['total_delta'])} "
        f"({format_size(base['old_total'])} -> {format_size(base['new_total'])})",
    ]
    for d in base["dists"][:10]:
        out.append(f"  {format_delta(d['delta']):>11}  {d['name']} ({d['status']})")
    for f in base["new_findings"]:
        out.append(f"  new finding: {f['id']} ({f['severity']}, {format_size(f['bytes'])})")
    for f in base["resolved_findings"]:
        out.append(f"  resolved: {f['id']}")
    return out


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(doc: dict[str, Any], top: int = 10) -> str:
    img = doc["image"]
    out = [f"### Image audit: `{img['source']}`", "", "| | |", "|---|---|"]
    out += [f"| {k} | {_md_escape(v)} |" for k, v in _headline(doc)]
    out.append(f"| Findings | {_severity_line(doc)} |")
    base = doc.get("baseline")
    if base:
        out.append(f"| Change vs baseline | {format_delta(base['total_delta'])} |")
    budget = doc.get("budget")
    if budget is not None:
        verdict = "within budget" if budget["ok"] else f"**{len(budget['breaches'])} breach(es)**"
        out.append(f"| Budget | {verdict} |")
        if budget["breaches"]:
            out += ["", "#### Budget breaches", ""]
            out += [f"- `{b['rule']}`: {_md_escape(b['message'])}" for b in budget["breaches"]]
    if doc["findings"]:
        out += [
            "",
            "#### Findings",
            "",
            "| Severity | Finding | Saves | Fix |",
            "|---|---|---:|---|",
        ]
        for f in doc["findings"]:
            out.append(
                f"| {f['severity']} | `{f['id']}`: {_md_escape(f['title'])} | "
                f"{_saving(f)} | {_md_escape(f['fix'])} |"
            )
    if base and (base["dists"] or base["new_findings"] or base["resolved_findings"]):
        out += ["", "#### Changes since baseline", ""]
        out += [
            f"- `{d['name']}` {d['status']}: {format_delta(d['delta'])}"
            for d in base["dists"][:top]
        ]
        out += [f"- new finding `{f['id']}` ({f['severity']})" for f in base["new_findings"]]
        out += [f"- resolved finding `{f['id']}`" for f in base["resolved_findings"]]
    out += [
        "",
        "<details><summary>Layers, folders and packages</summary>",
        "",
        "| # | Size | Created by |",
        "|---:|---:|---|",
    ]
    for layer in doc["layers"]:
        out.append(
            f"| {layer['index']} | {format_size(layer['size'])} | "
            f"`{_md_escape(_short(_layer_label(layer), 90))}` |"
        )
    out += ["", "| Folder | Size |", "|---|---:|"]
    out += [f"| `{f['path']}` | {format_size(f['size'])} |" for f in doc["folders"]]
    if doc["python_dists"]:
        out += ["", "| Python distribution | Version | Size |", "|---|---|---:|"]
        out += [
            f"| {d['name']} | {d['version']} | {format_size(d['size'])} |"
            for d in doc["python_dists"][:top]
        ]
    out += ["", "</details>"]
    return "\n".join(out) + "\n"
