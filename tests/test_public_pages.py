"""Public pages show published verdicts and only those."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_shows_friendly_empty_state():
    response = Client().get("/")
    assert response.status_code == 200
    assert "No fact-checks have been published yet" in response.content.decode()


def test_home_lists_published_verdicts(published_verdict):
    body = Client().get("/").content.decode()
    assert "The strikes hit three targets in Iraq" in body
    assert published_verdict.get_absolute_url() in body


def test_verdict_page(published_verdict):
    response = Client().get(published_verdict.get_absolute_url())
    assert response.status_code == 200
    assert "The Pentagon confirmed five targets" in response.content.decode()


def test_home_query_count_does_not_grow(published_verdict, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        Client().get("/")


def test_markup_in_claims_is_escaped(published_verdict):
    claim = published_verdict.claim
    claim.content = "<script>alert(1)</script>"
    claim.save()
    body = Client().get(published_verdict.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
