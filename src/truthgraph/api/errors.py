"""The core API's error answers: the shared problem handlers, plus the failures of
the pipeline, the models and the store."""

from __future__ import annotations

from fastapi import FastAPI

from truthgraph.inference.protocol import InferenceError
from truthgraph.pipeline import ClaimError
from truthgraph.store.protocol import StoreError
from truthgraph.web.problems import answer_with, install_problem_handlers


def install_error_handlers(app: FastAPI) -> None:
    install_problem_handlers(app)
    answer_with(app, ClaimError, 422, "invalid_claim")
    answer_with(
        app,
        InferenceError,
        503,
        "inference_unavailable",
        "The inference service is unavailable; retry shortly.",
    )
    # The error names the database (a socket path, a host, a database name): the
    # client learns only that the store is unavailable.
    answer_with(
        app, StoreError, 503, "store_unavailable", "The database is unavailable; retry shortly."
    )
