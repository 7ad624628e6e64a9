"""The ml-inference ASGI app: embedding and NLI over HTTP (routes.py), with the
models loaded in the lifespan (state.py)."""

from __future__ import annotations

from fastapi import FastAPI

from truthgraph import __version__
from truthgraph.config import Settings
from truthgraph.inference.protocol import InferenceError
from truthgraph.mlserver.routes import router
from truthgraph.mlserver.state import MLState, lifespan
from truthgraph.web.problems import answer_with, install_problem_handlers
from truthgraph.web.timing import TimingMiddleware


def create_ml_app(settings: Settings | None = None) -> FastAPI:
    state = MLState(settings or Settings())
    app = FastAPI(title="TruthGraph ml-inference", version=__version__, lifespan=lifespan)
    app.state.ml = state
    install_problem_handlers(app)
    answer_with(
        app,
        InferenceError,
        503,
        "inference_unavailable",
        "The inference service is unavailable; retry shortly.",
    )
    app.include_router(router)
    app.add_middleware(TimingMiddleware, metrics=state.metrics.http)
    return app
