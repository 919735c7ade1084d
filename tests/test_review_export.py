"""/review/export.csv and /review/export.json: the queue under its filters as a file, for
editors, streamed a chunk at a time with a query count that grows per chunk, never per row."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import exports, selectors
from claims.models import Claim
from tests import factories

pytestmark = pytest.mark.django_db

CSV_URL = "/review/export.csv"
JSON_URL = "/review/export.json"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def _csv(response) -> list[dict[str, str]]:
    text = _body(response)
    assert text.startswith("\ufeff")  # spreadsheets read it as UTF-8
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def worked_claims(reviewer_user):
    """A researched claim with two pieces of evidence and a verdict, a new one, a dismissed one."""
    speaker = factories.SpeakerFactory(name="David Schenker", role="US Assistant Secretary")
    researched = factories.ClaimFactory(
        content="The strikes were a message to Iran",
        speaker=speaker,
        status=Claim.Status.IN_REVIEW,
        assignee=reviewer_user,
        checkworthiness=0.9,
        article=factories.ArticleFactory(headline="US strikes", url="https://news.example/a"),
    )
    factories.EvidenceFactory.create_batch(2, claim=researched)
    factories.VerdictFactory(claim=researched, author=reviewer_user)
    fresh = factories.ClaimFactory(content="Staff were not in the building", checkworthiness=0.6)
    dismissed = factories.ClaimFactory(
        content="Death to America", status=Claim.Status.DISMISSED, checkworthiness=0.2
    )
    return researched, fresh, dismissed


def test_an_editor_exports_the_queue_as_csv(editor_client, worked_claims):
    researched, fresh, dismissed = worked_claims
    response = editor_client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="claims-')
    assert "no-cache" in response["Cache-Control"]
    rows = _csv(response)
    # Every claim, in the queue's order (most check-worthy first), with every column.
    assert [int(row["id"]) for row in rows] == [researched.pk, fresh.pk, dismissed.pk]
    assert list(rows[0]) == list(exports.COLUMNS)
    first = rows[0]
    assert first["speaker"] == "David Schenker"
    assert first["speaker_role"] == "US Assistant Secretary"
    assert first["status"] == "in_review"
    assert first["verdict"] == "False"
    assert first["evidence_count"] == "2"
    assert first["assignee"] == "rita-reviewer"
    assert first["article_headline"] == "US strikes"
    assert first["article_url"] == "https://news.example/a"
    assert first["review_url"] == f"http://testserver/review/claims/{researched.pk}/"
    assert rows[1]["evidence_count"] == "0"
    assert rows[1]["verdict"] == ""


def test_the_json_export_takes_the_queues_filters(editor_client, worked_claims):
    researched, fresh, _dismissed = worked_claims
    response = editor_client.get(JSON_URL, {"status": "in_review"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(_body(response))
    assert [row["id"] for row in data] == [researched.pk]
    assert data[0]["evidence_count"] == 2
    assert data[0]["checkworthiness"] == 0.9
    assert data[0]["statement"] == researched.display_statement
    by_speaker = json.loads(_body(editor_client.get(JSON_URL, {"speaker": "schenker"})))
    assert [row["id"] for row in by_speaker] == [researched.pk]
    newest = json.loads(_body(editor_client.get(JSON_URL, {"sort": "newest", "score_min": 0.5})))
    assert [row["id"] for row in newest] == [fresh.pk, researched.pk]
    assert json.loads(_body(editor_client.get(JSON_URL, {"q": "nothing-like-this"}))) == []


def test_reviewers_and_strangers_cannot_export(reviewer_client, plain_user_client, client):
    for url in (CSV_URL, JSON_URL):
        assert reviewer_client.get(url).status_code == 403
        assert plain_user_client.get(url).status_code == 403
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_only_reading_is_allowed(editor_client):
    assert editor_client.post(CSV_URL).status_code == 405
    assert editor_client.post(JSON_URL).status_code == 405


def test_text_that_a_spreadsheet_would_run_is_written_as_text(editor_client):
    factories.ClaimFactory(content='=HYPERLINK("http://evil.example","click")')
    [row] = _csv(editor_client.get(CSV_URL))
    assert row["content"] == '\'=HYPERLINK("http://evil.example","click")'
    [item] = json.loads(_body(editor_client.get(JSON_URL)))
    assert item["content"].startswith("=HYPERLINK")  # JSON is data, not a spreadsheet


def _export_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        body = _body(response)
    return len(ctx.captured_queries), body


def test_the_query_count_grows_per_chunk_never_per_row(editor_client, monkeypatch):
    monkeypatch.setattr(selectors, "EXPORT_CHUNK_SIZE", 10)
    speaker = factories.SpeakerFactory()
    for claim in factories.ClaimFactory.create_batch(5, speaker=speaker):
        factories.EvidenceFactory(claim=claim)
        factories.VerdictFactory(claim=claim, author=factories.UserFactory())
    few, body = _export_queries(editor_client, CSV_URL)
    assert len(_csv_text_rows(body)) == 5
    for claim in factories.ClaimFactory.create_batch(40, speaker=speaker):
        factories.EvidenceFactory(claim=claim)
        factories.VerdictFactory(claim=claim, author=factories.UserFactory())
    many, body = _export_queries(editor_client, CSV_URL)
    assert len(_csv_text_rows(body)) == 45
    # 1 chunk, then 5: one query per chunk with its speakers, verdicts and evidence counts.
    assert many - few == 4
    json_many, body = _export_queries(editor_client, JSON_URL)
    assert json_many == many
    assert len(json.loads(body)) == 45


def _csv_text_rows(body: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.mark.parametrize("sort", ["score", "newest"])
def test_chunks_walk_every_claim_once_even_with_ties(editor_user, sort):
    article = factories.ArticleFactory()
    made = factories.ClaimFactory.create_batch(23, article=article, checkworthiness=0.5)
    Claim.objects.filter(pk__in=[c.pk for c in made[:12]]).update(created_at=made[0].created_at)
    filters = selectors.QueueFilters(sort=sort)
    chunks = list(selectors.export_claim_chunks(filters, editor_user, chunk_size=5))
    assert [len(chunk) for chunk in chunks] == [5, 5, 5, 5, 3]
    seen = [claim.pk for chunk in chunks for claim in chunk]
    assert sorted(seen) == sorted(c.pk for c in made)
    assert seen == list(selectors.review_queue(filters, editor_user).values_list("pk", flat=True))


def test_the_queue_links_editors_to_the_export_with_its_filters(editor_client, reviewer_client):
    factories.ClaimFactory()
    body = editor_client.get("/review/", {"status": "new", "sort": "newest"}).content.decode()
    assert 'href="/review/export.csv?status=new&amp;sort=newest"' in body
    assert 'href="/review/export.json?status=new&amp;sort=newest"' in body
    fragment = editor_client.get("/review/", {"kind": "direct"}, HTTP_HX_REQUEST="true")
    assert 'href="/review/export.csv?kind=direct"' in fragment.content.decode()
    assert "export.csv" not in reviewer_client.get("/review/").content.decode()
