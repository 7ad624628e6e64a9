# Smoke test of the build pattern TruthGraph images use: pip through the
# build host's proxy, trusting its CA via a BuildKit secret that never lands
# in a layer. Builds unchanged against the official image:
#   docker build --build-arg BUILD_IMAGE=python:3.13-slim-trixie ...
ARG BUILD_IMAGE=truthgraph/python:3.13-venv-trixie
FROM ${BUILD_IMAGE}

# A venv works the same on the official image (pip in /usr/local) and the
# stand-in (Debian's python3, which has no pip and refuses system installs).
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# The secret is optional: without --secret id=ca pip uses its own CA bundle.
# HTTP(S)_PROXY/NO_PROXY are predefined build args: they reach RUN without
# being declared and are kept out of the image's config and history.
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi; \
    pip install --no-cache-dir --disable-pip-version-check six==1.17.0 \
    && python -c 'import six; print("six", six.__version__)'

CMD ["python", "-c", "import six, sys; print(sys.version.split()[0], 'six', six.__version__)"]
