"""Headless Chromium for the UI tests: Debian's chromium and chromium-driver, driven by
selenium, with axe-core injected into pages. .ci/run installs all three and sets
TRUTHGRAPH_TEST_BROWSER=required, so that in CI a missing piece fails the tests; on a
machine without them the browser tests skip and say why (`pytest -ra`)."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERIOUS = frozenset({"serious", "critical"})


@dataclass(frozen=True)
class BrowserParts:
    chromium: str
    driver: str
    axe: str


def _axe_default() -> str:
    found = sorted(glob.glob(str(ROOT / ".cache" / "axe-core-*" / "axe.min.js")))
    return found[-1] if found else ""


def browser_parts() -> BrowserParts:
    parts = BrowserParts(
        chromium=os.environ.get("TRUTHGRAPH_TEST_CHROMIUM", "/usr/bin/chromium"),
        driver=os.environ.get("TRUTHGRAPH_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"),
        axe=os.environ.get("TRUTHGRAPH_TEST_AXE") or _axe_default(),
    )
    missing = [
        what
        for what, path in (
            ("chromium (apt-get install chromium)", parts.chromium),
            ("chromium-driver (apt-get install chromium-driver)", parts.driver),
            ("axe-core (scripts/ci/fetch-axe.sh)", parts.axe),
        )
        if not path or not Path(path).is_file()
    ]
    if missing:
        message = "browser tests need " + ", ".join(missing)
        if os.environ.get("TRUTHGRAPH_TEST_BROWSER") == "required":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return parts


def start_chromium(parts: BrowserParts, downloads: Path) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = parts.chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        "--lang=en-US",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
        },
    )
    # An explicit driver path: selenium never looks for (or downloads) one itself.
    return webdriver.Chrome(service=Service(executable_path=parts.driver), options=options)


def axe_violations(driver: Any, axe_source: str) -> list[dict[str, Any]]:
    """Serious and critical accessibility violations axe-core finds on the open page."""
    driver.execute_script(axe_source)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations), e => done([{id: 'axe-error', impact: 'critical',"
        " help: String(e), nodes: []}]));"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n.get("target") for n in v.get("nodes", [])][:5],
        }
        for v in result
        if v.get("impact") in SERIOUS
    ]
