"""Write the committed OpenAPI snapshots (docs/openapi.json for the core API,
docs/openapi-ml.json for ml-inference) under the default settings; with --check,
only say whether they are current. Run it after reviewing an API change.

    python scripts/docs/openapi_snapshot.py [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from truthgraph.api.app import create_app
from truthgraph.config import Settings
from truthgraph.mlserver.app import create_ml_app

DOCS = Path(__file__).resolve().parents[2] / "docs"
SNAPSHOTS = {"core": DOCS / "openapi.json", "ml": DOCS / "openapi-ml.json"}


def contracts(settings: Settings) -> dict[str, dict[str, Any]]:
    """Both services' OpenAPI documents. The contract depends on a few settings
    (whether keys are required, the batch size, the rate limit): snapshots use the
    defaults."""
    return {"core": create_app(settings).openapi(), "ml": create_ml_app(settings).openapi()}


def render(contract: dict[str, Any]) -> str:
    return json.dumps(contract, indent=2, ensure_ascii=False) + "\n"


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a snapshot is stale")
    args = parser.parse_args()
    for name in [n for n in os.environ if n.startswith("TRUTHGRAPH_")]:
        del os.environ[name]  # the defaults, whatever this shell sets
    stale = []
    for service, contract in contracts(Settings()).items():
        path, text = SNAPSHOTS[service], render(contract)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python scripts/docs/openapi_snapshot.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(run())
