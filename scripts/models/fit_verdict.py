"""Fit the learned verdict weights of an NLI model on development claims.

Two kinds of development claims, used together or alone:
- the dev split of data/nli as a small fact-checking task: every dev premise is a
  document of a corpus, every hypothesis a claim (entailment -> SUPPORTED, contradiction
  -> REFUTED, neutral -> NOT_ENOUGH_INFO);
- data/verdict-dev: documents and claims written as a fact-checking task (near-miss
  documents, claims in people's words), the same format as eval/.
The full pipeline (retrieval, NLI on passages
and windows, conflict checks) runs on each claim with the model's readable rules, the
claim-level features of truthgraph.aggregation are collected, and a multinomial
logistic regression with L2 is fitted on them by full-batch Newton steps. Its
coefficients go into the model's manifest under `verdict`, with the cross-validated
accuracy and expected calibration error (ECE) measured on the same claims.

    python scripts/models/fit_verdict.py --model src/truthgraph/bundle/nli-starter-minilm-l6-int8 \
        --task data/verdict-dev/corpus-sciences.jsonl data/verdict-dev/claims-sciences.jsonl \
        --task data/verdict-dev/corpus-humanities.jsonl data/verdict-dev/claims-humanities.jsonl

Never fitted on eval/: those sets measure the result.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from truthgraph.aggregation import CLASSES, FEATURES, features
from truthgraph.config import Settings
from truthgraph.domain import SourceDocument
from truthgraph.ingest.readers import ReadItem
from truthgraph.ingest.service import Ingestor
from truthgraph.pipeline import Verifier
from truthgraph.runtime import local_inference
from truthgraph.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[2]
VERDICT_OF = {"entailment": "SUPPORTED", "contradiction": "REFUTED", "neutral": "NOT_ENOUGH_INFO"}
L2 = 1.0
FOLDS = 5


Task = tuple[list[SourceDocument], list[dict[str, str]]]


def dev_task(path: Path) -> Task:
    documents: dict[str, SourceDocument] = {}
    claims = []
    for line in path.read_text("utf-8").splitlines():
        row = json.loads(line)
        if row["made"] != "written":
            continue
        documents.setdefault(
            row["premise_id"], SourceDocument(id=row["premise_id"], text=row["premise"])
        )
        claims.append(
            {
                "claim": row["hypothesis"],
                "label": VERDICT_OF[row["label"]],
                "premise_id": row["premise_id"],
            }
        )
    return list(documents.values()), claims


def corpus_task(corpus: Path, claims_path: Path) -> Task:
    """A corpus and labelled claims in the format of eval/ (one group per first cited
    document, so cross-validation never splits a document's claims)."""
    documents = []
    for line in corpus.read_text("utf-8").splitlines():
        row = json.loads(line)
        documents.append(SourceDocument(id=row["id"], text=row["text"], title=row["title"]))
    claims = []
    for line in claims_path.read_text("utf-8").splitlines():
        row = json.loads(line)
        first = row["evidence"][0]["doc_id"] if row["evidence"] else row["id"]
        claims.append({"claim": row["claim"], "label": row["label"], "premise_id": first})
    return documents, claims


def collect(model_dir: Path, task: Task) -> tuple[np.ndarray, np.ndarray, list[str], float]:
    """Features, class ids and groups of the dev claims, and the rules' accuracy."""
    documents, claims = task
    settings = Settings(nli_model=str(model_dir))
    inference = local_inference(settings)
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "dev.db")
        items: list[ReadItem] = list(documents)
        Ingestor(store, inference).ingest_items(items)
        verifier = Verifier(store, inference)
        verifier.verdict_model = None  # features come from the rules' pipeline run
        rows = []
        rules_right = 0
        for claim, result in zip(
            claims, verifier.verify_many(c["claim"] for c in claims), strict=True
        ):
            by_rank = sorted(result.evidence, key=lambda e: -e.retrieved.fused_score)
            values = features(claim["claim"], by_rank, result.windows, result.findings)
            rows.append([values[name] for name in FEATURES])
            rules_right += result.verdict.value == claim["label"]
        store.close()
    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray([[c.value for c in CLASSES].index(c["label"]) for c in claims])
    return x, y, [c["premise_id"] for c in claims], rules_right / len(claims)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 50) -> np.ndarray:
    """Multinomial logistic regression by Newton's method; returns W of shape
    (classes, features + 1), the last column the bias (not penalised)."""
    n, d = x.shape
    k = len(CLASSES)
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros((k, d + 1))
    onehot = np.eye(k)[y]
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(steps):
        p = softmax(xb @ w.T)
        grad = ((p - onehot).T @ xb) + w * penalty
        hess = np.zeros((k * (d + 1), k * (d + 1)))
        for a in range(k):
            for b in range(k):
                weight = p[:, a] * ((a == b) - p[:, b])
                block = (xb * weight[:, None]).T @ xb
                if a == b:
                    block += np.diag(penalty) + 1e-6 * np.eye(d + 1)
                hess[a * (d + 1) : (a + 1) * (d + 1), b * (d + 1) : (b + 1) * (d + 1)] = block
        step = np.linalg.lstsq(hess, grad.reshape(-1), rcond=None)[0]
        w -= step.reshape(k, d + 1)
        if np.abs(step).max() < 1e-8:
            break
    return w


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return softmax(np.hstack([x, np.ones((len(x), 1))]) @ w.T)


