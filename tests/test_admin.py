"""The admin: sources with domains and feeds, and re-running ingest jobs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Article, Source
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_with_role(admin_user_with_role) -> Client:
    client = Client()
    client.force_login(admin_user_with_role)
    return client


def test_admin_adds_a_source_with_domains_and_a_feed(admin_client_with_role):
    response = admin_client_with_role.post(
        reverse("admin:claims_source_add"),
        {
            "name": "Reuters",
            "slug": "reuters",
            "kind": "agency",
            "reliability": "3",
            "active": "on",
            "ingest_threshold": "0.5",
            "notes": "",
            "domains-TOTAL_FORMS": "2",
            "domains-INITIAL_FORMS": "0",
            "domains-0-domain": "https://WWW.Reuters.com/world",
            "domains-1-domain": "reuters.co.uk",
            "feeds-TOTAL_FORMS": "1",
            "feeds-INITIAL_FORMS": "0",
            "feeds-0-url": "https://www.reuters.com/rss/world",
            "feeds-0-title": "World",
            "feeds-0-active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    source = Source.objects.get(slug="reuters")
    assert sorted(source.domains.values_list("domain", flat=True)) == [
        "reuters.co.uk",
        "reuters.com",
    ]
    assert source.feeds.get().title == "World"


def test_source_list_shows_domains_without_a_query_per_row(
    admin_client_with_role, django_assert_max_num_queries
):
    domains = [factories.SourceDomainFactory().domain for _ in range(10)]
    with django_assert_max_num_queries(12):
        response = admin_client_with_role.get(reverse("admin:claims_source_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert all(domain in body for domain in domains)


def test_ingest_again_action_queues_a_failed_article(admin_client_with_role, monkeypatch):
    sent = []
    monkeypatch.setattr("claims.tasks.ingest_article.delay", lambda pk: sent.append(pk))
    article = factories.ArticleFactory(status=Article.Status.FAILED, failure_reason="404")
    response = admin_client_with_role.post(
        reverse("admin:claims_article_changelist"),
        {"action": "ingest_again", "_selected_action": [article.pk]},
        follow=True,
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED
    assert "1 article(s) queued" in response.content.decode()
