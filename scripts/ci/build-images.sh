#!/usr/bin/env bash
# Build everything the Docker tests need on a host that cannot pull images: start
# dockerd, build the Debian-based stand-in bases, then both TruthGraph images from
# them. Prints the variables the tests read (eval "$(scripts/ci/build-images.sh)").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
readonly TAG=${TRUTHGRAPH_IMAGE_TAG:-ci}

{
  scripts/ci/start-dockerd.sh
  docker/standins/build-bases.sh
  for image in api-core ml-inference; do
    started=$SECONDS
    scripts/ci/docker-build.sh --standins --quiet -f "docker/$image.Dockerfile" \
      -t "truthgraph/$image:$TAG" .
    echo "built truthgraph/$image:$TAG in $((SECONDS - started)) s"
  done
  # A deliberately bloated image: image-audit must report every one of its problems.
  scripts/ci/docker-build.sh --quiet --build-arg BASE=truthgraph/python:3.13-slim-trixie \
    -f tests/imageaudit/fixtures/bloated.Dockerfile -t "truthgraph/imageaudit-bloated:$TAG" \
    tests/imageaudit/fixtures/bloated-context
} >&2

cat <<VARS
export TRUTHGRAPH_TEST_API_IMAGE=truthgraph/api-core:$TAG
export TRUTHGRAPH_TEST_ML_IMAGE=truthgraph/ml-inference:$TAG
export TRUTHGRAPH_TEST_BASE_IMAGE=truthgraph/python:3.13-slim-trixie
export TRUTHGRAPH_TEST_PG_IMAGE=truthgraph/pgvector:pg17
export IMAGEAUDIT_TEST_IMAGE=truthgraph/api-core:$TAG
export IMAGEAUDIT_BLOATED_IMAGE=truthgraph/imageaudit-bloated:$TAG
VARS
