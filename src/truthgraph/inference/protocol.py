"""The inference contract shared by the in-process ONNX client and the HTTP client."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from truthgraph.domain import NLIScores


class InferenceError(RuntimeError):
    """Inference is unavailable or failed; callers answer 503, not 500."""


@dataclass(frozen=True)
class ModelInfo:
    name: str
    task: str  # "embedding" or "nli"
    quantization: str
    max_length: int
    source: str = ""
    dimension: int | None = None  # embedding models only
    labels: tuple[str, ...] = ()  # NLI output columns as the model emits them
    starter: bool = False  # trained here on a small set, not a production NLI model
    # NLI only: learned verdict weights fitted for this model (see truthgraph.aggregation).
    verdict: dict[str, Any] | None = None

    def describe(self) -> str:
        note = " [starter model: not for production verdicts]" if self.starter else ""
        return f"{self.name} ({self.quantization}){note}"


class InferenceClient(Protocol):
    """`embed` returns one unit-length float vector per text; `nli` returns probabilities
    in TruthGraph's canonical order (entailment, neutral, contradiction) whatever order
    the model emits them in."""

    @property
    def embedding_model(self) -> ModelInfo: ...

    @property
    def nli_model(self) -> ModelInfo: ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...

    def nli(self, pairs: Sequence[tuple[str, str]]) -> list[NLIScores]: ...

    def close(self) -> None: ...
