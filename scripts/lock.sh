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
compile dev.txt --extra ml --group dev
