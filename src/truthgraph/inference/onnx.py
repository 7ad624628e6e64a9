"""In-process inference on ONNX Runtime with Hugging Face `tokenizers`; no torch.

Inputs are tokenised once, sorted by length and cut into batches under a token budget,
so a batch of short sentences is not padded to the longest passage in the request.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from truthgraph.domain import CANONICAL_LABELS, NLIScores
from truthgraph.inference.batching import length_batches
from truthgraph.inference.manifest import ModelManifest, load_manifest, stance_for_label
from truthgraph.inference.protocol import InferenceError, ModelInfo

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import onnxruntime as ort  # noqa: E402  (after the telemetry opt-out)
from tokenizers import Encoding, Tokenizer  # noqa: E402

Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]


class OnnxModel:
    """One ONNX session plus its tokenizer, batching inputs by token length."""

    def __init__(
        self,
        model_dir: Path,
        *,
        task: str,
        threads: int = 0,
        max_batch: int = 32,
        token_budget: int = 8192,
    ) -> None:
        self.dir = model_dir
        self.manifest: ModelManifest = load_manifest(model_dir, task=task)
        self.max_batch = max_batch
        self.token_budget = token_budget
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(model_dir / "model.onnx"),
            sess_options=options,
            providers=["CPUExecutionProvider"],
        )
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.manifest.max_length)
        pad = self.tokenizer.token_to_id("[PAD]")
        self.pad_id = 0 if pad is None else pad

    @property
    def info(self) -> ModelInfo:
        return self.manifest.info()

    def _batches(self, encodings: Sequence[Encoding]) -> list[list[int]]:
        lengths = [len(e.ids) for e in encodings]
        return length_batches(lengths, self.max_batch, self.token_budget)

    def _feed(self, batch: Sequence[Encoding]) -> tuple[dict[str, Int64Array], Int64Array]:
        width = max(len(e.ids) for e in batch)
        ids = np.full((len(batch), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        types = np.zeros((len(batch), width), dtype=np.int64)
        for row, encoding in enumerate(batch):
            n = len(encoding.ids)
            ids[row, :n] = encoding.ids
            mask[row, :n] = 1
            types[row, :n] = encoding.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        return {name: value for name, value in feed.items() if name in self.input_names}, mask

    def run(self, encodings: Sequence[Encoding]) -> list[tuple[FloatArray, Int64Array]]:
        """Model output and attention mask per input, in input order."""
        results: list[tuple[FloatArray, Int64Array] | None] = [None] * len(encodings)
        for batch_index in self._batches(encodings):
            feed, mask = self._feed([encodings[i] for i in batch_index])
            try:
                (output,) = self.session.run([self.manifest.output], feed)
            except Exception as exc:  # onnxruntime raises its own untyped errors
                raise InferenceError(f"{self.manifest.name}: inference failed: {exc}") from exc
            for row, index in enumerate(batch_index):
                results[index] = (np.asarray(output[row]), mask[row])
        return [r for r in results if r is not None]


class OnnxEmbedder:
    def __init__(self, model_dir: Path, *, threads: int = 0) -> None:
        self.model = OnnxModel(model_dir, task="embedding", threads=threads)

    def embed(self, texts: Sequence[str]) -> FloatArray:
        if not texts:
            dim = self.model.manifest.dimension or 0
            return np.zeros((0, dim), dtype=np.float32)
        encodings = self.model.tokenizer.encode_batch(list(texts))
        vectors = [self._pool(out, mask) for out, mask in self.model.run(encodings)]
        matrix = np.stack(vectors).astype(np.float32)
        if self.model.manifest.normalize:
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            matrix = matrix / np.maximum(norms, 1e-12)
        return matrix

    def _pool(self, states: FloatArray, mask: Int64Array) -> FloatArray:
        if states.ndim == 1:  # the graph already pooled
            return states
        if self.model.manifest.pooling == "cls":
            first: FloatArray = states[0]
            return first
        # Mean over real tokens only, as sentence-transformers does.
        pooled: FloatArray = states[: int(mask.sum())].mean(axis=0)
        return pooled


class OnnxNLI:
    def __init__(self, model_dir: Path, *, threads: int = 0) -> None:
        # A small token budget keeps short passages out of the long windows' padding.
        self.model = OnnxModel(
            model_dir, task="nli", threads=threads, max_batch=16, token_budget=1024
        )
        stances = [stance_for_label(label) for label in self.model.manifest.labels]
        # Column of the model output that holds each canonical stance.
        self.columns = [stances.index(stance) for stance in CANONICAL_LABELS]

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> FloatArray:
        """Softmax probabilities, one row per (premise, hypothesis), canonical order."""
        if not pairs:
            return np.zeros((0, 3), dtype=np.float32)
        encodings = self.model.tokenizer.encode_batch([(p, h) for p, h in pairs])
        logits = np.stack([out for out, _ in self.model.run(encodings)]).astype(np.float64)
        logits = logits[:, self.columns]
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probs: FloatArray = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
        return probs


class LocalInference:
    """The in-process `InferenceClient` of the embedded default."""

    def __init__(self, embed_dir: Path, nli_dir: Path, *, threads: int = 0) -> None:
        self.embedder = OnnxEmbedder(embed_dir, threads=threads)
        self.nli_runner = OnnxNLI(nli_dir, threads=threads)

    @property
    def embedding_model(self) -> ModelInfo:
        return self.embedder.model.info

    @property
    def nli_model(self) -> ModelInfo:
        return self.nli_runner.model.info

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        result: list[list[float]] = self.embedder.embed(texts).tolist()
        return result

    def nli(self, pairs: Sequence[tuple[str, str]]) -> list[NLIScores]:
        rows: list[Any] = self.nli_runner.probabilities(pairs).tolist()
        return [NLIScores(entailment=e, neutral=n, contradiction=c) for e, n, c in rows]

    def close(self) -> None:
        """Sessions free their memory when dropped; nothing to release early."""
