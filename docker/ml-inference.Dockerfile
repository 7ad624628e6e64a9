# TruthGraph ml-inference: ONNX Runtime + tokenizers + numpy behind a small HTTP API.
# No torch, no CUDA, no compilers. Models are mounted at /models by default; the
# `with-models` target bakes the offline bundle into one last layer instead.
#
#   docker build -f docker/ml-inference.Dockerfile -t truthgraph/ml-inference .
#   docker build -f docker/ml-inference.Dockerfile --target with-models -t ... .
ARG BASE_IMAGE=python:3.13-slim-trixie
# The build stage needs venv's pip bootstrap; the official image has it, the air-gapped
# stand-in keeps it in a separate image so that the runtime base carries no pip wheels.
ARG BUILD_IMAGE=${BASE_IMAGE}

FROM ${BUILD_IMAGE} AS builder
ENV PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python3 -m venv /opt/venv
COPY requirements/ml-service.txt /tmp/requirements.txt
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi; \
    /opt/venv/bin/pip install --no-deps --require-hashes -r /tmp/requirements.txt
COPY pyproject.toml README.md docker/prune-venv.sh /src/
COPY src /src/src
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi; \
    /opt/venv/bin/pip install --no-deps /src \
    && sh /src/prune-venv.sh /opt/venv

FROM ${BASE_IMAGE} AS service
RUN groupadd --system --gid 999 truthgraph \
    && useradd --system --uid 999 --gid 999 --no-create-home --home-dir /tmp truthgraph
COPY --from=builder /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOME=/tmp \
    ORT_DISABLE_TELEMETRY=1 \
    TRUTHGRAPH_EMBED_MODEL=/models/embedder-minilm-l6-int8 \
    TRUTHGRAPH_NLI_MODEL=/models/nli-starter-minilm-l6-int8
USER 999:999
EXPOSE 8001
# Bash's /dev/tcp, not Python (a Python start costs ~250 ms of CPU on a read-only root)
# nor curl (one package more): a check costs about a millisecond.
COPY docker/healthcheck.sh /usr/local/bin/truthgraph-healthcheck
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["truthgraph-healthcheck", "8001", "/ready"]
CMD ["truthgraph", "ml-serve", "--host", "0.0.0.0", "--port", "8001"]

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
      org.opencontainers.image.title="truthgraph-ml-inference" \
      org.opencontainers.image.description="TruthGraph embedding and NLI service (ONNX Runtime, CPU)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"

# Optional: the offline model bundle baked into one last layer.
FROM service AS with-models
COPY --chown=999:999 src/truthgraph/bundle /models

# The default target: models come from a volume mounted at /models.
FROM service AS runtime
