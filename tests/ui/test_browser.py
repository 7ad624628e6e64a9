"""The UI end to end in headless Chromium, over the bundled models (real verdicts):
upload a corpus, verify a supported and a refuted claim, run a batch of twenty claims
and download its results, search, read the history, and check every page with axe-core
at desktop and phone width. The tests run in order and share one server and browser.

With TRUTHGRAPH_UI_SCREENSHOTS=DIR, each page is also saved as DIR/NAME-desktop.png and
DIR/NAME-phone.png (the pictures in docs/ui/)."""

from __future__ import annotations

import csv
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.http_server import ServerThread
from tests.ui.browser import axe_violations, browser_parts, start_chromium
from truthgraph.api.app import create_app
from truthgraph.api.security import generate_key, hash_key
from truthgraph.config import Settings
from truthgraph.inference.protocol import InferenceClient
from truthgraph.runtime import local_inference

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DATA = Path(__file__).parent / "data"
SUPPORTED = "At its deepest point Lake Baikal is more than 5,000 feet deep."
REFUTED = "England beat the United States 1-0 at the 1950 World Cup."
HOSTILE = '<script>document.title="owned"</script><img src=x onerror=alert(1)> Gold is dense.'
DESKTOP, PHONE = (1280, 900), (390, 844)
SHOTS = os.environ.get("TRUTHGRAPH_UI_SCREENSHOTS", "")
WAIT = 120.0


@pytest.fixture(scope="module")
def parts() -> Any:
    return browser_parts()


@pytest.fixture(scope="module")
def inference(parts: Any) -> Iterator[InferenceClient]:
    client = local_inference(Settings())
    yield client
    client.close()


def _serve(settings: Settings, inference: InferenceClient) -> ServerThread:
    return ServerThread(create_app(settings, inference=inference, poll_seconds=0.1)).start(120)


@pytest.fixture(scope="module")
def server(
    inference: InferenceClient, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerThread]:
    db = tmp_path_factory.mktemp("ui") / "ui.db"
    thread = _serve(Settings(database_url=f"sqlite:///{db}", job_workers=1), inference)
    yield thread
    thread.stop()


@pytest.fixture(scope="module")
def keyed_server(
    inference: InferenceClient, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServerThread, str]]:
    """A second app on the same models that requires API keys, with one key."""
    db = tmp_path_factory.mktemp("keyed") / "keyed.db"
    settings = Settings(database_url=f"sqlite:///{db}", job_workers=0, api_keys_required=True)
    thread = _serve(settings, inference)
    key = generate_key()
    thread.server.config.app.state.truthgraph.store.records.add_api_key(
        name="editor", key_hash=hash_key(key), scopes=["read", "write"]
    )
    yield thread, key
    thread.stop()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def driver(parts: Any, downloads: Path) -> Iterator[Any]:
    browser = start_chromium(parts, downloads)
    browser.set_script_timeout(60)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def audit(driver: Any, parts: Any) -> Callable[[str], None]:
    """Check the open page with axe-core at desktop and phone width (and save
    screenshots when asked); fails on any serious or critical violation."""
    axe = Path(parts.axe).read_text(encoding="utf-8")

    def check(name: str) -> None:
        for label, (width, height) in (("desktop", DESKTOP), ("phone", PHONE)):
            driver.set_window_size(width, height)
            violations = axe_violations(driver, axe)
            assert violations == [], f"{name} at {label} width: {violations}"
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 1, f"{name} at {label} width scrolls sideways by {overflow}px"
            if SHOTS:
                full = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(width, min(max(height, full + 120), 3000))
                driver.save_screenshot(str(Path(SHOTS) / f"{name}-{label}.png"))
        driver.set_window_size(*DESKTOP)

    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
    return check


def wait_until(condition: Callable[[], Any], what: str, seconds: float = WAIT) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def css(driver: Any, selector: str) -> Any:
    """The first element matching selector, waiting for it: after a navigation the
    address changes before the new page is parsed."""
    return wait_until(lambda: all_css(driver, selector)[:1], selector)[0]


