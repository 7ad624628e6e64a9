#!/usr/bin/env bash
# Regenerate the hashed requirements files from pyproject.toml.
# They pin every package with its hashes and record no index URL, so installs are
# reproducible with `pip install --require-hashes -r requirements/X.txt`.
set -euo pipefail
cd "$(dirname "$0")/.."
compile() {
  local out=$1
  shift
  uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
    --generate-hashes --no-header --no-emit-index-url --output-file "requirements/$out" "$@"
}
compile core.txt
compile embedded.txt --extra ml
compile server.txt --extra postgres
compile dev.txt --extra ml --extra postgres --group dev
# The ml-inference image: core + ml, without huggingface-hub and what only it needs
# (tokenizers and `truthgraph models pull` use it only to download from the hub, which the
# service never does).
# The image installs this file with --no-deps.
hub_only=(huggingface-hub hf-xet fsspec filelock httpx2 httpcore2 httpx2-jsfetch truststore
  pyyaml tqdm colorama)
# The conflict checks (pint) run in the core API, never in the ml-inference service.
hub_only+=(pint flexcache flexparser platformdirs)
# Nor does it serve the web UI's pages.
hub_only+=(jinja2 markupsafe)
compile ml-service.txt --extra ml "${hub_only[@]/#/--no-emit-package=}"
