"""The review queue: filters, sorting, counts per status, pages, htmx fragment, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from claims.services.claims import claim_comment
from claims.services.evidence import evidence_add
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
QUEUE = "/review/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _rows(body: str) -> int:
    return body.count('class="queue-row"')


def test_queue_sorts_by_check_worthiness_by_default(reviewer_client):
    factories.ClaimFactory(content="High priority", checkworthiness=0.9)
    factories.ClaimFactory(content="Low priority", checkworthiness=0.1)
    body = reviewer_client.get(QUEUE).content.decode()
    assert body.index("High priority") < body.index("Low priority")
    newest = reviewer_client.get(QUEUE, {"sort": "newest"}).content.decode()
    assert newest.index("Low priority") < newest.index("High priority")


def test_filters(reviewer_client, reviewer_user):
    speaker = factories.SpeakerFactory(name="David Schenker")
    mine = factories.ClaimFactory(content="Mine", assignee=reviewer_user, checkworthiness=0.2)
    said = factories.ClaimFactory(content="Schenker's", speaker=speaker, checkworthiness=0.95)
    dismissed = factories.ClaimFactory(
        content="Dismissed one", status=Claim.Status.DISMISSED, kind=Claim.Kind.DIRECT
    )

    def listed(**params):
        body = reviewer_client.get(QUEUE, params).content.decode()
        return {c.content for c in (mine, said, dismissed) if c.get_absolute_url() in body}

    assert listed(mine="on") == {"Mine"}
    assert listed(assignee=reviewer_user.pk) == {"Mine"}
    assert listed(speaker="schenker") == {"Schenker's"}
    assert listed(status="dismissed") == {"Dismissed one"}
    assert listed(kind="direct") == {"Dismissed one"}
    assert listed(score_min="0.9") == {"Schenker's"}
    assert listed(score_max="0.3") == {"Mine"}
    assert listed(article=mine.article_id) == {"Mine"}


def test_counts_per_status_follow_the_other_filters(reviewer_client):
    factories.ClaimFactory.create_batch(3)
    factories.ClaimFactory.create_batch(2, status=Claim.Status.DISMISSED)
    response = reviewer_client.get(QUEUE, {"status": "dismissed"})
    counts = dict((value, n) for value, _, n in response.context["counts"])
    assert counts["new"] == 3 and counts["dismissed"] == 2
    assert response.context["total"] == 5
    assert _rows(response.content.decode()) == 2


def test_bad_filter_values_are_ignored_not_an_error(reviewer_client):
    factories.ClaimFactory()
    response = reviewer_client.get(QUEUE, {"score_min": "lots", "article": "x", "page": "999"})
    assert response.status_code == 200
    assert _rows(response.content.decode()) == 1


def test_pages(reviewer_client):
    factories.ClaimFactory.create_batch(30)
    first = reviewer_client.get(QUEUE).content.decode()
    assert _rows(first) == 25
    assert "Page 1 of 2" in first
    second = reviewer_client.get(QUEUE, {"page": 2}).content.decode()
    assert _rows(second) == 5


def test_htmx_gets_only_the_results(reviewer_client):
    factories.ClaimFactory()
    body = reviewer_client.get(QUEUE, {"status": "new"}, **HTMX).content.decode()
    assert body.lstrip().startswith('<section id="queue-results"')
    assert "<html" not in body
    assert 'id="queue-filters"' not in body


def test_every_hx_get_has_an_href(reviewer_client):
    factories.ClaimFactory.create_batch(30)
    body = reviewer_client.get(QUEUE).content.decode()
    import re

    for tag in re.findall(r"<a [^>]*hx-get=[^>]*>", body):
        assert "href=" in tag, tag


def _queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return len(ctx.captured_queries)


def _populate(n: int, reviewer) -> None:
    speaker = factories.SpeakerFactory()
    for claim in factories.ClaimFactory.create_batch(n, speaker=speaker, assignee=reviewer):
        factories.VerdictFactory(claim=claim, author=reviewer)


def test_queue_query_count_does_not_grow_with_rows(
    reviewer_client, reviewer_user, django_assert_max_num_queries
):
    _populate(5, reviewer_user)
    few = _queries(reviewer_client, QUEUE)
    _populate(45, reviewer_user)
    many = _queries(reviewer_client, QUEUE)
    assert few == many
    with django_assert_max_num_queries(12):
        reviewer_client.get(QUEUE)
    assert _queries(reviewer_client, QUEUE, **HTMX) <= many


def test_article_page_query_count_does_not_grow_with_claims(
    reviewer_client, django_assert_max_num_queries
):
    article = factories.ArticleFactory(text="x" * 2000)
    factories.ClaimFactory.create_batch(5, article=article)
    url = reverse("review:article", args=[article.pk])
    few = _queries(reviewer_client, url)
    factories.ClaimFactory.create_batch(40, article=article)
    assert _queries(reviewer_client, url) == few
    with django_assert_max_num_queries(12):
        reviewer_client.get(url)


def test_claim_page_query_count_does_not_grow_with_its_history(
    reviewer_client, reviewer_user, django_assert_max_num_queries
):
    claim = factories.ClaimFactory()
    url = reverse("review:claim", args=[claim.pk])

    def add(n: int, offset: int) -> None:
        for i in range(n):
            claim_comment(claim=claim, by=reviewer_user, body=f"Note {offset + i}")
            evidence_add(claim=claim, url=f"https://example.org/{offset + i}", by=reviewer_user)

    add(2, 0)
    few = _queries(reviewer_client, url)
    add(20, 100)
    assert _queries(reviewer_client, url) == few
    with django_assert_max_num_queries(25):
        reviewer_client.get(url)


def test_dashboard_query_count_is_fixed(reviewer_client, reviewer_user):
    _populate(3, reviewer_user)
    few = _queries(reviewer_client, reverse("review:dashboard"))
    _populate(20, reviewer_user)
    assert _queries(reviewer_client, reverse("review:dashboard")) == few


def test_article_filter_works_for_any_article_and_bad_values_drop_alone(reviewer_client):
    old = factories.ClaimFactory(content="In an old article")
    factories.ArticleFactory.create_batch(3)
    factories.ClaimFactory(content="Elsewhere")
    body = reviewer_client.get(
        QUEUE, {"article": old.article_id, "score_min": "lots"}
    ).content.decode()
    assert "In an old article" in body
    assert "Elsewhere" not in body
