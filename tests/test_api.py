"""The JSON API: public verdicts for anyone, staff data only for reviewers and editors."""

from __future__ import annotations

import json

import pytest
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from claims.models import Article
from claims.services.articles import text_hash
from tests import factories

pytestmark = pytest.mark.django_db


def test_public_list_has_only_published_verdicts(published_verdict, reviewer_user):
    from claims.models import VerdictRating
    from claims.services.claims import claim_accept
    from claims.services.verdicts import verdict_submit

    draft_claim = claim_accept(claim=factories.ClaimFactory(content="Draft only"), by=reviewer_user)
    verdict_submit(
        claim=draft_claim,
        by=reviewer_user,
        rating=VerdictRating.objects.get(slug="false"),
        explanation="Not yet approved.",
    )
    body = Client().get("/api/verdicts").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["claim"] == "The strikes hit three targets in Iraq"
    assert item["rating"]["slug"] == "true"
    assert item["url"] == published_verdict.get_absolute_url()


def test_public_list_filters_by_rating_and_words(published_verdict):
    client = Client()
    assert client.get("/api/verdicts", {"rating": "false"}).json()["count"] == 0
    assert client.get("/api/verdicts", {"q": "Pentagon"}).json()["count"] == 1


def test_public_detail_and_404_for_drafts(published_verdict):
    client = Client()
    assert client.get(f"/api/verdicts/{published_verdict.slug}").status_code == 200
    assert client.get("/api/verdicts/not-there").status_code == 404


def test_verdict_list_query_count_is_flat(published_verdict, django_assert_max_num_queries):
    for _ in range(5):
        factories.VerdictFactory(
            published_at=published_verdict.published_at,
            claim=factories.ClaimFactory(status="published"),
        )
    with django_assert_max_num_queries(2):
        assert Client().get("/api/verdicts").json()["count"] == 6


