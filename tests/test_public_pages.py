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
    assert "said the strikes hit three targets in Iraq." in body
    assert published_verdict.get_absolute_url() in body


def test_verdict_page(published_verdict):
    response = Client().get(published_verdict.get_absolute_url())
    assert response.status_code == 200
    assert "The Pentagon confirmed five targets" in response.content.decode()


def test_home_query_count_does_not_grow(published_verdict, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # 3 and the public site's version
        Client().get("/")


def test_markup_in_claims_is_escaped(reviewer_user, editor_user):
    from tests import factories
    from tests.conftest import publish

    verdict = publish(
        factories.ClaimFactory(content="<script>alert(1)</script>"),
        reviewer=reviewer_user,
        editor=editor_user,
        explanation="Checked.",
    )
    body = Client().get(verdict.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_unpublished_verdicts_are_not_public(db):
    from tests import factories

    verdict = factories.VerdictFactory(
        claim=factories.ClaimFactory(
            status="awaiting_approval", content="Not yet approved claim text"
        )
    )
    assert Client().get(verdict.get_absolute_url()).status_code == 404
    assert "Not yet approved claim text" not in Client().get("/").content.decode()


def test_verdict_page_shows_evidence_links_and_corrections(
    reviewer_user, editor_user, other_editor_user
):
    from tests.publishing import correct, publish

    # The sources as published: those the approved verdict rests on.
    published_verdict = publish(
        author=reviewer_user,
        approver=editor_user,
        explanation="The Pentagon confirmed five targets, three of them in Iraq.",
        evidence_urls=("https://www.defense.gov/News/Releases/strikes/",),
    )
    correct(
        published_verdict,
        proposer=other_editor_user,
        approver=editor_user,
        reason="Fixed a typo.",
        explanation="The Pentagon confirmed five targets, three of them in Iraq",
    )
    body = Client().get(published_verdict.get_absolute_url()).content.decode()
    assert 'href="https://www.defense.gov/News/Releases/strikes/"' in body
    assert "Source at https://www.defense.gov/News/Releases/strikes/" in body
    assert "updated <time" in body and "Fixed a typo." in body


def test_public_pages_have_no_staff_controls(published_verdict):
    body = Client().get(published_verdict.get_absolute_url()).content.decode()
    assert "/review/" not in body
    assert "csrfmiddlewaretoken" not in body


def test_public_pages_are_read_only(published_verdict):
    for url in ("/", published_verdict.get_absolute_url()):
        assert Client().post(url).status_code == 405
