"""The check page through the real app (tiny models, SQLite): claims underlined with
their verdicts, markup shown as text, refusals that store nothing."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.ui.conftest import DOCUMENTS, UiFactory, form_token, state_of, upload_documents

TEXT = (
    "Is the tower worth a visit? The tower is in Paris, as confirmed in 1889. "
    "I think it is the most beautiful tower ever. The blue whale is never a small animal."
)


def post_check(client: TestClient, text: str) -> str:
    response = client.post(
        "/ui/check", data={"csrf_token": form_token(client, "/ui/check"), "text": text}
    )
    assert response.status_code in (200, 422), response.text
    return response.text


def test_claims_are_underlined_in_their_verdicts_colour(ui: TestClient) -> None:
    assert upload_documents(ui, ("docs.jsonl", DOCUMENTS)).status_code == 200
    page = post_check(ui, TEXT)
    runs = re.findall(
        r'<a class="claim-run verdict-(\w+)" href="#claim-(\d)"[^>]*>(.*?)<sup>', page
    )
    assert [(number, html.unescape(text)) for _, number, text in runs] == [
        ("1", "The tower is in Paris, as confirmed in 1889."),
        ("2", "The blue whale is never a small animal."),
    ]
    verdicts = re.findall(
        r'id="claim-\d-verdict"><span class="badge [^"]+" data-verdict="(\w+)"', page
    )
    assert [v.lower() for v in verdicts] == [verdict for verdict, _, _ in runs]
    assert "2 claims checked; 2 sentences skipped" in page
    assert 'id="claim-1"' in page and "/ui/documents/tower" in page
    assert state_of(ui).store.records.count_verifications() == 0  # shown, not stored


def test_markup_in_the_text_is_shown_as_text(ui: TestClient) -> None:
    upload_documents(ui, ("docs.jsonl", DOCUMENTS))
    page = post_check(ui, "The tower <script>alert(1)</script> is in Paris, since 1889.")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_unusable_texts_are_refused_on_the_page(make_ui: UiFactory) -> None:
    ui = make_ui(check_sync_claims=1)
    for text, message in [
        ("   ", "the text is empty"),
        ("Why? Go now!", "no check-worthy statement"),
        (TEXT, "this page checks up to 1 at once"),
    ]:
        page = post_check(ui, text)
        assert 'role="alert"' in page and message in html.unescape(page), text
    assert ui.post("/ui/check", data={"text": TEXT}).status_code == 403  # no form token
    assert state_of(ui).store.records.list_jobs(limit=10, offset=0) == []
