#!/usr/bin/env bash
# Known-vulnerability audit of every hashed lock file with pip-audit (a dev dependency).
# It needs the vulnerability data of PyPI's per-release JSON API or of OSV; where
# neither is reachable it reports every package as "could not be audited" and this
# script fails, so CI does not run it (see docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for lock in requirements/*.txt; do
  echo "== $lock"
  .venv/bin/pip-audit --progress-spinner off --strict --disable-pip --require-hashes \
    -r "$lock" || status=1
done
exit $status