def ece(probs: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    conf = probs.max(axis=1)
    right = probs.argmax(axis=1) == y
    total = 0.0
    for b in range(bins):
        mask = (conf > b / bins) & (conf <= (b + 1) / bins)
        if mask.any():
            total += mask.sum() * abs(right[mask].mean() - conf[mask].mean())
    return float(total / len(y))


def cross_validate(
    x: np.ndarray, y: np.ndarray, groups: list[str], sources: list[str]
) -> dict[str, Any]:
    """Folds by premise, so a premise's claims never sit on both sides; accuracy overall
    and per source of claims."""
    keys = sorted(set(groups))
    random.Random(0).shuffle(keys)
    fold_of = {key: i % FOLDS for i, key in enumerate(keys)}
    folds = np.asarray([fold_of[g] for g in groups])
    probs = np.zeros((len(y), len(CLASSES)))
    for f in range(FOLDS):
        test = folds == f
        probs[test] = predict(fit(x[~test], y[~test]), x[test])
    right = probs.argmax(1) == y
    by_source = {
        source: round(float(right[[s == source for s in sources]].mean()), 4)
        for source in dict.fromkeys(sources)
    }
    return {
        "accuracy": round(float(right.mean()), 4),
        "ece": round(ece(probs, y), 4),
        "accuracy_by_source": by_source,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, required=True, help="NLI model directory to update")
    ap.add_argument("--data", type=Path, help="NLI pairs used as a task (e.g. data/nli/dev.jsonl)")
    ap.add_argument(
        "--task",
        nargs=2,
        action="append",
        type=Path,
        default=[],
        metavar=("CORPUS", "CLAIMS"),
        help="a corpus and its labelled claims (repeatable)",
    )
    args = ap.parse_args()
    parts = [collect(args.model, dev_task(args.data))] if args.data else []
    parts += [collect(args.model, corpus_task(corpus, claims)) for corpus, claims in args.task]
    if not parts:
        ap.error("give --data, --task or both")
    x = np.vstack([part[0] for part in parts])
    y = np.concatenate([part[1] for part in parts])
    groups = [g for part in parts for g in part[2]]
    rules_accuracy = sum(part[3] * len(part[1]) for part in parts) / len(y)
    sources = [str(args.data)] if args.data else []
    sources += [str(claims) for _, claims in args.task]
    source_of = [source for source, part in zip(sources, parts, strict=True) for _ in part[1]]
    w = fit(x, y)
    checked = cross_validate(x, y, groups, source_of)
    manifest_path = args.model / "manifest.json"
    manifest: dict[str, Any] = json.loads(manifest_path.read_text("utf-8"))
    manifest["verdict"] = {
        "features": list(FEATURES),
        "classes": [c.value for c in CLASSES],
        "weights": [[round(float(v), 6) for v in row[:-1]] for row in w],
        "bias": [round(float(row[-1]), 6) for row in w],
        "fitted_on": f"{', '.join(sources)} ({len(y)} claims, written only)",
        "cross_validated": checked,
        "rules_accuracy": round(rules_accuracy, 4),
        "l2": L2,
    }
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(
        json.dumps({"claims": len(y), "cross_validated": checked, "rules_accuracy": rules_accuracy})
    )


if __name__ == "__main__":
    main()
