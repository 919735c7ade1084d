"""PublicPageMiddleware: anonymous reads of public pages served from the cache before the rest
of the middleware, with the same headers as a rendered page, 304s, never to signed-in staff,
and never a page older than the last change, whether the version is kept in a shared cache or
read from the database."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims import public_cache
from claims.services.claims import claim_accept, claim_set_speaker
from claims.services.verdicts import verdict_unpublish
from tests import factories
from tests.publishing import correct, publish

pytestmark = pytest.mark.django_db

# Set by a rendered page and by the cached one alike, by the middleware on either side.
SAME_HEADERS = (
    "Content-Type",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Vary",
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


class FakeClock:
    """The lease's clock: a change's wait moves it on instead of sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleep_calls.append(seconds)
        self.now += seconds

    sleep_calls: list[float]


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    fake.sleep_calls = []
    monkeypatch.setattr(public_cache, "_clock", fake)
    monkeypatch.setattr(public_cache, "_sleep", fake.sleep)
    return fake


@pytest.fixture(params=["shared cache", "database"])
def version_source(request, settings, clock):
    """Both ways of keeping the version: in a cache every process shares (Redis in use; this
    process's memory here, which one test process shares with itself) or in the database."""
    settings.PUBLIC_CACHE_SHARED = request.param == "shared cache"
    return request.param


@pytest.fixture
def speaker(db):
    return factories.SpeakerFactory(name="Ann Example", slug="ann-example", role="Minister")


