"""Building the store and the inference client that the settings ask for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from truthgraph.config import Settings
from truthgraph.inference.protocol import InferenceClient, InferenceError
from truthgraph.store.protocol import Store, StoreError

if TYPE_CHECKING:
    from truthgraph.inference.onnx import LocalInference


def open_store(settings: Settings) -> Store:
    path = settings.sqlite_path
    if path is not None:
        from truthgraph.store.sqlite import SQLiteStore

        return SQLiteStore(path)
    try:
        from truthgraph.store.postgres import PostgresStore
    except ImportError as exc:
        raise StoreError(
            f"PostgreSQL needs the postgres extra (pip install 'truthgraph[postgres]'): {exc}"
        ) from None
    return PostgresStore(settings.database_url, pool_size=settings.db_pool_size)


def open_inference(settings: Settings) -> InferenceClient:
    if settings.inference == "remote":
        from truthgraph.inference.remote import RemoteInference

        return RemoteInference(
            settings.inference_url,
            timeout=settings.inference_timeout,
            retries=settings.inference_retries,
        )
    return local_inference(settings)


def local_inference(settings: Settings) -> LocalInference:
    """The in-process ONNX client over the models the settings select (the embedded
    default, and what the ml-inference service serves)."""
    try:
        from truthgraph.inference.onnx import LocalInference
    except ImportError as exc:
        raise InferenceError(
            f"in-process inference needs the ml extra (pip install 'truthgraph[ml]'): {exc}"
        ) from None
    from truthgraph.models.resolve import resolve_model

    return LocalInference(
        resolve_model(settings.embed_model, cache=settings.model_cache),
        resolve_model(settings.nli_model, cache=settings.model_cache),
        threads=settings.onnx_threads,
    )
