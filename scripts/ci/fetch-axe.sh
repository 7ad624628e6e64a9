#!/usr/bin/env bash
# Fetch axe-core (the accessibility engine the browser tests inject into each page)
# through npm, check the tarball against the pinned integrity hash, and unpack only
# axe.min.js. Prints the variable the tests read: eval "$(scripts/ci/fetch-axe.sh)".
# No node_modules folder is created and nothing is committed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
readonly VERSION=4.14.1
readonly INTEGRITY=sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==
readonly DEST=${AXE_DIR:-.cache/axe-core-$VERSION}

if [ ! -f "$DEST/axe.min.js" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "axe-core@$VERSION" >/dev/null) >&2
  tarball="$work/axe-core-$VERSION.tgz"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$actual" != "$INTEGRITY" ]; then
    echo "axe-core $VERSION: integrity mismatch ($actual)" >&2
    exit 1
  fi
  mkdir -p "$DEST"
  tar -xzf "$tarball" -C "$work" package/axe.min.js package/LICENSE
  cp "$work/package/axe.min.js" "$work/package/LICENSE" "$DEST/"
fi
echo "export TRUTHGRAPH_TEST_AXE=$(realpath "$DEST/axe.min.js")"
