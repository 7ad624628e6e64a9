# TruthGraph core API: FastAPI over PostgreSQL, no ML libraries at all.
#
#   docker build -f docker/api-core.Dockerfile -t truthgraph/api-core .
#   (air-gapped: --build-arg BASE_IMAGE=<local stand-in>; see docs/airgapped-builds.md)
ARG BASE_IMAGE=python:3.13-slim-trixie

FROM ${BASE_IMAGE} AS builder
# No .pyc written at random; we compile once, deliberately, below.
ENV PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python3 -m venv /opt/venv
# Dependencies first, in their own layer: it is rebuilt only when the lock changes.
# The proxy CA is a secret mounted for this step only, never stored in a layer.
COPY requirements/server.txt /tmp/requirements.txt
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi; \
    /opt/venv/bin/pip install --no-deps --require-hashes -r /tmp/requirements.txt
COPY pyproject.toml README.md docker/prune-venv.sh /src/
COPY src /src/src
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi; \
    /opt/venv/bin/pip install --no-deps /src \
    && sh /src/prune-venv.sh /opt/venv

FROM ${BASE_IMAGE} AS runtime
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="truthgraph-api-core" \
      org.opencontainers.image.description="TruthGraph core REST API (no ML dependencies)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 999 truthgraph \
    && useradd --system --uid 999 --gid 999 --no-create-home --home-dir /tmp truthgraph
COPY --from=builder /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOME=/tmp \
    TRUTHGRAPH_INFERENCE=remote TRUTHGRAPH_INFERENCE_URL=http://ml-inference:8001
USER 999:999
EXPOSE 8000
# Python's standard library instead of curl: nothing extra in the image.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
CMD ["truthgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
