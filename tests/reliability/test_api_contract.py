"""Item 10: an independent fuzzer (schemathesis, every check, conformance included)
drives the embedded server from its own /openapi.json, on both stores. Bounded in
examples and time so that it fits in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.conftest import AppFactory
from tests.http_server import ServerThread

CONFIG = Path(__file__).with_name("schemathesis.toml")
CORPUS = {"documents": [{"id": "tower", "text": "The tower is in Paris, since 1889."}]}


@pytest.mark.slow
def test_schemathesis_all_checks_pass(make_client: AppFactory, tmp_path: Path) -> None:
    client = make_client(rate_limit_per_minute=0)
    assert client.post("/v1/documents", json=CORPUS).status_code == 200
    server = ServerThread(client.app).start()
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(CONFIG),
        "run",
        f"{server.url}/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        "25",
        "--seed",
        "15",
        "--request-timeout",
        "20",
        "--generation-deterministic",
        "--suppress-health-check",
        "all",
        "--report-dir",
        str(tmp_path),
        "--no-color",
    ]
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=240,
            env=os.environ.copy(),
            cwd=tmp_path,  # it keeps a cache folder in its working directory
        )
    finally:
        server.stop()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-8000:]
    sys.stdout.write(output[-1200:])  # the summary, shown with pytest -rP
