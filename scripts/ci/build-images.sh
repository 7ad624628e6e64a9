#!/usr/bin/env bash
# Build everything the Docker tests need on a host that cannot pull images: start
# dockerd, build the Debian-based stand-in bases, then both TruthGraph images from
# them. Prints the variables that compose and the tests read
# (eval "$(scripts/ci/build-images.sh)").
#
# Image names (docs/deployment.md): truthgraph/api-core:TAG and
# truthgraph/ml-inference:TAG, TAG from TRUTHGRAPH_IMAGE_TAG, by default the
# version in pyproject.toml, which is also what both compose files default to.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' pyproject.toml)
readonly VERSION
readonly TAG=${TRUTHGRAPH_IMAGE_TAG:-$VERSION}
readonly PG_STANDIN=truthgraph/pgvector:pg17

# OCI labels of our own: where the source is, which commit, when.
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [[ $revision != unknown && -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]]; then
  revision+=-dirty
fi
source_url=$(git remote get-url origin 2>/dev/null || echo "file://$PWD")
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)

{
  scripts/ci/start-dockerd.sh
  docker/standins/build-bases.sh
  for image in api-core ml-inference; do
    started=$SECONDS
    scripts/ci/docker-build.sh --standins --quiet -f "docker/$image.Dockerfile" \
      --build-arg VERSION="$VERSION" --build-arg REVISION="$revision" \
      --build-arg CREATED="$created" --build-arg SOURCE="$source_url" \
      -t "truthgraph/$image:$TAG" .
    echo "built truthgraph/$image:$TAG in $((SECONDS - started)) s"
  done
  # A deliberately bloated image: image-audit must report every one of its problems.
  scripts/ci/docker-build.sh --quiet --build-arg BASE=truthgraph/python:3.13-slim-trixie \
    -f tests/imageaudit/fixtures/bloated.Dockerfile -t "truthgraph/imageaudit-bloated:$TAG" \
    tests/imageaudit/fixtures/bloated-context
} >&2

cat <<VARS
export TRUTHGRAPH_IMAGE_TAG=$TAG
export POSTGRES_IMAGE=$PG_STANDIN
export TRUTHGRAPH_TEST_API_IMAGE=truthgraph/api-core:$TAG
export TRUTHGRAPH_TEST_ML_IMAGE=truthgraph/ml-inference:$TAG
export TRUTHGRAPH_TEST_BASE_IMAGE=truthgraph/python:3.13-slim-trixie
export TRUTHGRAPH_TEST_PG_IMAGE=$PG_STANDIN
export IMAGEAUDIT_TEST_IMAGE=truthgraph/api-core:$TAG
export IMAGEAUDIT_BLOATED_IMAGE=truthgraph/imageaudit-bloated:$TAG
VARS