def all_css(driver: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(driver.find_elements(By.CSS_SELECTOR, selector))


def submit(driver: Any, form_selector: str) -> None:
    css(driver, f"{form_selector} button[type=submit]").click()


def verify_in_browser(driver: Any, server: ServerThread, claim: str) -> str:
    driver.get(server.url + "/ui/")
    css(driver, "#claim").send_keys(claim)
    submit(driver, "form[action='/ui/verify']")
    wait_until(lambda: "/ui/verifications/" in driver.current_url, "the verification page")
    return str(driver.current_url.rsplit("/", 1)[1])


def test_upload_a_corpus(driver: Any, server: ServerThread, audit: Any, tmp_path: Path) -> None:
    driver.get(server.url + "/ui/corpus")
    audit("corpus-empty")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "fine", "text": "A fine document."}\n{"id": "no-text"}\nnot json\n')
    css(driver, "#files").send_keys(f"{DATA / 'corpus.jsonl'}\n{bad}")
    submit(driver, "form.upload")
    rejections = wait_until(lambda: all_css(driver, "#rejections li"), "the rejections")
    assert [r.text.split(":")[0] for r in rejections] == ["bad.jsonl", "bad.jsonl"]
    assert "nothing was stored" in css(driver, "#rejections").text
    assert httpx.get(server.url + "/v1/documents").json()["count"] == 0

    css(driver, "#files").send_keys(str(DATA / "corpus.jsonl"))
    submit(driver, "form.upload")
    summary = wait_until(lambda: all_css(driver, "#upload-summary"), "the upload summary")
    assert summary[0].text.startswith("Stored: 12 new")
    assert len(all_css(driver, "table a[href^='/ui/documents/']")) == 12
    audit("corpus")
    driver.get(server.url + "/ui/")
    audit("verify")


@pytest.mark.parametrize(("claim", "verdict"), [(SUPPORTED, "SUPPORTED"), (REFUTED, "REFUTED")])
def test_verify_shows_the_badge_and_the_cited_sentence(
    driver: Any, server: ServerThread, audit: Any, claim: str, verdict: str
) -> None:
    verification_id = verify_in_browser(driver, server, claim)
    assert css(driver, ".verdict-line .badge").get_attribute("data-verdict") == verdict
    assert css(driver, "#claim-text").text == claim
    stored = httpx.get(f"{server.url}/v1/verifications/{verification_id}").json()
    top = stored["evidence"][0]
    first = all_css(driver, "ol.evidence > li")[0]
    mark = first.find_element("css selector", ".excerpt mark")
    # The highlighted sentence is the cited passage, inside its surrounding text.
    assert mark.text == top["text"]
    excerpt = first.find_element("css selector", ".excerpt").text
    assert len(excerpt) > len(mark.text) + 20
    document = httpx.get(f"{server.url}/v1/documents/{top['doc_id']}").json()["text"]
    assert document[top["start"] : top["end"]] == mark.text
    audit("verify-supported" if verdict == "SUPPORTED" else "verify-refuted")
    first.find_element("css selector", ".card-head a").click()
    wait_until(lambda: "/ui/documents/" in driver.current_url, "the document page")
    assert css(driver, "li.marked mark").text == top["text"]


def test_a_claim_with_markup_is_shown_as_text(driver: Any, server: ServerThread) -> None:
    verify_in_browser(driver, server, HOSTILE)
    assert css(driver, "#claim-text").text == HOSTILE
    assert all_css(driver, "#claim-text *") == []
    assert driver.title != "owned" and all_css(driver, "main img") == []


def test_the_verify_page_without_javascript_works(server: ServerThread) -> None:
    """A plain form post, as a browser without JavaScript sends it."""
    with httpx.Client(base_url=server.url, follow_redirects=False) as client:
        page = client.get("/ui/")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        response = client.post("/ui/verify", data={"csrf_token": token, "claim": REFUTED})
        assert response.status_code == 303
        result = client.get(response.headers["location"])
        assert 'data-verdict="REFUTED"' in result.text and "<mark>" in result.text


