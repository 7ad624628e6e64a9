"""The UI's pages through the real app (tiny models, SQLite): what each page shows,
what a form stores, and what bad input is refused with."""

from __future__ import annotations

import csv
import io
import json
import re
import time

from fastapi.testclient import TestClient

from tests.ui.conftest import DOCUMENTS, UiFactory, form_token, state_of, upload_documents
from truthgraph.store.records import FINAL_STATUSES

PAGES = ("/ui/", "/ui/check", "/ui/batch", "/ui/corpus", "/ui/search", "/ui/history")


def verify(client: TestClient, claim: str) -> str:
    """Post a claim; the id of the stored verification."""
    response = client.post("/ui/verify", data={"csrf_token": form_token(client), "claim": claim})
    assert response.status_code == 303, response.text
    assert response.headers["server-timing"].startswith("verify;dur=")
    location = response.headers["location"]
    assert location.startswith("/ui/verifications/")
    return location.rsplit("/", 1)[1]


def wait_for_job(client: TestClient, job_id: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = state_of(client).store.records.get_job(job_id)
        assert job is not None
        if job.status in FINAL_STATUSES:
            return job.status
        time.sleep(0.05)
    raise AssertionError("the job did not finish")


def test_every_page_is_html_under_a_strict_policy(ui: TestClient) -> None:
    upload_documents(ui, ("docs.jsonl", DOCUMENTS))
    verification = verify(ui, "The tower is in Paris.")
    pages = (
        *PAGES,
        "/ui/search?q=tower",
        f"/ui/verifications/{verification}",
        "/ui/documents/tower",
        "/ui/documents/notes%2Fwhale.md",
    )
    for path in pages:
        response = ui.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "style-src 'self';" in policy
        assert "unsafe-inline" not in policy and "form-action 'self'" in policy
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-frame-options"] == "DENY"
        # No inline script, no inline style, no third-party resource.
        assert re.search(r"<script(?![^>]*\bsrc=)", response.text) is None, path
        assert " style=" not in response.text and "<style" not in response.text, path
        assert (
            re.search(
                r'(src|href)="(https?:)?//',
                response.text.replace('href="https://example.org/tower"', ""),
            )
            is None
        ), path
    static = ui.get("/ui/static/ui.css")
    assert static.status_code == 200 and static.headers["cache-control"] == "no-cache"
    assert ui.get("/", follow_redirects=False).headers["location"] == "/ui/"
    # The JSON API keeps its own, stricter policy.
    assert (
        ui.get("/v1/documents")
        .headers["content-security-policy"]
        .startswith("default-src 'none'; frame-ancestors")
    )


def test_a_verification_shows_its_verdict_and_highlighted_evidence(ui: TestClient) -> None:
    assert upload_documents(ui, ("docs.jsonl", DOCUMENTS)).status_code == 200
    verification_id = verify(ui, "The tower is in Paris.")
    page = ui.get(f"/ui/verifications/{verification_id}")
    assert page.status_code == 200
    assert page.headers["server-timing"].startswith("render;dur=")
    stored = ui.get(f"/v1/verifications/{verification_id}").json()
    assert f'data-verdict="{stored["verdict"]}"' in page.text
    marks = re.findall(r"<mark>(.*?)</mark>", page.text)
    assert marks[0] == stored["evidence"][0]["text"]
    # The excerpt holds the document text around the mark, at the stored offsets.
    top = stored["evidence"][0]
    text = ui.get(f"/v1/documents/{top['doc_id']}").json()["text"]
    assert text[top["start"] : top["end"]] == marks[0]
    assert f'href="/ui/documents/{top["doc_id"]}?passage={top["passage_id"]}#p' in page.text
    assert ui.get("/ui/history").text.count(f"/ui/verifications/{verification_id}") == 1


def test_markup_in_claims_and_documents_is_shown_as_text(ui: TestClient) -> None:
    hostile = (
        b'{"id": "x<b>", "title": "<img src=x onerror=alert(1)>",'
        b' "text": "A <script>bad()</script> tower."}\n'
    )
    assert upload_documents(ui, ("hostile.jsonl", hostile)).status_code == 200
    claim = '<script>alert("claim")</script> The tower is <b>tall</b>.'
    verification_id = verify(ui, claim)
    for path in (
        f"/ui/verifications/{verification_id}",
        "/ui/history",
        "/ui/",
        "/ui/corpus",
        "/ui/documents/x%3Cb%3E",
        "/ui/search?q=%3Cscript%3E+tower",
    ):
        body = ui.get(path).text
        assert "<script>alert" not in body and "<script>bad" not in body, path
        assert "<img src=x" not in body and "<b>tall" not in body, path
    assert (
        "&lt;script&gt;alert(&#34;claim&#34;)&lt;/script&gt;"
        in ui.get(f"/ui/verifications/{verification_id}").text
    )
    # A document URL that is not http(s) is shown, never linked.
    upload_documents(ui, ("docs.jsonl", DOCUMENTS))
    whale = ui.get("/ui/documents/notes%2Fwhale.md").text
    assert "javascript:alert(1)" in whale and 'href="javascript:' not in whale


def test_forms_need_the_token_and_store_nothing_without_it(ui: TestClient) -> None:
    records = state_of(ui).store.records
    response = ui.post("/ui/verify", data={"claim": "The tower is in Paris."})
    assert response.status_code == 403
    assert "form has expired" in response.text and response.headers["content-type"].startswith(
        "text/html"
    )
    form_token(ui)  # the browser has a token cookie now, but posts another value
    response = ui.post("/ui/verify", data={"claim": "x", "csrf_token": "y" * 43})
    assert response.status_code == 403
    response = ui.post(
        "/ui/corpus/upload", files=[("files", ("a.txt", b"Some text.", "text/plain"))]
    )
    assert response.status_code == 403
    assert records.count_verifications() == 0 and state_of(ui).store.counts()["documents"] == 0


def test_an_unusable_claim_is_refused_and_nothing_is_stored(ui: TestClient) -> None:
    token = form_token(ui)
    for claim, reason in (("   ", "the claim is empty"), ("x" * 2001, "longer than 2000")):
        response = ui.post("/ui/verify", data={"csrf_token": token, "claim": claim})
        assert response.status_code == 422 and reason in response.text
        assert 'aria-invalid="true"' in response.text
    assert state_of(ui).store.records.count_verifications() == 0


def test_an_upload_with_a_bad_row_stores_nothing_and_lists_it(ui: TestClient) -> None:
    bad = b'{"id": "ok", "text": "A fine document."}\n{"id": "broken", "text": ""}\nnot json\n'
    response = upload_documents(
        ui, ("docs.jsonl", DOCUMENTS), ("bad.jsonl", bad), ("x.pdf", b"%PDF")
    )
    assert response.status_code == 422
    listed = re.findall(r"<li><code>(.*?)</code>: (.*?)</li>", response.text)
    assert [origin for origin, _ in listed] == ["bad.jsonl:2", "bad.jsonl:3", "x.pdf"]
    assert "unsupported file type" in listed[2][1]
    assert state_of(ui).store.counts()["documents"] == 0
    empty = ui.post(
        "/ui/corpus/upload",
        data={"csrf_token": form_token(ui)},
        files=[("files", ("", b"", "application/octet-stream"))],
    )
    assert empty.status_code == 422 and "Choose at least one file" in empty.text


def test_corpus_list_search_and_delete(ui: TestClient) -> None:
    response = upload_documents(ui, ("docs.jsonl", DOCUMENTS))
    assert "Stored: 2 new" in response.text
    assert ui.get("/ui/corpus?q=WHALE").text.count('href="/ui/documents/') == 1
    assert "1 matching document." in ui.get("/ui/corpus?q=whale").text
    document = ui.get("/ui/documents/notes%2Fwhale.md?passage=999")
    assert document.status_code == 200 and "It lives in every ocean." in document.text
    passage_id = state_of(ui).store.document_passages("notes/whale.md")[1].id
    marked = ui.get(f"/ui/documents/notes%2Fwhale.md?passage={passage_id}").text
    assert "<mark>It lives in every ocean.</mark>" in marked
    token = form_token(ui, "/ui/corpus")
    deleted = ui.post("/ui/corpus/delete", data={"csrf_token": token, "doc_id": "notes/whale.md"})
    assert deleted.status_code == 303 and deleted.headers["location"] == "/ui/corpus"
    after = ui.get("/ui/corpus")
    assert "Deleted “notes/whale.md”." in after.text
    assert "Deleted" not in ui.get("/ui/corpus").text  # shown once
    assert ui.get("/ui/documents/notes%2Fwhale.md").status_code == 404
    again = ui.post("/ui/corpus/delete", data={"csrf_token": token, "doc_id": "notes/whale.md"})
    assert again.status_code == 404


def test_a_batch_runs_and_downloads_as_jsonl_and_csv(ui: TestClient) -> None:
    upload_documents(ui, ("docs.jsonl", DOCUMENTS))
    claims = (
        'claim,id\nThe tower is in Paris.,a\n=HYPERLINK("x"),b\n"The whale is small,\nsays one",c\n'
    )
    response = ui.post(
        "/ui/batch",
        data={"csrf_token": form_token(ui, "/ui/batch")},
        files=[("claims", ("claims.csv", claims.encode(), "text/csv"))],
    )
    assert response.status_code == 303, response.text
    job_id = response.headers["location"].rsplit("/", 1)[1]
    assert wait_for_job(ui, job_id) == "succeeded"
    page = ui.get(f"/ui/batch/{job_id}")
    assert 'data-status="succeeded"' in page.text and page.text.count("data-verdict=") == 3
    lines = ui.get(f"/ui/batch/{job_id}/results.jsonl")
    assert (
        lines.headers["content-disposition"] == f'attachment; filename="truthgraph-{job_id}.jsonl"'
    )
    results = [json.loads(line) for line in lines.text.splitlines()]
    assert [(r["index"], r["claim"]) for r in results] == [
        (0, "The tower is in Paris."),
        (1, '=HYPERLINK("x")'),
        (2, "The whale is small, says one"),
    ]
    table = list(csv.reader(io.StringIO(ui.get(f"/ui/batch/{job_id}/results.csv").text)))
    assert table[0][:3] == ["index", "claim", "verdict"] and len(table) == 4
    assert table[2][1] == '\'=HYPERLINK("x")'  # never a live formula in a spreadsheet
    assert [row[2] for row in table[1:]] == [r["verdict"] for r in results]
    events = ui.get(f"/ui/batch/{job_id}/events")
    assert events.headers["content-type"].startswith("text/event-stream")
    assert '"status": "succeeded"' in events.text and "event: end" in events.text
    # Cancelling a finished batch changes nothing.
    cancel = ui.post(f"/ui/batch/{job_id}/cancel", data={"csrf_token": form_token(ui)})
    assert cancel.status_code == 303 and wait_for_job(ui, job_id) == "succeeded"


def test_a_queued_batch_can_be_cancelled(make_ui: UiFactory) -> None:
    client = make_ui(job_workers=0)  # nobody takes the job
    response = client.post(
        "/ui/batch",
        data={"csrf_token": form_token(client)},
        files=[("claims", ("c.txt", b"One claim.\nAnother claim.\n", "text/plain"))],
    )
    job_id = response.headers["location"].rsplit("/", 1)[1]
    page = client.get(f"/ui/batch/{job_id}")
    assert f'data-events="/ui/batch/{job_id}/events"' in page.text
    assert '<noscript><meta http-equiv="refresh"' in page.text and "Cancel the batch" in page.text
    cancel = client.post(f"/ui/batch/{job_id}/cancel", data={"csrf_token": form_token(client)})
    assert cancel.status_code == 303
    assert wait_for_job(client, job_id) == "cancelled"
    assert "Cancel the batch" not in client.get(f"/ui/batch/{job_id}").text


def test_a_bad_claims_file_queues_nothing(make_ui: UiFactory) -> None:
    client = make_ui(max_batch_claims=2)
    token = form_token(client, "/ui/batch")
    cases = (
        (
            ("c.jsonl", b'{"claim": "fine"}\n{"claim": 3}\n'),
            'c.jsonl:2: expected an object with a "claim" string',
        ),
        (("c.csv", b"text\nA claim.\n"), 'the header row has no "claim" column'),
        (("c.txt", b"one\ntwo\nthree\n"), "At most 2 claims per job."),
        (("c.txt", b"\n\n"), "the file holds no claims"),
        (("c.txt", b"\xff\xfe bad"), "not UTF-8"),
        (("c.pdf", b"%PDF"), "is not a claims file"),
    )
    for (name, data), message in cases:
        response = client.post(
            "/ui/batch",
            data={"csrf_token": token},
            files=[("claims", (name, data, "application/octet-stream"))],
        )
        assert response.status_code == 422, name
        assert message in response.text.replace("&#34;", '"'), name
    assert state_of(client).store.records.list_jobs(limit=10, offset=0) == []


def test_history_filters_by_verdict_and_text(ui: TestClient) -> None:
    upload_documents(ui, ("docs.jsonl", DOCUMENTS))
    first = verify(ui, "The tower is in Paris.")
    second = verify(ui, "The blue whale is small.")
    verdict = state_of(ui).store.records.get_verification(second)
    assert verdict is not None
    page = ui.get("/ui/history?q=WHALE").text
    assert second in page and first not in page and "1 verification match" in page
    page = ui.get(f"/ui/history?verdict={verdict.verdict}&q=whale").text
    assert second in page
    assert ui.get("/ui/history?verdict=MAYBE").status_code == 422
    assert ui.get("/ui/history?page=0").status_code == 422


def test_search_shows_three_modes_side_by_side(ui: TestClient) -> None:
    upload_documents(ui, ("docs.jsonl", DOCUMENTS))
    page = ui.get("/ui/search?q=tower+Paris&k=2").text
    for mode in ("Hybrid", "Vector", "Lexical"):
        assert f'<h2 id="mode-{mode.lower()}">{mode}</h2>' in page
    assert "fused " in page and "lexical " in page
    assert ui.get("/ui/search?q=%00").status_code == 422


def test_unknown_pages_and_ids_are_html_404s(ui: TestClient) -> None:
    for path in (
        "/ui/nope",
        "/ui/verifications/abc",
        "/ui/batch/abc",
        "/ui/documents/nope",
        "/ui/batch/abc/results.csv",
    ):
        response = ui.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert "Traceback" not in response.text
    assert ui.get("/v1/nope").headers["content-type"] == "application/problem+json"
