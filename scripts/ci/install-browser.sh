#!/usr/bin/env bash
# Install what the browser tests need on a fresh machine (as root): Debian's chromium
# and chromium-driver, npm if absent (only to fetch axe-core), and axe-core itself.
# Prints the variables the tests read: eval "$(scripts/ci/install-browser.sh)".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

{
  packages=(chromium chromium-driver)
  command -v npm >/dev/null || packages+=(npm)
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${packages[@]}"
  chromium --version
  chromedriver --version
} >&2

scripts/ci/fetch-axe.sh
cat <<VARS
export TRUTHGRAPH_TEST_BROWSER=required
export TRUTHGRAPH_TEST_CHROMIUM=/usr/bin/chromium
export TRUTHGRAPH_TEST_CHROMEDRIVER=/usr/bin/chromedriver
VARS