def test_a_batch_of_twenty_runs_to_the_end_and_downloads(
    driver: Any, server: ServerThread, audit: Any, downloads: Path
) -> None:
    driver.get(server.url + "/ui/batch")
    audit("batch")
    css(driver, "#claims").send_keys(str(DATA / "claims-20.txt"))
    submit(driver, "form[action='/ui/batch']")
    wait_until(lambda: "/ui/batch/" in driver.current_url, "the batch page")
    # Live progress: the page follows the job's events, then reloads when it ends.
    wait_until(
        lambda: (
            all_css(driver, "#job-status[data-status='succeeded']")
            and not all_css(driver, "[data-events]")
        ),
        "the batch to finish",
    )
    progress = css(driver, "#job-progress")
    assert (progress.get_attribute("value"), progress.get_attribute("max")) == ("20", "20")
    assert len(all_css(driver, "table .badge")) == 20
    audit("batch-finished")
    job_id = driver.current_url.rsplit("/", 1)[1]
    for kind in ("jsonl", "csv"):
        css(driver, f"a[href$='results.{kind}']").click()
    jsonl = downloads / f"truthgraph-{job_id}.jsonl"
    table = downloads / f"truthgraph-{job_id}.csv"
    wait_until(lambda: jsonl.is_file() and table.is_file(), "the downloads", 30)
    claims = (DATA / "claims-20.txt").read_text().splitlines()
    results = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert [r["claim"] for r in results] == claims
    assert all(r["verdict"] in {"SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"} for r in results)
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert [row["claim"] for row in rows] == claims
    assert [row["verdict"] for row in rows] == [r["verdict"] for r in results]


def test_search_shows_each_mode(driver: Any, server: ServerThread, audit: Any) -> None:
    driver.get(server.url + "/ui/search")
    css(driver, "#q").send_keys("depth of Lake Baikal")
    submit(driver, "form[action='/ui/search']")
    wait_until(lambda: all_css(driver, ".column"), "the results")
    columns = all_css(driver, ".column")
    assert [c.find_element("css selector", "h2").text for c in columns] == [
        "Hybrid",
        "Vector",
        "Lexical",
    ]
    for column in columns:
        first = column.find_element("css selector", ".hits li")
        assert "Lake Baikal" in first.text
    audit("search")


def test_history_lists_and_filters(driver: Any, server: ServerThread, audit: Any) -> None:
    driver.get(server.url + "/ui/history")
    claims = [a.text for a in all_css(driver, "table td a")]
    assert claims[:4] == [REFUTED, HOSTILE, REFUTED, SUPPORTED]  # newest first
    audit("history")
    css(driver, "#verdict").send_keys("Supported")
    submit(driver, "form[action='/ui/history']")
    wait_until(lambda: "verdict=SUPPORTED" in driver.current_url, "the filtered list")
    assert [a.text for a in all_css(driver, "table td a")] == [SUPPORTED]
    driver.get(server.url + "/ui/documents/lake-baikal")
    audit("document")
    driver.get(server.url + "/ui/no-such-page")
    audit("not-found")


def test_sign_in_with_a_key(
    driver: Any, keyed_server: tuple[ServerThread, str], audit: Any
) -> None:
    server, key = keyed_server
    driver.get(server.url + "/ui/corpus")
    wait_until(lambda: "/ui/login" in driver.current_url, "the sign-in page")
    audit("sign-in")
    css(driver, "#api_key").send_keys(key)
    submit(driver, "form[action='/ui/login']")
    wait_until(lambda: driver.current_url.endswith("/ui/corpus"), "the page asked for")
    assert "Key: editor" in css(driver, "header").text
    assert key not in driver.page_source
    stored = driver.execute_script("return JSON.stringify(localStorage) + document.cookie")
    assert key not in stored and "tg_session" not in stored  # HttpOnly: no script sees it


def test_check_a_text_underlines_each_claim(driver: Any, server: ServerThread, audit: Any) -> None:
    driver.get(server.url + "/ui/check")
    audit("check")
    text = f"Is Lake Baikal worth the trip? {SUPPORTED} I think it is magical. {REFUTED}"
    css(driver, "#text").send_keys(text)
    submit(driver, "form[action='/ui/check']")
    wait_until(lambda: all_css(driver, ".claim-run"), "the checked text")
    runs = all_css(driver, ".claim-run")
    assert [r.text.rstrip("0123456789") for r in runs] == [SUPPORTED, REFUTED]
    badges = all_css(driver, ".checked-claims .badge")
    for run, badge in zip(runs, badges, strict=True):
        verdict = badge.get_attribute("data-verdict").lower()
        assert f"verdict-{verdict}" in run.get_attribute("class")
    audit("check-result")
