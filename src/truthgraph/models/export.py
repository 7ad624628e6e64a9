"""`models export`: turn a PyTorch checkpoint (a hub repo or a local folder) into a
TruthGraph model directory, for repos that carry no ONNX files.

Needs the optional `export` extra (torch, transformers, onnx); the runtime never does.
The graph is checked against torch before it is kept, then optionally quantised to int8,
and described by the same manifest code as `models pull`. `export_graph` and
`quantize_int8` also build the bundled models (scripts/models).
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import numpy as np

from truthgraph.models.describe import ModelPlan, Task, plan_model
from truthgraph.models.errors import HubError
from truthgraph.models.hub import download, list_repo
from truthgraph.models.model_dir import (
    InstalledModel,
    Variant,
    build_model_dir,
    check_free,
    install,
    staging,
)
from truthgraph.models.resolve import cache_folder, is_repo_id

OPSET = 17
# Largest |onnx - torch| accepted on the probe batch for the fp32 graph.
PARITY_TOLERANCE = 1e-3
# The checkpoint and tokenizer files `transformers` needs, fetched when the repo has them.
CHECKPOINT_FILES = (
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "vocab.txt",
    "vocab.json",
    "merges.txt",
    "spm.model",
    "sentencepiece.bpe.model",
    "sentence_bert_config.json",
    "modules.json",
    "1_Pooling/config.json",
)
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
WEIGHT_INDEXES = ("model.safetensors.index.json", "pytorch_model.bin.index.json")


class ExportUnavailable(HubError):
    """The `export` extra is not installed."""


def require(module: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ExportUnavailable(
            f"exporting needs {module.split('.')[0]}: install truthgraph[export] "
            "(pip install 'truthgraph[export]')"
        ) from None


def export_model(
    source: str,
    *,
    cache: Path,
    revision: str | None = None,
    variant: Variant = "fp32",
    task: Task | None = None,
    name: str | None = None,
    force: bool = False,
) -> InstalledModel:
    """Export `source` (a local checkpoint folder or a hub repo id) into the cache."""
    torch, transformers = require("torch"), require("transformers")
    require("onnx")
    local = Path(source).expanduser()
    model_name = name or (local.resolve().name if local.is_dir() else source)
    if not is_repo_id(model_name):
        raise HubError(f"{model_name!r} cannot name a cache folder; pass --name")
    target = cache_folder(cache, model_name)
    check_free(target, force=force)
    with staging(cache) as work:
        if local.is_dir():
            root, origin, license_value = local, f"export:{local.resolve()}", ""
        else:
            listing = list_repo(source, revision=revision)
            wanted = [f for f in CHECKPOINT_FILES if f in listing.files]
            root = download(
                listing, wanted + _weight_files(listing.files, source), into=work / "hub"
            )
            origin, license_value = f"hub:{source}@{listing.commit}", listing.license
        plan = plan_model(root, name=model_name, task=task)
        tokenizer = _tokenizer_file(transformers, root, work)
        fp32 = work / "fp32.onnx"
        _export(torch, transformers, root, plan, fp32)
        graph = fp32 if variant == "fp32" else quantize_int8(fp32, work / "int8.onnx")
        manifest = build_model_dir(
            work / "model",
            onnx_file=graph,
            tokenizer_file=tokenizer,
            plan=plan,
            name=model_name,
            source=origin,
            license=license_value,
            quantization=variant,
            description=f"exported to ONNX from {source}",
        )
        path = install(work / "model", target, force=force)
    return InstalledModel(path=path, manifest=manifest, onnx_file="export")


def _weight_files(files: list[str], repo_id: str) -> list[str]:
    for single in WEIGHT_FILES:
        if single in files:
            return [single]
    for index in WEIGHT_INDEXES:
        if index in files:
            stem = index.removesuffix(".index.json").rsplit(".", 1)
            shards = [f for f in files if f.startswith(stem[0] + "-") and f.endswith(stem[1])]
            return [index, *shards]
    raise HubError(f"{repo_id} has no PyTorch weights ({' or '.join(WEIGHT_FILES)})")


def _tokenizer_file(transformers: ModuleType, root: Path, work: Path) -> Path:
    """The repo's tokenizer.json, or one converted from its slow tokenizer files."""
    if (root / "tokenizer.json").is_file():
        return root / "tokenizer.json"
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(root), use_fast=True)
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        raise HubError(f"{root}: no tokenizer.json and no fast tokenizer to convert")
    path = work / "tokenizer.json"
    backend.save(str(path))
    return path


def model_inputs(model: Any) -> list[str]:
    """input_ids and attention_mask, plus token_type_ids where the model uses them."""
    names = ["input_ids", "attention_mask"]
    takes_types = "token_type_ids" in inspect.signature(model.forward).parameters
    # DeBERTa-v3 and others accept the argument but have no type embeddings.
    if takes_types and getattr(model.config, "type_vocab_size", 1) > 0:
        names.append("token_type_ids")
    return names


