"""The core REST API: a thin FastAPI layer over the pipeline, store and job runner."""
