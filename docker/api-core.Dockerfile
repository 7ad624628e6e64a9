# TruthGraph core API: FastAPI over PostgreSQL, no ML libraries at all.
#
#   docker build -f docker/api-core.Dockerfile -t truthgraph/api-core .
#   (air-gapped: --build-arg BASE_IMAGE=<local stand-in>; see docs/airgapped-builds.md)
ARG BASE_IMAGE=python:3.13-slim-trixie
# The build stage needs venv's pip bootstrap; the official image has it, the air-gapped
# stand-in keeps it in a separate image so that the runtime base carries no pip wheels.
ARG BUILD_IMAGE=${BASE_IMAGE}

FROM ${BUILD_IMAGE} AS builder
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
RUN groupadd --system --gid 999 truthgraph \
    && useradd --system --uid 999 --gid 999 --no-create-home --home-dir /tmp truthgraph
COPY --from=builder /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOME=/tmp \
    TRUTHGRAPH_INFERENCE=remote TRUTHGRAPH_INFERENCE_URL=http://ml-inference:8001
USER 999:999
EXPOSE 8000
# Bash's /dev/tcp, not Python (a Python start costs ~250 ms of CPU on a read-only root)
# nor curl (one package more): a check costs about a millisecond.
COPY docker/healthcheck.sh /usr/local/bin/truthgraph-healthcheck
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["truthgraph-healthcheck", "8000", "/health"]
CMD ["truthgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]

# Labels of our own (the base image's created/base.name would otherwise pass for ours),
# last so that a new revision or date rebuilds no layer. scripts/ci/build-images.sh
# sets REVISION, CREATED and SOURCE from git.
ARG BASE_IMAGE
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=unknown
LABEL org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${BASE_IMAGE}" \
      org.opencontainers.image.title="truthgraph-api-core" \
      org.opencontainers.image.description="TruthGraph core REST API (no ML dependencies)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