@pytest.fixture
def verdict(reviewer_user, editor_user, speaker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return publish(
            author=reviewer_user,
            approver=editor_user,
            rating="false",
            speaker=speaker,
            content="the bridge cost four billion",
            explanation="The audited accounts give one billion.",
        )


def _get(url: str, client: Client | None = None, **headers):
    with CaptureQueriesContext(connection) as context:
        response = (client or Client()).get(url, **headers)
    return response, len(context.captured_queries)


def _served_from_cache(version_source: str, queries: int) -> bool:
    """No query at all with a shared cache; the version's one query with the database."""
    return queries == (0 if version_source == "shared cache" else 1)


def test_anonymous_readers_get_the_stored_page(version_source, verdict):
    url = verdict.get_absolute_url()
    first, first_queries = _get(url)
    second, second_queries = _get(url)
    assert first.status_code == second.status_code == 200
    assert first_queries > 1
    assert _served_from_cache(version_source, second_queries), second_queries
    assert second.content == first.content
    assert b"four billion" in second.content
    assert second.headers["X-Request-ID"] != first.headers["X-Request-ID"]


def test_a_stored_page_has_the_headers_of_a_rendered_one(version_source, verdict):
    for url in (verdict.get_absolute_url(), "/verdicts/", "/verdicts/feed/", "/robots.txt"):
        rendered, _ = _get(url)
        stored, queries = _get(url)
        assert _served_from_cache(version_source, queries), url
        for name in SAME_HEADERS:
            assert stored.headers.get(name) == rendered.headers.get(name), (url, name)
        assert "Set-Cookie" not in stored.headers
        assert "X-Request-ID" in stored.headers


def test_the_fragment_and_the_page_are_stored_apart(version_source, verdict):
    Client().get("/verdicts/")
    Client().get("/verdicts/", HTTP_HX_REQUEST="true")
    page, page_queries = _get("/verdicts/")
    fragment, fragment_queries = _get("/verdicts/", HTTP_HX_REQUEST="true")
    restore, _ = _get("/verdicts/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert _served_from_cache(version_source, page_queries)
    assert _served_from_cache(version_source, fragment_queries)
    assert b"<html" in page.content and b"<html" not in fragment.content
    assert b"<html" in restore.content
    assert "HX-Request" in fragment.headers["Vary"] and "HX-Request" in page.headers["Vary"]


def test_conditional_requests_get_304_from_the_stored_page(version_source, verdict):
    url = verdict.get_absolute_url()
    first = Client().get(url)
    Client().get(url)
    again, queries = _get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert _served_from_cache(version_source, queries)
    since, _ = _get(url, HTTP_IF_MODIFIED_SINCE=first.headers["Last-Modified"])
    assert since.status_code == 304
    other, _ = _get(url, HTTP_IF_NONE_MATCH='"another"')
    assert other.status_code == 200 and b"four billion" in other.content


def test_signed_in_staff_never_get_the_stored_page(version_source, verdict, editor_client):
    url = verdict.get_absolute_url()
    Client().get(url)
    assert b"Sign out" not in Client().get(url).content
    staff, queries = _get(url, editor_client)
    assert b"Sign out" in staff.content
    assert queries > 1
    # and the staff page is not stored for the next reader either
    assert b"Sign out" not in Client().get(url).content


def test_a_staff_page_rendered_first_is_not_stored(version_source, verdict, editor_client):
    url = verdict.get_absolute_url()
    assert b"Sign out" in editor_client.get(url).content
    anonymous, queries = _get(url)
    assert b"Sign out" not in anonymous.content
    assert queries > 1


def test_head_and_writes_go_to_the_view(version_source, verdict):
    url = verdict.get_absolute_url()
    Client().get(url)
    with CaptureQueriesContext(connection) as context:
        head = Client().head(url)
    assert head.status_code == 200 and head.headers["ETag"] and head.content == b""
    assert len(context.captured_queries) > 1
    assert Client().post(url).status_code == 405


def test_a_correction_is_never_served_stale(
    version_source, verdict, editor_user, other_editor_user, django_capture_on_commit_callbacks
):
    url = verdict.get_absolute_url()
    Client().get(url)
    assert b"The audited accounts give one billion." in Client().get(url).content
    with django_capture_on_commit_callbacks(execute=True):
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


def test_a_new_verdict_shows_at_once_on_the_stored_lists(
    version_source, verdict, reviewer_user, editor_user, speaker, django_capture_on_commit_callbacks
):
    urls = ["/", "/verdicts/", speaker.get_absolute_url()]
    for url in urls:
        Client().get(url)
        assert b"tunnel opened" not in Client().get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            author=reviewer_user,
            approver=editor_user,
            rating="true",
            speaker=speaker,
            content="the tunnel opened in May",
        )
    for url in urls:
        assert b"tunnel opened" in Client().get(url).content, url


def test_taking_the_page_down_takes_the_stored_page_down(
    version_source, verdict, editor_user, django_capture_on_commit_callbacks
):
    url = verdict.get_absolute_url()
    Client().get(url)
    assert Client().get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        verdict_unpublish(verdict=verdict, by=editor_user, reason="A court order.", take_down=True)
    assert Client().get(url).status_code == 404


def test_reopening_for_rework_shows_its_notice_on_the_stored_page(
    version_source, verdict, editor_user, django_capture_on_commit_callbacks
):
    url = verdict.get_absolute_url()
    Client().get(url)
    assert b"being reviewed again" not in Client().get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        verdict_unpublish(verdict=verdict, by=editor_user, reason="The figure is disputed.")
    page = Client().get(url)
    assert page.status_code == 200 and b"being reviewed again" in page.content


def test_a_speaker_change_is_never_served_stale(
    version_source, verdict, speaker, reviewer_user, django_capture_on_commit_callbacks
):
    url = speaker.get_absolute_url()
    Client().get(url)
    assert b"Former minister" not in Client().get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        speaker.role = "Former minister"
        speaker.save()
    assert b"Former minister" in Client().get(url).content
    # and through the review workflow
    other = claim_accept(claim=factories.ClaimFactory(speaker=speaker), by=reviewer_user)
    Client().get(verdict.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        claim_set_speaker(
            claim=other,
            by=reviewer_user,
            speaker=speaker,
            role="Mayor",
            expected_version=other.version,
        )
    assert b"Mayor" in Client().get(url).content


# --- the shared cache's version ------------------------------------------------------------


@pytest.fixture
def shared(settings, clock):
    settings.PUBLIC_CACHE_SHARED = True


def test_while_a_change_is_pending_pages_are_rendered_and_not_stored(
    shared, verdict, django_capture_on_commit_callbacks
):
    url = verdict.get_absolute_url()
    Client().get(url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        public_cache.bump_public_version()  # in the change's transaction, not committed yet
        during, queries = _get(url)
        assert queries > 1  # rendered, not the stored page
        assert "ETag" not in during.headers
        _, queries = _get(url)
        assert queries > 1  # and not stored either
    assert cache.get(public_cache.PENDING_KEY) == 1
    for callback in callbacks:
        callback()
    assert cache.get(public_cache.PENDING_KEY) == 0
    after, queries = _get(url)
    assert queries > 0 and after.headers["ETag"]
    again, queries = _get(url)
    assert queries == 0 and again.content == after.content


def test_a_change_whose_process_died_before_the_new_tag_is_not_served_stale(shared, verdict):
    """The change committed, then its process died before counting itself out and setting
    the new tag: the count stays until it expires, and then a new tag is made: the page
    stored before is never served again."""
    url = verdict.get_absolute_url()
    Client().get(url)
    public_cache.bump_public_version()  # its on_commit callback never runs
    type(verdict).objects.filter(pk=verdict.pk).update(
        published_explanation="An explanation changed behind the cache's back."
    )
    assert b"changed behind" in Client().get(url).content
    cache.delete(public_cache.PENDING_KEY)  # the count expired
    Client().get(url)
    page, queries = _get(url)
    assert b"changed behind" in page.content
    assert _served_from_cache("shared cache", queries)


def test_a_version_lost_from_the_cache_is_never_remade_as_an_old_one(shared, verdict):
    url = verdict.get_absolute_url()
    first = Client().get(url)
    cache.delete(public_cache.VERSION_KEY)  # evicted
    again, queries = _get(url)
    assert queries > 1  # rendered again under a new tag, not the page stored before
    assert again.headers["ETag"] != first.headers["ETag"]
    assert Client().get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"]).status_code == 200


# --- what is never stored ------------------------------------------------------------------


def test_a_page_setting_a_cookie_or_carrying_a_csp_nonce_is_not_stored():
    plain = HttpResponse("page")
    assert public_cache._storable(plain)
    with_cookie = HttpResponse("page")
    with_cookie.set_cookie("csrftoken", "abc")
    assert not public_cache._storable(with_cookie)
    with_nonce = HttpResponse("page")
    with_nonce.headers["Content-Security-Policy"] = "script-src 'self' 'nonce-abc123'"
    assert not public_cache._storable(with_nonce)
    assert not public_cache._storable(HttpResponse("gone", status=404))


def test_a_messages_cookie_or_an_authorization_header_skips_the_cache(version_source, verdict):
    url = verdict.get_absolute_url()
    Client().get(url)
    client = Client()
    client.cookies["messages"] = "something"
    _, queries = _get(url, client)
    assert queries > 1
    _, queries = _get(url, HTTP_AUTHORIZATION="Bearer abc")
    assert queries > 1


# --- the lease ---------------------------------------------------------------------------


def test_under_its_lease_a_process_serves_pages_without_asking_the_cache(
    shared, clock, verdict, settings, monkeypatch
):
    url = verdict.get_absolute_url()
    Client().get(url)
    Client().get(url)
    asked: list[list[str]] = []
    get_many = cache.get_many

    def counting_get_many(keys, *args, **kwargs):
        asked.append(keys)
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counting_get_many)
    for _ in range(3):
        page, queries = _get(url)
        assert queries == 0 and b"four billion" in page.content
    assert asked == []
    clock.now += settings.PUBLIC_CACHE_LEASE_SECONDS
    page, queries = _get(url)
    assert queries == 0 and b"four billion" in page.content
    assert len(asked) == 1  # the lease ended: asked once, and a new one taken


def test_a_change_waits_out_the_leases_once_per_transaction(
    shared, clock, verdict, settings, django_capture_on_commit_callbacks
):
    clock.sleep_calls.clear()  # the verdict's publication waited too
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        public_cache.bump_public_version()
        public_cache.bump_public_version()
        assert cache.get(public_cache.PENDING_KEY) == 1
        assert cache.get(public_cache.VERSION_KEY) is None
    assert clock.sleep_calls == [settings.PUBLIC_CACHE_LEASE_SECONDS]
    assert cache.get(public_cache.PENDING_KEY) == 0
    assert cache.get(public_cache.VERSION_KEY) is not None


def test_a_lease_taken_before_a_change_ends_before_it_commits(shared, clock, verdict, settings):
    """Another process's change: counted in, it waits out the lease before committing. This
    process's lease, taken before, has ended by then, and the next reader asks the cache,
    finds the change in flight and renders the page afresh."""
    url = verdict.get_absolute_url()
    Client().get(url)
    assert _get(url)[1] == 0  # under the lease
    # the other process: counted in, the tag gone, waiting out the lease, then committed
    cache.set(public_cache.PENDING_KEY, 1)
    cache.delete(public_cache.VERSION_KEY)
    clock.now += settings.PUBLIC_CACHE_LEASE_SECONDS
    type(verdict).objects.filter(pk=verdict.pk).update(
        published_explanation="A changed explanation."
    )
    page, queries = _get(url)
    assert queries > 1 and b"A changed explanation." in page.content
    assert _get(url)[1] > 1  # nothing stored, no lease taken while it is in flight


def test_a_change_in_this_process_drops_its_lease_at_once(
    shared, clock, verdict, django_capture_on_commit_callbacks
):
    url = verdict.get_absolute_url()
    Client().get(url)
    assert _get(url)[1] == 0
    with django_capture_on_commit_callbacks(execute=True):
        public_cache.bump_public_version()
    assert public_cache._lease.version is None and not public_cache._lease.pages
    assert _get(url)[1] > 1


def test_a_tag_made_just_as_a_change_counts_itself_in_is_not_used(shared):
    """A reader found no tag and no change in flight, then a change counted itself in (and
    removed the tag) before the reader made a new one: that tag must not be used, or pages
    rendered before the change commits would be stored under it."""
    cache.set(public_cache.PENDING_KEY, 1)  # counted in after the reader's first read
    assert public_cache._version_from_cache(None, None) is None
    cache.set(public_cache.PENDING_KEY, 0)
    assert public_cache._version_from_cache(None, None) is not None


def test_a_host_not_allowed_is_refused_though_a_page_is_stored(version_source, verdict):
    url = verdict.get_absolute_url()
    Client().get(url)
    assert Client().get(url).status_code == 200
    assert Client().get(url, HTTP_HOST="evil.example").status_code == 400
    assert Client().get(url, HTTP_HOST="evil.example").status_code == 400  # nothing stored
