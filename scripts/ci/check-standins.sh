#!/usr/bin/env bash
# Smoke tests of the stand-in base images (docker/standins/build-bases.sh):
#   1. the python image imports what TruthGraph needs from the stdlib;
#   2. the pgvector image initialises, runs init scripts, serves pgvector on
#      a configurable port (PGPORT, since containers share the host network)
#      and stops cleanly;
#   3. a BuildKit build FROM the python image installs from PyPI through the
#      host's proxy with the CA passed as a secret, and the CA is not in the
#      result.
# Usage: scripts/ci/check-standins.sh [--no-pip]   (env CHECK_PGPORT, default 55432)
#   --no-pip  skip check 3 (it downloads from the package index)
set -euo pipefail

readonly DOCKER=/usr/bin/docker
readonly PYTHON_IMAGE=truthgraph/python:3.13-slim-trixie
readonly PGVECTOR_IMAGE=truthgraph/pgvector:pg17
readonly PGPORT=${CHECK_PGPORT:-55432}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly REPO
readonly NAME=truthgraph-standin-check-$$
export DOCKER_BUILDKIT=1
unset DOCKER_HOST DOCKER_CONTEXT

log() { printf '[check-standins] %s\n' "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

WORK=$(mktemp -d)
cleanup() {
	# -v: the image declares a VOLUME; without it every run leaves an anonymous volume.
	"$DOCKER" rm -f -v "$NAME" >/dev/null 2>&1 || true
	"$DOCKER" image rm truthgraph/pip-check:"$$" >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT

log "1/3 python"
"$DOCKER" run --rm --network host "$PYTHON_IMAGE" \
	python3 -c 'import sys, ssl, sqlite3, venv, zoneinfo; print(sys.version)'
# shellcheck disable=SC2016 # expanded by the container's shell
"$DOCKER" run --rm --network host "$PYTHON_IMAGE" sh -ec \
	'for p in python python3 python3.13 /usr/local/bin/python3 /usr/local/bin/python; do "$p" -c pass; done'

log "2/3 pgvector on port $PGPORT"
mkdir -p "$WORK/initdb"
printf 'CREATE TABLE init_marker (id int);\n' >"$WORK/initdb/10-marker.sql"
chmod -R a+rX "$WORK"
"$DOCKER" run -d --name "$NAME" --network host \
	-e POSTGRES_PASSWORD=x -e POSTGRES_DB=tg -e PGPORT="$PGPORT" \
	-v "$WORK/initdb:/docker-entrypoint-initdb.d:ro" "$PGVECTOR_IMAGE" >/dev/null
for _ in $(seq 1 120); do
	"$DOCKER" exec "$NAME" pg_isready -q -U postgres -d tg && break
	[[ $("$DOCKER" inspect -f '{{.State.Running}}' "$NAME") == true ]] || break
	sleep 0.5
done
"$DOCKER" exec "$NAME" pg_isready -U postgres -d tg || {
	"$DOCKER" logs "$NAME" >&2
	die "postgres did not become ready"
}
distance=$("$DOCKER" exec "$NAME" psql -v ON_ERROR_STOP=1 -U postgres -d tg -tA \
	-c 'CREATE EXTENSION vector;' \
	-c "SELECT round(('[1,2,3]'::vector <=> '[1,2,4]'::vector)::numeric, 6);" \
	-c 'SELECT count(*) FROM init_marker;' | tail -n 2 | head -n 1)
[[ $distance == 0.008540 ]] || die "unexpected cosine distance: $distance"
log "cosine distance [1,2,3] <=> [1,2,4] = $distance"
"$DOCKER" stop "$NAME" >/dev/null
code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$NAME")
[[ $code == 0 ]] || die "postgres exited with $code on stop"
"$DOCKER" rm -v "$NAME" >/dev/null

if [[ ${1:-} == --no-pip ]]; then
	log "all checks passed (pip check skipped)"
	exit 0
fi

log "3/3 pip through the proxy with the CA as a build secret"
"$REPO/scripts/ci/docker-build.sh" --standins -q --no-cache \
	-f "$REPO/docker/standins/pip-check.Dockerfile" -t truthgraph/pip-check:"$$" \
	"$REPO/docker/standins" >/dev/null
"$DOCKER" run --rm --network host truthgraph/pip-check:"$$"
# The secret must not have been written to any layer.
if "$DOCKER" save truthgraph/pip-check:"$$" | tar -xO --wildcards '*/layer.tar' 2>/dev/null |
	tar -ti 2>/dev/null | grep -q '^run/secrets/.'; then
	die "a layer contains run/secrets"
fi
log "all checks passed"
