"""The site's own error pages: 403 names the role needed, 404 and 500 look like the site, and
`/favicon.ico` is served."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def claim():
    return factories.ClaimFactory()


def test_a_reviewer_posting_an_editors_action_is_told_the_editor_role_is_needed(
    reviewer_client, claim
):
    response = reviewer_client.post(reverse("review:verdict_approve", args=[claim.pk]), {})
    assert response.status_code == 403
    page = response.content.decode()
    assert "This needs the Editor role" in page
    assert "with the role Reviewer" in page  # what the person has
    assert 'class="site-header"' in page  # the site's page, not a bare "403 Forbidden"
    assert reverse("review:queue") in page  # a way back


def test_the_htmx_refusal_is_the_notice_alone(reviewer_client, claim):
    """htmx swaps a 403 into the page: a whole page inside the claim panel would be a mess."""
    url = reverse("review:verdict_return", args=[claim.pk])
    response = reviewer_client.post(url, {}, **HTMX)
    assert response.status_code == 403
    page = response.content.decode()
    assert "This needs the Editor role" in page
    assert "<html" not in page and "site-header" not in page


def test_someone_without_a_staff_role_is_told_the_reviewer_role_is_needed(plain_user_client):
    response = plain_user_client.get(reverse("review:queue"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "This needs the Reviewer role" in page
    assert "with no staff role" in page
    assert "Back to the review queue" not in page  # no link to where they may not go


def test_exports_name_the_editor_role(reviewer_client):
    response = reviewer_client.get(reverse("review:export_csv"))
    assert response.status_code == 403
    assert "This needs the Editor role" in response.content.decode()


def test_anonymous_visitors_still_go_to_sign_in(claim):
    response = Client().post(reverse("review:verdict_approve", args=[claim.pk]), {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_404_page_is_the_sites(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "/no-such-page/" in page
    assert 'class="site-header"' in page and reverse("public:verdicts") in page


def test_the_500_page_is_the_sites_and_needs_no_database(settings, django_assert_num_queries):
    settings.ROOT_URLCONF = "tests.error_urls"
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/test-fails/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert settings.SITE_NAME in page and 'class="site-header"' in page
    assert "a fault in a view" not in page  # nothing of the error leaks


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert "max-age=86400" in response["Cache-Control"]
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


def test_pages_link_their_icons(client):
    page = client.get(reverse("public:home")).content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in page
    assert 'type="image/svg+xml"' in page
