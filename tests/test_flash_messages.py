"""Flash messages say what the page shows: chosen from the state after the job was enqueued
(with inline tasks it has already run), never "being ingested" above a Ready article or "being
fetched" beside "Could not fetch".

Where the job runs, the test runs outside a test transaction, as `make run` does: the inline job
then runs when the view's transaction commits, before the view chooses its message.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Article, Evidence
from claims.views.claim_actions import EVIDENCE_FETCHED, EVIDENCE_FETCHING, EVIDENCE_NOT_FETCHED
from claims.views.ingest import ARTICLE_FAILED, ARTICLE_QUEUED
from tests import factories
from tests.ingest_pages import article_html

pytestmark = pytest.mark.django_db
JOBS_RUN_INLINE = pytest.mark.django_db(transaction=True)

NEW = reverse("review:article_new")
HTMX = {"HTTP_HX_REQUEST": "true"}
TEXT = (
    "Officials said the embassy staff had been evacuated before the gate was broken down.\n\n"
    "More than 5,000 US military personnel are based in Iraq."
)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True


def messages_on(response) -> list[tuple[str, str]]:
    return [(m.tags, str(m)) for m in response.context["messages"]]


@pytest.fixture
def tx_client(db):
    """A reviewer's client for tests outside a test transaction. The permission itself, not the
    role: roles are migration data that transactional tests running earlier may have flushed."""
    from django.contrib.auth.models import Permission
    from django.test import Client

    user = factories.UserFactory(username="tx-reviewer")
    user.user_permissions.add(Permission.objects.get(codename="review_claim"))
    client = Client()
    client.force_login(user)
    return client


def post(client, url, data, **extra):
    """POST and follow the redirect, as the browser does."""
    response = client.post(url, data, **extra)
    if response.status_code == 302:
        return client.get(response["Location"])
    return response


def post_without_running_jobs(client, url, data, capture, **extra):
    """POST with the enqueued jobs held back: a worker has not started them yet."""
    with capture(execute=False):
        return post(client, url, data, **extra)


@JOBS_RUN_INLINE
def test_a_pasted_article_already_ingested_says_so(tx_client):
    page = post(tx_client, NEW, {"kind": "paste", "text": TEXT})
    article = Article.objects.get()
    assert article.status == Article.Status.READY
    count = article.claims.count()
    assert count > 0
    said = messages_on(page)
    assert said == [
        ("success", f"The article is ingested: {count} claim{'s' if count > 1 else ''} found.")
    ]
    assert ARTICLE_QUEUED not in page.content.decode()


def test_an_article_still_waiting_for_its_job_says_it_is_being_ingested(
    reviewer_client, django_capture_on_commit_callbacks
):
    page = post_without_running_jobs(
        reviewer_client, NEW, {"kind": "paste", "text": TEXT}, django_capture_on_commit_callbacks
    )
    assert Article.objects.get().status == Article.Status.QUEUED
    assert messages_on(page) == [("success", ARTICLE_QUEUED)]


@JOBS_RUN_INLINE
def test_a_failed_fetch_says_it_failed(tx_client, httpserver):
    httpserver.expect_request("/gone").respond_with_data("Not here", status=404)
    page = post(tx_client, NEW, {"kind": "url", "url": httpserver.url_for("/gone")})
    assert Article.objects.get().status == Article.Status.FAILED
    assert messages_on(page) == [("error", ARTICLE_FAILED)]
    assert ARTICLE_QUEUED not in page.content.decode()


@JOBS_RUN_INLINE
def test_extracting_again_inline_says_how_it_came_out(tx_client):
    article = factories.ArticleFactory(
        status=Article.Status.FAILED, failure_reason="The job took too long.", raw_text=TEXT
    )
    url = reverse("review:article_retry", args=[article.pk])
    page = post(tx_client, url, {})
    article.refresh_from_db()
    assert article.status == Article.Status.READY
    [(level, text)] = messages_on(page)
    assert level == "success" and text.startswith("The article is ingested:")


@pytest.fixture
def claim(db):
    return factories.ClaimFactory(
        content="US jets struck five targets in Iraq and Syria", status="in_review"
    )


def _link(claim, url: str) -> tuple[str, dict]:
    return reverse("review:evidence_add", args=[claim.pk]), {
        "evidence-url": url,
        "evidence-version": claim.version,
    }


@JOBS_RUN_INLINE
@pytest.mark.parametrize("htmx", [False, True])
def test_a_link_that_could_not_be_fetched_is_not_said_to_be_fetching(
    tx_client, claim, httpserver, htmx
):
    httpserver.expect_request("/gone").respond_with_data("Not here", status=404)
    page = post(tx_client, *_link(claim, httpserver.url_for("/gone")), **(HTMX if htmx else {}))
    assert Evidence.objects.get().fetch_status == Evidence.FetchStatus.FAILED
    html = page.content.decode()
    assert "Could not fetch" in html
    assert EVIDENCE_FETCHING not in html
    assert EVIDENCE_NOT_FETCHED in html
    if htmx:
        assert f'<p class="message warning" role="status">{EVIDENCE_NOT_FETCHED}' in html
    else:
        assert messages_on(page) == [("warning", EVIDENCE_NOT_FETCHED)]


@JOBS_RUN_INLINE
def test_a_fetched_link_says_it_was_fetched(tx_client, claim, httpserver):
    httpserver.expect_request("/story").respond_with_data(article_html(), content_type="text/html")
    page = post(tx_client, *_link(claim, httpserver.url_for("/story")))
    assert Evidence.objects.get().fetch_status == Evidence.FetchStatus.READY
    assert messages_on(page) == [("success", EVIDENCE_FETCHED)]


def test_a_link_whose_fetch_has_not_run_is_being_fetched(
    reviewer_client, claim, django_capture_on_commit_callbacks
):
    page = post_without_running_jobs(
        reviewer_client,
        *_link(claim, "https://www.defense.gov/News/Release/1/"),
        django_capture_on_commit_callbacks,
    )
    assert Evidence.objects.get().fetch_status == Evidence.FetchStatus.PENDING
    assert messages_on(page) == [("success", EVIDENCE_FETCHING)]