def _head(torch: ModuleType, model: Any) -> Any:
    """The model reduced to one tensor: logits, or the per-token hidden states (the
    runtime pools them as the manifest says)."""

    module: Any = torch.nn.Module

    class Head(module):  # type: ignore[misc]  # torch is loaded at run time, untyped
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any = None) -> Any:
            extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
            return self.model(input_ids=input_ids, attention_mask=attention_mask, **extra)[0]

    return Head().eval()


def _sample(
    torch: ModuleType, names: list[str], vocab: int, *, batch: int, length: int
) -> dict[str, Any]:
    """Random ids with one row padded, so that masking is part of the parity check."""
    generator = torch.Generator().manual_seed(batch * 1000 + length)
    ids = torch.randint(5, max(vocab, 6), (batch, length), generator=generator)
    mask = torch.ones_like(ids)
    mask[-1, length // 2 :] = 0
    values = {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids)}
    return {name: values[name] for name in names}


def _export(
    torch: ModuleType, transformers: ModuleType, root: Path, plan: ModelPlan, out: Path
) -> None:
    auto = (
        transformers.AutoModelForSequenceClassification
        if plan.task == "nli"
        else transformers.AutoModel
    )
    model = auto.from_pretrained(str(root)).eval()
    names = model_inputs(model)
    head = _head(torch, model)
    output = "logits" if plan.task == "nli" else "last_hidden_state"
    vocab = int(getattr(model.config, "vocab_size", 100))
    export_graph(head, out, sample=_sample(torch, names, vocab, batch=2, length=8), output=output)
    with torch.no_grad():
        probe = _sample(torch, names, vocab, batch=3, length=13)
        expected = head(**probe).numpy()
    got = onnx_run(out, output, {k: v.numpy() for k, v in probe.items()})
    gap = float(np.abs(got - expected).max())
    if gap > PARITY_TOLERANCE:
        raise HubError(
            f"{root}: the ONNX graph differs from torch by {gap:.2e} "
            f"(more than {PARITY_TOLERANCE:g}); not keeping it"
        )


def onnx_run(model: Path, output: str, feed: dict[str, Any]) -> Any:
    import onnxruntime as ort

    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    (result,) = session.run([output], feed)
    return result


WeightType = Literal["qint8", "quint8", "qint8rr"]


def export_graph(
    module: Any,
    out: Path,
    *,
    sample: dict[str, Any],
    output: str,
    dynamo: bool = True,
    output_axes: dict[int, str] | None = None,
) -> None:
    """Export a torch module to `out` (opset 17) with one output named `output`. It takes
    the tensors of `sample`, in order, as inputs named by their keys, each with dynamic
    batch and sequence axes. `dynamo=True` uses torch's default, torch.export-based
    exporter; `dynamo=False`, the TorchScript one, whose file is byte-identical from run
    to run and whose attention patterns ONNX Runtime's BERT optimiser recognises (the
    bundled models are built so). `output_axes` names the output's dynamic axes there."""
    torch = require("torch")
    names = list(sample)
    module.eval()
    with torch.no_grad():
        if dynamo:
            batch, sequence = torch.export.Dim("batch"), torch.export.Dim("sequence")
            torch.onnx.export(
                module,
                (),
                str(out),
                kwargs=sample,
                input_names=names,
                output_names=[output],
                opset_version=OPSET,
                dynamo=True,
                external_data=False,
                verbose=False,
                dynamic_shapes={name: {0: batch, 1: sequence} for name in names},
            )
            return
        axes = {name: {0: "batch", 1: "sequence"} for name in names}
        if output_axes is not None:
            axes[output] = output_axes
        torch.onnx.export(
            module,
            tuple(sample.values()),
            str(out),
            input_names=names,
            output_names=[output],
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def quantize_int8(
    source: Path, out: Path, *, per_channel: bool = True, weight_type: WeightType = "qint8"
) -> Path:
    """Dynamic int8 quantisation: weights stored in int8, activations quantised per
    batch at run time. One scale per output channel (the default) keeps transformer
    MatMuls accurate on CPU. `qint8rr` is signed int8 with 7-bit range, which avoids the
    saturating u8*s8 multiply-add of CPUs without AVX-VNNI."""
    quantization = require("onnxruntime.quantization")
    onnx = require("onnx")
    quantization.quantize_dynamic(
        model_input=str(source),
        model_output=str(out),
        per_channel=per_channel,
        reduce_range=weight_type == "qint8rr",
        weight_type=(
            quantization.QuantType.QUInt8
            if weight_type == "quint8"
            else quantization.QuantType.QInt8
        ),
        # Shape inference cannot type the outputs of fused contrib ops (Attention, ...).
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    return out
