"""The application factory. The store, the models and the job workers start in the
lifespan, so tests can build as many independent apps as they like."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from truthgraph import __version__
from truthgraph.api.deps import AppState
from truthgraph.api.errors import install_error_handlers, problem_response
from truthgraph.api.metrics import Metrics, route_template
from truthgraph.api.routes import documents, health, jobs, verify
from truthgraph.config import Settings
from truthgraph.inference.protocol import InferenceClient
from truthgraph.jobs import JobRunner
from truthgraph.pipeline import Verifier
from truthgraph.store.protocol import Store

# Bodies other than document uploads are small JSON: refuse anything larger early.
MAX_JSON_BODY = 4_000_000


def create_app(
    settings: Settings | None = None, *, store: Store | None = None,
    inference: InferenceClient | None = None, poll_seconds: float = 1.0,
) -> FastAPI:
    """Build the API. `store` and `inference` default to what the settings select."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from truthgraph.runtime import open_inference, open_store

        own_store = store is None
        the_store = store if store is not None else open_store(settings)
        the_inference = inference if inference is not None else open_inference(settings)
        verifier = Verifier(
            the_store, the_inference, top_k=settings.top_k, candidates=settings.candidates
        )
        runner = JobRunner(
            the_store.records, verifier, workers=settings.job_workers,
            lease_seconds=settings.job_lease_seconds, poll_seconds=poll_seconds,
        )
        app.state.truthgraph = AppState(settings, the_store, verifier, runner, Metrics())
        runner.start()
        try:
            yield
        finally:
            runner.stop()
            if inference is None:
                the_inference.close()
            if own_store:
                the_store.close()

    app = FastAPI(
        title="TruthGraph API", version=__version__, lifespan=lifespan,
        description="Evidence retrieval, natural language inference and cited verdicts.",
    )
    install_error_handlers(app)
    for module in (documents, verify, jobs, health):
        app.include_router(module.router)

    @app.middleware("http")
    async def guard_and_measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        declared = request.headers.get("content-length", "")
        if (
            declared.isdigit() and int(declared) > MAX_JSON_BODY
            and not request.url.path.startswith("/v1/documents")
        ):
            return problem_response(
                request, 413, "payload_too_large", f"The body exceeds {MAX_JSON_BODY} bytes."
            )
        started = time.perf_counter()
        response = await call_next(request)
        route = route_template(request)
        state: AppState | None = getattr(app.state, "truthgraph", None)
        if state is not None:
            state.metrics.requests.inc(
                method=request.method, route=route, status=str(response.status_code)
            )
            state.metrics.latency.observe(time.perf_counter() - started, route=route)
        return response

    return app