def test_verdict_list_counts_from_the_counters_without_reading_verdicts(
    published_verdict, django_assert_max_num_queries
):
    """Without filters, and by rating or speaker, the count comes from the counters that
    triggers keep: no COUNT over the verdicts, however many are published."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    speaker = factories.SpeakerFactory(slug="ann-example")
    for _ in range(3):
        factories.VerdictFactory(
            published_at=published_verdict.published_at,
            claim=factories.ClaimFactory(status="published", speaker=speaker),
        )
    expected = {
        "": 4,
        "?rating=false": 3,
        "?rating=true": 1,
        "?rating=no-such-rating": 0,
        "?speaker=ann-example": 3,
        "?speaker=ann-example&rating=true": 0,
        "?speaker=nobody": 0,
    }
    for query, count in expected.items():
        with CaptureQueriesContext(connection) as queries:
            body = Client().get(f"/api/verdicts{query}").json()
        assert body["count"] == count == len(body["items"]), query
        assert not body["count_is_capped"]
        counted = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
        assert not any('"claims_verdict"' in sql for sql in counted), (query, counted)
    # Filters the counters cannot answer still count the matches.
    assert Client().get("/api/verdicts?q=Pentagon").json()["count"] == 1


def test_verdict_list_count_from_the_counters_is_capped_like_the_others(
    published_verdict, monkeypatch
):
    from claims import selectors

    monkeypatch.setattr(selectors, "PUBLIC_COUNT_LIMIT", 0)
    body = Client().get("/api/verdicts?limit=1").json()
    assert body["count"] == 1
    factories.VerdictFactory(
        published_at=published_verdict.published_at,
        claim=factories.ClaimFactory(status="published"),
    )
    body = Client().get("/api/verdicts?limit=1").json()
    assert body["count"] == 1  # "1,001" at the real limit: more than the limit
    assert body["count_is_capped"]


def test_staff_endpoints_refuse_anonymous_and_users_without_a_role(plain_user_client):
    claim = factories.ClaimFactory()
    assert Client().get("/api/claims").status_code == 401
    assert Client().get(f"/api/claims/{claim.pk}").status_code == 401
    assert plain_user_client.get("/api/claims").status_code == 403
    assert plain_user_client.get(f"/api/articles/{claim.article_id}").status_code == 403


def test_reviewer_lists_claims_by_score_with_filters(reviewer_client):
    low = factories.ClaimFactory(checkworthiness=0.2)
    high = factories.ClaimFactory(checkworthiness=0.9, article=low.article)
    body = reviewer_client.get("/api/claims").json()
    assert [c["id"] for c in body["items"]] == [high.pk, low.pk]
    body = reviewer_client.get("/api/claims", {"min_score": 0.5}).json()
    assert [c["id"] for c in body["items"]] == [high.pk]
    assert reviewer_client.get("/api/claims", {"status": "bogus"}).status_code == 422


def test_article_status_for_polling(reviewer_client):
    claim = factories.ClaimFactory()
    body = reviewer_client.get(f"/api/articles/{claim.article_id}").json()
    assert body["status"] == "ready"
    assert body["claim_count"] == 1


def test_openapi_schema_is_served():
    schema = Client().get("/api/openapi.json").json()
    assert "/api/verdicts" in schema["paths"]


def test_reviewer_submits_text_and_gets_the_article_back(
    reviewer_client, django_capture_on_commit_callbacks
):
    text = "Officials said the embassy was evacuated.\n\nMore than 5,000 US troops are in Iraq."
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            "/api/articles", {"text": text}, content_type="application/json"
        )
    assert response.status_code == 202, response.content
    assert response.json()["article"]["status"] == "queued"
    article = reviewer_client.get(f"/api/articles/{response.json()['article']['id']}").json()
    assert article["status"] == "ready"  # the job ran inline once the request committed
    assert article["claim_count"] >= 1
    again = reviewer_client.post("/api/articles", {"text": text}, content_type="application/json")
    assert again.status_code == 200
    assert again.json() == {"article": again.json()["article"], "duplicate": True}
    assert again.json()["article"]["id"] == article["id"]


def test_submit_refuses_bad_input_with_a_message(reviewer_client):
    both = reviewer_client.post(
        "/api/articles",
        {"url": "https://x.example/a", "text": "t"},
        content_type="application/json",
    )
    assert both.status_code == 400
    bad_url = reviewer_client.post(
        "/api/articles", {"url": "ftp://x.example/a"}, content_type="application/json"
    )
    assert bad_url.status_code == 400
    assert "http" in bad_url.json()["detail"]


def test_submit_needs_the_reviewer_role_and_csrf(plain_user_client, reviewer_user):
    response = plain_user_client.post(
        "/api/articles", {"text": "Some text."}, content_type="application/json"
    )
    assert response.status_code == 403
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(reviewer_user)
    refused = csrf_client.post(
        "/api/articles", {"text": "Some text."}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_submit_without_url_or_text_says_one_is_needed(reviewer_client):
    response = reviewer_client.post("/api/articles", {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Give the article's url or its text: one of the two is needed."
    }


@pytest.mark.parametrize("field", ["text", "url", "moderators"])
def test_a_lone_surrogate_is_a_clear_400(reviewer_client, field):
    """JSON can spell a lone surrogate; it used to reach text_hash and fail with a 500."""
    payload = {"text": "Officials said the embassy was evacuated."}
    if field == "url":
        payload = {"url": "https://news.example.com/a"}
    payload[field] = payload.get(field, "") + "\\ud800"
    body = json.dumps(payload).replace("\\\\ud800", "\\ud800")
    response = reviewer_client.post("/api/articles", body, content_type="application/json")
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert detail.startswith(f"{field} holds a character that is not valid Unicode")
    assert Article.objects.count() == 0


def test_bytes_that_are_not_utf8_are_a_clear_400(reviewer_client):
    response = reviewer_client.post(
        "/api/articles", b'{"text": "caf\xe9"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The request body is not JSON in UTF-8")


def test_a_body_that_is_not_json_is_a_clear_400(reviewer_client):
    response = reviewer_client.post("/api/articles", "{text:", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The request body is not JSON in UTF-8")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("text=Officials said so.", "application/x-www-form-urlencoded"),
        ("Officials said so.", "text/plain"),
        ('{"text": "Officials said so."}', "application/xml"),
    ],
)
def test_a_body_that_is_not_json_gets_415(reviewer_client, body, content_type):
    response = reviewer_client.post("/api/articles", body, content_type=content_type)
    assert response.status_code == 415
    assert response.json()["detail"].startswith(
        "Send the request body as JSON, with the header Content-Type: application/json"
    )


def test_a_multipart_body_with_a_valid_csrf_token_gets_415(reviewer_user):
    """The CSRF check reads a multipart body as a form; reading it again as JSON raised
    RawPostDataException, a 500."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer_user)
    token = get_token(RequestFactory().get("/"))
    client.cookies["csrftoken"] = token
    response = client.post(
        "/api/articles", {"text": "Officials said so.", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 415
    assert "multipart/form-data" in response.json()["detail"]
    assert Article.objects.count() == 0


def test_a_body_over_the_request_limit_gets_413_naming_the_limit(reviewer_client):
    text = "Officials said the embassy was evacuated. " * 125_000  # 5.25 MB
    response = reviewer_client.post(
        "/api/articles", {"text": text}, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("The request body is larger than the 2.5 MB limit")
    assert Article.objects.count() == 0


def test_a_failed_article_given_again_is_tried_again(
    reviewer_client, django_capture_on_commit_callbacks
):
    text = "Officials said the embassy was evacuated.\n\nMore than 5,000 US troops are in Iraq."
    failed = factories.ArticleFactory(
        raw_text=text,
        text="",
        content_hash=text_hash(text),
        status=Article.Status.FAILED,
        failure_reason="The ingest job was interrupted 4 times.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            "/api/articles", {"text": text}, content_type="application/json"
        )
    assert response.status_code == 202, response.content
    assert response.json()["duplicate"] is False
    assert response.json()["article"]["id"] == failed.pk
    failed.refresh_from_db()
    assert failed.status == Article.Status.READY
