"""The public pages read counts from the counters and offer a bounded number of pages, so that
no page's cost grows with the number of published verdicts."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims import selectors
from claims.views import public as public_views
from tests import factories
from tests.publishing import days_ago, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def speaker(db):
    return factories.SpeakerFactory(name="Ada Minister", slug="ada-minister")


@pytest.fixture
def five(reviewer_user, editor_user, speaker):
    ratings = ["true", "false", "false", "misleading", "false"]
    return [
        publish(
            author=reviewer_user,
            approver=editor_user,
            rating=rating,
            speaker=speaker if index < 3 else None,
            speaker_text="" if index >= 3 else "Ada Minister",
            content=f"claim number {index} about the budget",
            published_at=days_ago(index + 1),
        )
        for index, rating in enumerate(ratings)
    ]


def _counting_queries(url: str) -> list[str]:
    """The SQL of the page's queries that count or group published verdicts."""
    with CaptureQueriesContext(connection) as ctx:
        assert Client().get(url).status_code == 200
    return [
        q["sql"]
        for q in ctx.captured_queries
        if "claims_verdict" in q["sql"] and ("COUNT(" in q["sql"] or "GROUP BY" in q["sql"])
    ]


@pytest.mark.parametrize(
    "url",
    ["/", "/ratings/", "/verdicts/", "/verdicts/?rating=false", "/speakers/", "/sitemap.xml"],
)
def test_counts_come_from_the_counters_not_the_verdicts(five, url):
    assert _counting_queries(url) == []


def test_the_speaker_page_counts_from_the_counters(five, speaker):
    assert _counting_queries(f"/speakers/{speaker.slug}/") == []
    cache.clear()  # rendered again, not served from the cache, to read its context
    response = Client().get(f"/speakers/{speaker.slug}/")
    counts = {rating.slug: n for rating, n in response.context["rating_counts"] if n}
    assert counts == {"true": 1, "false": 2}
    assert response.context["page"].paginator.count == 3


def test_the_speaker_list_counts_each_record(five, speaker):
    response = Client().get("/speakers/")
    listed = {s.slug: s.verdict_count for s in response.context["page"].object_list}
    assert listed == {"ada-minister": 3}


def test_list_totals_are_exact_from_the_counters(five, speaker):
    assert selectors.public_verdict_total() == 5
    assert selectors.public_verdict_total(selectors.VerdictFilters(rating="false")) == 3
    both = selectors.VerdictFilters(rating="false", speaker=speaker.slug)
    assert selectors.public_verdict_total(both) == 2
    assert selectors.public_verdict_total(selectors.VerdictFilters(q="budget")) is None


def test_lists_offer_pages_down_to_the_limit(five, monkeypatch):
    monkeypatch.setattr(selectors, "PUBLIC_COUNT_LIMIT", 2)
    monkeypatch.setattr(public_views, "VERDICTS_PER_PAGE", 1)
    first = Client().get("/verdicts/")
    paginator = first.context["page"].paginator
    # The total is exact (counters); the pages stop at the limit.
    assert paginator.count == 5 and paginator.num_pages == 2 and paginator.pages_are_capped
    assert "5 fact-checks" in first.content.decode()
    deep = Client().get("/verdicts/", {"page": 4})
    assert deep.context["page"].number == 2
    assert "narrow the dates or the search" in deep.content.decode()
    # Where the counters cannot say (a date range), the count stops at the limit too.
    dated = Client().get("/verdicts/", {"date_from": days_ago(30).date().isoformat()})
    assert dated.context["page"].paginator.count_is_capped
    body = dated.content.decode()
    assert "More than 2 fact-checks" in body


def test_outlet_choices_come_from_the_latest_fact_checks(five, monkeypatch):
    monkeypatch.setattr(selectors, "OUTLET_CHOICES_FROM", 1)
    names = selectors.public_outlet_names()
    assert len(names) <= 1
