#!/usr/bin/env bash
# Build the reference CUDA PyTorch image of docs/image-audit.md (cuda-torch/Dockerfile).
#
# Usage: benchmarks/image_audit/cuda_torch.sh [--standins] [TAG]
#   --standins  build FROM the local stand-in base (truthgraph/python:3.13-venv-trixie,
#               the stand-in for python:3.13-slim-trixie with venv's pip bootstrap; see
#               docs/airgapped-builds.md) instead of python:3.13-slim-trixie
#   TAG         image name (default truthgraph/imageaudit-cuda-torch:latest)
#
# The download is several GB (torch plus the nvidia-* CUDA wheels) and the image about
# 8 GB unpacked. The build context is a temporary folder holding only the tracked files of
# tests/ and scripts/ (the repository's .dockerignore admits neither).
# Afterwards: benchmarks/image_audit/cuda_torch.py TAG measures image-audit on the image.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

base=python:3.13-slim-trixie
standins=()
if [[ ${1:-} == --standins ]]; then
	base=truthgraph/python:3.13-venv-trixie
	standins=(--pull=false)
	shift
fi
tag=${1:-truthgraph/imageaudit-cuda-torch:latest}

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
git ls-files -z tests scripts | tar --null -T - -cf - | tar -C "$context" -xf -
cp benchmarks/image_audit/cuda-torch/Dockerfile "$context/Dockerfile"

started=$SECONDS
scripts/ci/docker-build.sh "${standins[@]}" --build-arg BASE="$base" -t "$tag" "$context"
echo "built $tag FROM $base in $((SECONDS - started)) s" >&2
