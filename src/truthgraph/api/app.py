"""The application factory. The store, the models and the job workers start in the
lifespan, so tests can build as many independent apps as they like."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from truthgraph import __version__
from truthgraph.api.body_limit import BodyLimitMiddleware
from truthgraph.api.deps import AppState
from truthgraph.api.errors import install_error_handlers
from truthgraph.api.gate import GateMiddleware
from truthgraph.api.headers import SecurityHeadersMiddleware
from truthgraph.api.metrics import ApiMetrics
from truthgraph.api.openapi import contract
from truthgraph.api.readiness import DependencyMonitor, Probed
from truthgraph.api.routes import check, documents, health, jobs, verify
from truthgraph.config import Settings
from truthgraph.inference.protocol import InferenceClient
from truthgraph.jobs import JobRunner
from truthgraph.pipeline import Verifier
from truthgraph.store.protocol import Store
from truthgraph.ui.mount import UPLOAD_PATHS, install_ui
from truthgraph.web.timing import TimingMiddleware

# Bodies other than document uploads are small JSON: refuse anything larger early.
MAX_JSON_BODY = 4_000_000
UPLOAD_PATH = "/v1/documents"


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    inference: InferenceClient | None = None,
    poll_seconds: float = 1.0,
) -> FastAPI:
    """Build the API. `store` and `inference` default to what the settings select."""
    settings = settings or Settings()
    metrics = ApiMetrics()

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
            the_store.records,
            verifier,
            workers=settings.job_workers,
            lease_seconds=settings.job_lease_seconds,
            poll_seconds=poll_seconds,
        )
        checks = {"database": the_store.ping}
        if isinstance(the_inference, Probed):
            checks["inference"] = the_inference.check
        monitor = DependencyMonitor(checks)
        app.state.truthgraph = AppState(settings, the_store, verifier, runner, metrics, monitor)
        monitor.start()
        runner.start()
        try:
            yield
        finally:
            runner.stop()
            monitor.stop()
            if inference is None:
                the_inference.close()
            if own_store:
                the_store.close()
            metrics.registry.close()

    app = FastAPI(
        title="TruthGraph API",
        version=__version__,
        lifespan=lifespan,
        description="Evidence retrieval, natural language inference and cited verdicts.",
    )
    install_error_handlers(app)
    app.openapi = contract(app, settings)  # type: ignore[method-assign]
    for module in (documents, verify, check, jobs, health):
        app.include_router(module.router)
    install_ui(app, settings)

    def body_limit(path: str) -> int:
        uploads = path == UPLOAD_PATH or path in UPLOAD_PATHS
        return settings.max_upload_bytes if uploads else MAX_JSON_BODY

    # Added innermost first: security headers wrap every answer, the gate (key, rate)
    # answers before any body is read, and the body limit caps what the routes read.
    app.add_middleware(BodyLimitMiddleware, limit_for=body_limit)
    app.add_middleware(GateMiddleware, settings=settings)
    app.add_middleware(TimingMiddleware, metrics=metrics.http)
    app.add_middleware(SecurityHeadersMiddleware)
    return app
