"""The public site's cache: pages served from it, conditional requests answered with 304, and
every change a public page shows (a publication, a correction, a speaker, a rating …) making
the cached pages and the readers' ETags stale at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, PublicSiteVersion, Verdict, VerdictRating
from claims.public_cache import SiteVersion, bump_public_version, current_version
from claims.services.claims import claim_accept, claim_comment, claim_set_speaker, claim_update
from claims.services.evidence import evidence_add
from claims.services.verdicts import verdict_unpublish
from tests import factories
from tests.publishing import correct, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _version_in_the_database(settings):
    """These tests read the version from the database, as a server does without a shared
    cache (CACHE_URL); tests/test_public_cache_middleware.py covers both ways."""
    settings.PUBLIC_CACHE_SHARED = False


PUBLIC_URLS = [
    "/",
    "/verdicts/",
    "/verdicts/?rating=false",
    "/speakers/",
    "/ratings/",
    "/verdicts/feed/",
    "/verdicts/feed/atom/",
    "/sitemap.xml",
    "/sitemap-verdicts.xml",
    "/robots.txt",
    "/claimreview.json",
]


@pytest.fixture
def speaker(db):
    return factories.SpeakerFactory(name="Ann Example", slug="ann-example", role="Minister")


@pytest.fixture
def verdict(reviewer_user, editor_user, speaker):
    return publish(
        author=reviewer_user,
        approver=editor_user,
        rating="false",
        speaker=speaker,
        content="the bridge cost four billion",
        explanation="The audited accounts give one billion.",
    )


def _urls(verdict) -> list[str]:
    return [
        *PUBLIC_URLS,
        verdict.get_absolute_url(),
        verdict.claim.speaker.get_absolute_url(),
        f"{verdict.claim.speaker.get_absolute_url()}feed/",
    ]


def _queries(url: str, **headers) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as context:
        response = Client().get(url, **headers)
    return response, [q["sql"] for q in context.captured_queries]


def test_every_public_page_carries_validators(verdict):
    for url in _urls(verdict):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert response.headers["ETag"].startswith('"'), url
        assert response.headers["Last-Modified"].endswith("GMT"), url
        assert "must-revalidate" in response.headers["Cache-Control"], url
        assert "Cookie" in response.headers["Vary"], url


def test_conditional_requests_get_304_without_rendering(verdict):
    for url in _urls(verdict):
        first = Client().get(url)
        again, queries = _queries(url, HTTP_IF_NONE_MATCH=first.headers["ETag"])
        assert again.status_code == 304, url
        assert again.content == b"", url
        assert again.headers["ETag"] == first.headers["ETag"], url
        assert len(queries) == 1, (url, queries)  # the version, nothing else
        since = Client().get(url, HTTP_IF_MODIFIED_SINCE=first.headers["Last-Modified"])
        assert since.status_code == 304, url


def test_a_stale_etag_gets_the_page(verdict):
    response = Client().get(verdict.get_absolute_url(), HTTP_IF_NONE_MATCH='"not-this-one"')
    assert response.status_code == 200
    assert b"four billion" in response.content


def test_second_request_is_served_from_the_cache_with_one_query(verdict):
    url = verdict.get_absolute_url()
    first, first_queries = _queries(url)
    second, second_queries = _queries(url)
    assert len(first_queries) > 1
    assert len(second_queries) == 1 and "publicsiteversion" in second_queries[0]
    assert second.content == first.content
    assert second.headers["Content-Type"] == first.headers["Content-Type"]


def test_each_address_and_fragment_is_cached_apart(verdict):
    whole = Client().get("/verdicts/")
    fragment = Client().get("/verdicts/", HTTP_HX_REQUEST="true")
    filtered = Client().get("/verdicts/?rating=true")
    assert b"<html" in whole.content and b"<html" not in fragment.content
    assert b"four billion" in whole.content and b"four billion" not in filtered.content
    assert len({whole.headers["ETag"], fragment.headers["ETag"], filtered.headers["ETag"]}) == 3
    assert "HX-Request" in fragment.headers["Vary"]
    again = Client().get("/verdicts/", HTTP_HX_REQUEST="true")
    assert again.content == fragment.content
    assert "HX-Request" in again.headers["Vary"]


def test_the_back_button_gets_the_whole_page_after_a_fragment(verdict):
    """htmx restores history (and follows boosted links) with HX-Request set, and needs the
    whole page: the cached fragment of the same address must not be served to it."""
    fragment = Client().get("/verdicts/", HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content
    for extra in ({"HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}, {"HTTP_HX_BOOSTED": "true"}):
        restored = Client().get("/verdicts/", HTTP_HX_REQUEST="true", **extra)
        assert b"<html" in restored.content


def test_signed_in_staff_get_their_own_page_not_the_cached_one(verdict, editor_client):
    url = verdict.get_absolute_url()
    anonymous = Client().get(url)
    staff = editor_client.get(url)
    assert b"Sign out" not in anonymous.content
    assert b"Sign out" in staff.content
    assert "ETag" not in staff.headers
    assert b"Sign out" not in Client().get(url).content


def test_publishing_shows_at_once_everywhere(verdict, reviewer_user, editor_user, speaker):
    urls = ["/", "/verdicts/", speaker.get_absolute_url(), "/verdicts/feed/", "/sitemap.xml"]
    before = {url: Client().get(url) for url in urls}
    second = publish(
        author=reviewer_user,
        approver=editor_user,
        rating="true",
        speaker=speaker,
        content="the tunnel opened in May",
        explanation="The operator's notice says so.",
    )
    for url in urls:
        after = Client().get(url, HTTP_IF_NONE_MATCH=before[url].headers["ETag"])
        assert after.status_code == 200, url
        assert after.headers["ETag"] != before[url].headers["ETag"], url
    assert b"tunnel opened" in Client().get("/verdicts/").content
    assert b"tunnel opened" in Client().get(speaker.get_absolute_url()).content
    assert second.slug.encode() in Client().get("/sitemap-verdicts.xml").content


def test_a_correction_shows_at_once(verdict, editor_user, other_editor_user):
    url = verdict.get_absolute_url()
    assert b"The audited accounts give one billion." in Client().get(url).content
    correct(
        verdict,
        proposer=other_editor_user,
        approver=editor_user,
        reason="A second audit was published.",
        explanation="The second audit gives 1.2 billion.",
    )
    page = Client().get(url).content
    assert b"The second audit gives 1.2 billion." in page
    assert b"A second audit was published." in page


def test_reopening_shows_the_review_notice_at_once(verdict, editor_user):
    url = verdict.get_absolute_url()
    assert b"being reviewed again" not in Client().get(url).content
    verdict_unpublish(verdict=verdict, by=editor_user, reason="The figure is disputed.")
    page = Client().get(url)
    assert page.status_code == 200 and b"being reviewed again" in page.content


def test_rework_of_a_reopened_claim_leaves_the_public_cache_alone(
    verdict, reviewer_user, editor_user
):
    """Reopened, the page shows the published version: edits of the claim, its evidence and
    the draft change nothing public, so cached pages and readers' ETags stay valid."""
    url = verdict.get_absolute_url()
    verdict_unpublish(verdict=verdict, by=editor_user, reason="The figure is disputed.")
    etag = Client().get(url)["ETag"]
    before = current_version()
    claim = Claim.objects.get(pk=verdict.claim_id)
    claim = claim_update(
        claim=claim, by=reviewer_user, expected_version=claim.version, statement="Reworded."
    )
    evidence_add(claim=claim, by=reviewer_user, url="https://audit.example/2", title="Audit")
    claim_comment(claim=claim, by=reviewer_user, body="Checking the second audit.")
    draft = Verdict.objects.get(pk=verdict.pk)
    draft.explanation = "A draft nobody approved."
    draft.save(update_fields=["explanation", "updated_at"])
    assert current_version() == before
    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_taking_the_page_down_takes_it_down_at_once(verdict, editor_user):
    url = verdict.get_absolute_url()
    assert Client().get(url).status_code == 200
    verdict_unpublish(verdict=verdict, by=editor_user, reason="A court order.", take_down=True)
    assert Client().get(url).status_code == 404
    assert b"four billion" not in Client().get("/verdicts/").content


