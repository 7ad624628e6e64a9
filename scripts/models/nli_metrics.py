"""Classification metrics and the NLI results report (benchmarks/results/nli_starter.*)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np


def classification_report(
    gold: Sequence[int], pred: Sequence[int], labels: Sequence[str]
) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class P/R/F1 and the confusion matrix (rows gold, cols pred)."""
    k = len(labels)
    confusion = np.zeros((k, k), dtype=np.int64)
    for g, p in zip(gold, pred, strict=True):
        confusion[g, p] += 1
    per_class: dict[str, dict[str, float]] = {}
    for i, name in enumerate(labels):
        tp = confusion[i, i]
        predicted, actual = confusion[:, i].sum(), confusion[i, :].sum()
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[name] = {
            "precision": float(precision),
            "recall": float(recall),
            "f1": float(f1),
            "support": int(actual),
        }
    total = confusion.sum()
    return {
        "accuracy": float(np.trace(confusion) / total) if total else 0.0,
        "macro_f1": float(np.mean([c["f1"] for c in per_class.values()])),
        "per_class": per_class,
        "confusion": confusion.tolist(),
    }


def _variant_md(name: str, report: dict[str, Any], labels: Sequence[str]) -> list[str]:
    lines = [
        f"### {name}",
        "",
        f"Accuracy {report['accuracy']:.4f}, macro-F1 {report['macro_f1']:.4f}, "
        f"prediction agreement with torch-fp32 {report['agreement_with_torch']:.4f}.",
        "",
        "| class | precision | recall | F1 | support |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label in labels:
        c = report["per_class"][label]
        lines.append(
            f"| {label} | {c['precision']:.4f} | {c['recall']:.4f} | {c['f1']:.4f} | "
            f"{c['support']} |"
        )
    lines += [
        "",
        "Confusion matrix (rows = gold, columns = predicted):",
        "",
        "| gold \\ pred | " + " | ".join(labels) + " |",
        "| --- |" + " ---: |" * len(labels),
    ]
    for label, row in zip(labels, report["confusion"], strict=True):
        lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    return [*lines, ""]


def _header_md(meta: dict[str, Any]) -> list[str]:
    hp, tr, m = meta["hyperparameters"], meta["training"], meta["machine"]
    epochs = "\n".join(
        f"| {h['epoch']} | {h['train_loss']:.4f} | {h['train_seconds']} | "
        f"{h['dev_accuracy']:.4f} | {h['dev_macro_f1']:.4f} |"
        for h in tr["history"]
    )
    return [
        "# NLI starter model (all-MiniLM-L6-v2 cross-encoder)",
        "",
        "A starter model: a small cross-encoder fine-tuned on the NLI pairs written for this "
        "project (`data/nli/`, see its README), scored on its test split, which a separate "
        "writer wrote without seeing the training pairs. Compare the scores with chance "
        "(0.33); for production verdicts use an MNLI/FEVER-scale model (docs/models.md).",
        "",
        f"Command: `{meta['command']}`",
        "",
        f"Seed {meta['seed']}; data sizes {meta['data']}; hyperparameters: "
        + ", ".join(f"{k}={v}" for k, v in hp.items())
        + ".",
        "",
        f"Training time: {tr['training_seconds']} s ({tr['training_seconds'] / 60:.1f} min) on "
        f"{m['cpus']} CPUs, {tr['train_examples']} training examples per epoch, "
        f"best dev epoch {tr['best_epoch']}. int8 variant `{meta['int8_variant']}`, "
        f"{meta['int8_size_mb']} MB.",
        "",
        "| epoch | train loss | seconds | dev accuracy | dev macro-F1 |",
        "| ---: | ---: | ---: | ---: | ---: |",
        epochs,
        "",
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB RAM, "
        f"Python {m['python']}. Packages: "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items())
        + ".",
        "",
        "## Test split",
        "",
    ]


def by_phenomenon(
    gold: Sequence[int], pred: np.ndarray, phenomena: Sequence[str]
) -> dict[str, dict[str, float]]:
    """Accuracy per reasoning pattern of the test pairs (the dataset's `phenomenon` field)."""
    out: dict[str, dict[str, float]] = {}
    for name in sorted(set(phenomena)):
        idx = [i for i, p in enumerate(phenomena) if p == name]
        correct = sum(int(pred[i] == gold[i]) for i in idx)
        out[name] = {"accuracy": correct / len(idx), "count": len(idx)}
    return out


def _phenomena_md(variants: dict[str, Any]) -> list[str]:
    names = list(variants)
    phen = variants[names[0]]["by_phenomenon"]
    if len(phen) < 2:
        return []
    lines = [
        "### Accuracy by phenomenon",
        "",
        "| phenomenon | pairs | " + " | ".join(names) + " |",
        "| --- | ---: |" + " ---: |" * len(names),
    ]
    for key, row in phen.items():
        accs = " | ".join(f"{variants[n]['by_phenomenon'][key]['accuracy']:.3f}" for n in names)
        lines.append(f"| {key} | {row['count']} | {accs} |")
    return [*lines, ""]


def write_results(
    prefix: Path,
    labels: Sequence[str],
    gold: Sequence[int],
    phenomena: Sequence[str],
    logits: dict[str, np.ndarray],
    meta: dict[str, Any],
) -> dict[str, Any]:
    reference = logits["torch-fp32"].argmax(axis=1)
    variants: dict[str, Any] = {}
    for name, values in logits.items():
        pred = values.argmax(axis=1)
        report = classification_report(gold, pred, labels)
        report["agreement_with_torch"] = float(np.mean(pred == reference))
        report["max_abs_logit_diff_vs_torch"] = float(np.abs(values - logits["torch-fp32"]).max())
        report["by_phenomenon"] = by_phenomenon(gold, pred, phenomena)
        variants[name] = report
    payload = {**meta, "labels": list(labels), "test": variants}
    prefix.parent.mkdir(parents=True, exist_ok=True)
    prefix.with_suffix(".json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    lines = _header_md(meta)
    for name, report in variants.items():
        lines += _variant_md(name, report, labels)
    lines += _phenomena_md(variants)
    prefix.with_suffix(".md").write_text("\n".join(lines), encoding="utf-8")
    return payload
