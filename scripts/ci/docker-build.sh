#!/usr/bin/env bash
# `docker build` the way CI hosts need it: Debian's client with BuildKit, host
# networking (dockerd runs without a bridge), the host's proxy settings as
# build args and the host's CA bundle as the BuildKit secret "ca".
#
# Usage: scripts/ci/docker-build.sh [--standins] DOCKER-BUILD-ARGS...
#   --standins  build FROM the local stand-in base images
#               (--build-arg BASE_IMAGE=truthgraph/python:3.13-slim-trixie
#                --build-arg BUILD_IMAGE=truthgraph/python:3.13-venv-trixie)
#
# Environment (optional):
#   TRUTHGRAPH_BUILD_CA  CA bundle passed as secret "ca"
#                        (/etc/ssl/certs/ca-certificates.crt); a secret is
#                        mounted only into RUN steps that ask for it and is
#                        never stored in the image.
set -euo pipefail

readonly DOCKER=/usr/bin/docker # Debian's client; /usr/local/bin/docker may be another one
readonly CA=${TRUTHGRAPH_BUILD_CA:-/etc/ssl/certs/ca-certificates.crt}
export DOCKER_BUILDKIT=1

args=(build --network host)

if [[ ${1:-} == --standins ]]; then
	shift
	args+=(--build-arg BASE_IMAGE=truthgraph/python:3.13-slim-trixie
		--build-arg BUILD_IMAGE=truthgraph/python:3.13-venv-trixie)
fi

# Docker treats these names as predefined build args: RUN steps see them,
# the image config and history do not. The environment wins over apt's
# configuration, which is the fallback for hosts configured only there.
apt_http='' apt_https=''
if command -v apt-config >/dev/null; then
	eval "$(apt-config shell apt_http Acquire::http::Proxy apt_https Acquire::https::Proxy)"
fi
[[ $apt_http == DIRECT ]] && apt_http=''
[[ $apt_https == DIRECT ]] && apt_https=''
http=${http_proxy:-${HTTP_PROXY:-$apt_http}}
https=${https_proxy:-${HTTPS_PROXY:-${apt_https:-$http}}}
no=${no_proxy:-${NO_PROXY:-}}
for pair in "http_proxy=$http" "https_proxy=$https" "no_proxy=$no"; do
	[[ -n ${pair#*=} ]] || continue
	name=${pair%%=*}
	args+=(--build-arg "$pair" --build-arg "${name^^}=${pair#*=}")
done

if [[ -s $CA ]]; then
	args+=(--secret "id=ca,src=$CA")
fi

exec "$DOCKER" "${args[@]}" "$@"