def test_a_speaker_change_shows_on_their_published_verdicts(verdict, speaker, reviewer_user):
    url = verdict.get_absolute_url()
    assert b"Minister" in Client().get(url).content
    other = claim_accept(claim=factories.ClaimFactory(speaker=speaker), by=reviewer_user)
    claim_set_speaker(
        claim=other,
        by=reviewer_user,
        speaker=speaker,
        role="Former minister",
        expected_version=other.version,
    )
    assert b"Former minister" in Client().get(speaker.get_absolute_url()).content


def test_a_rating_renamed_in_the_admin_shows_at_once(verdict):
    assert b"False" in Client().get("/ratings/").content
    rating = VerdictRating.objects.get(slug="false")
    rating.description = "Renamed description for the ratings page."
    rating.save()
    assert b"Renamed description for the ratings page." in Client().get("/ratings/").content


def test_review_work_on_unpublished_claims_leaves_the_public_cache_alone(verdict, reviewer_user):
    before = current_version()
    claim = claim_accept(claim=factories.ClaimFactory(), by=reviewer_user)
    claim_comment(claim=claim, by=reviewer_user, body="Looking into it.")
    factories.SpeakerFactory(name="Someone New")
    assert current_version() == before


def test_the_version_is_shared_through_the_database(verdict):
    """Another server process moving the version on (the row, not this process's cache) makes
    this process's cached page stale."""
    url = verdict.get_absolute_url()
    etag = Client().get(url).headers["ETag"]
    PublicSiteVersion.objects.filter(pk=1).update(version=12345)
    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_version_row_is_made_when_missing(db):
    PublicSiteVersion.objects.all().delete()
    assert current_version() == SiteVersion("0", None)
    bump_public_version()
    version = current_version()
    assert version.tag.startswith("1.") and version.changed_at is not None
    bump_public_version()
    assert current_version().tag.startswith("2.")


def test_404s_and_writes_are_not_cached(verdict):
    assert Client().get("/verdicts/no-such-verdict/").status_code == 404
    assert "ETag" not in Client().get("/verdicts/no-such-verdict/").headers
    assert Client().post("/verdicts/").status_code == 405
