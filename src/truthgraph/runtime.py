"""Building the store and the inference client that the settings ask for."""

from __future__ import annotations

from truthgraph.config import Settings
from truthgraph.inference.protocol import InferenceClient, InferenceError
from truthgraph.store.protocol import Store, StoreError


def open_store(settings: Settings) -> Store:
    path = settings.sqlite_path
    if path is not None:
        from truthgraph.store.sqlite import SQLiteStore

        return SQLiteStore(path)
    raise StoreError("PostgreSQL needs server mode, which this build does not include yet")


def open_inference(settings: Settings) -> InferenceClient:
    if settings.inference == "remote":
        raise InferenceError("remote inference is not available in this build yet")
    try:
        from truthgraph.inference.onnx import LocalInference
    except ImportError as exc:
        raise InferenceError(
            f"in-process inference needs the ml extra (pip install 'truthgraph[ml]'): {exc}"
        ) from None
    from truthgraph.inference.models import resolve_model

    return LocalInference(
        resolve_model(settings.embed_model, cache=settings.model_cache),
        resolve_model(settings.nli_model, cache=settings.model_cache),
        threads=settings.onnx_threads,
    )
