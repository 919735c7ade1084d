"""The ingest page, the status fragment the article page polls, and retry."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from claims.models import Article
from tests import factories
from tests.ingest_pages import REFERENCE_ARTICLE, article_html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users are made per test; the real hasher would make that the slow part."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


NEW = reverse("review:article_new")
TEXT = (
    "Officials said the embassy staff had been evacuated before the gate was broken down.\n\n"
    "More than 5,000 US military personnel are based in Iraq."
)


@pytest.fixture
def post_and_run(reviewer_client, django_capture_on_commit_callbacks):
    """POST to the ingest page and run the job it enqueues, as inline Celery does."""

    def post(data):
        with django_capture_on_commit_callbacks(execute=True):
            return reviewer_client.post(NEW, data)

    return post


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- The ingest page -------------------------------------------------------------------------


def test_it_shows_the_three_ways_in(reviewer_client):
    response = reviewer_client.get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="url"' in html
    assert 'name="text"' in html
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert "up to 2 MB" in html


def test_the_tab_is_chosen_by_the_query(reviewer_client):
    html = reviewer_client.get(NEW + "?tab=paste").content.decode()
    assert '<section id="ingest-paste" >' in html
    assert '<section id="ingest-url" hidden>' in html


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(NEW)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_users_without_the_role_are_refused(plain_user_client):
    assert plain_user_client.get(NEW).status_code == 403
    assert plain_user_client.post(NEW, {"kind": "paste", "text": TEXT}).status_code == 403
    assert not Article.objects.exists()


def test_it_rejects_other_methods(reviewer_client):
    assert reviewer_client.put(NEW).status_code == 405


def test_it_needs_the_csrf_token(reviewer_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer_user)
    assert client.post(NEW, {"kind": "paste", "text": TEXT}).status_code == 403


def test_pasting_text_ingests_it(post_and_run, reviewer_user):
    response = post_and_run({"kind": "paste", "text": TEXT})
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert article.status == Article.Status.READY
    assert article.added_by == reviewer_user
    assert article.origin == Article.Origin.PASTE
    assert article.claims.exists()


def test_a_url_is_fetched_and_ingested(post_and_run, allow_private, httpserver):
    httpserver.expect_request("/story").respond_with_data(article_html(), content_type="text/html")
    response = post_and_run({"kind": "url", "url": httpserver.url_for("/story")})
    article = Article.objects.get()
    assert response["Location"] == article.get_absolute_url()
    assert article.status == Article.Status.READY
    assert article.headline == "Protesters storm US embassy in Baghdad"


def test_a_known_url_takes_the_reviewer_to_the_existing_article(reviewer_client, post_and_run):
    existing = factories.ArticleFactory(url="https://news.example.com/story")
    response = reviewer_client.post(
        NEW, {"kind": "url", "url": "https://NEWS.example.com/story?utm_source=x#top"}, follow=True
    )
    assert response.redirect_chain[0][0] == existing.get_absolute_url()
    assert "This article is already here; you have been taken to it." in _messages(response)
    assert Article.objects.count() == 1


def test_upload_then_paste_of_the_reference_article_gives_one_article(
    reviewer_client, post_and_run
):
    upload = SimpleUploadedFile(REFERENCE_ARTICLE.name, REFERENCE_ARTICLE.read_bytes())
    post_and_run({"kind": "upload", "file": upload})
    article = Article.objects.get()
    assert article.status == Article.Status.READY
    count = article.claims.count()
    assert count >= 10
    response = reviewer_client.post(
        NEW, {"kind": "paste", "text": REFERENCE_ARTICLE.read_text()}, follow=True
    )
    assert response.redirect_chain[0][0] == article.get_absolute_url()
    assert Article.objects.count() == 1
    assert article.claims.count() == count


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "url", "url": "not an address"}, "Enter a valid URL."),
        ({"kind": "url", "url": "ftp://example.com/file"}, "full web address"),
        ({"kind": "paste", "text": ""}, "This field is required."),
        ({"kind": "paste", "text": "   \n  "}, "The text is empty"),
        ({"kind": "paste", "text": "Hello."}, "The text is too short to be an article: 1 of"),
        ({"kind": "upload"}, "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_message(reviewer_client, data, message):
    response = reviewer_client.post(NEW, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"%PDF-1.5", "Upload a .txt or .html file; report.pdf is neither."),
        ("report.txt", b"%PDF-1.5 \x00\x01", "The file is not text: report.txt looks like a PDF"),
        ("empty.txt", b"", "The submitted file is empty."),
    ],
)
def test_bad_uploads_are_refused_with_a_message(reviewer_client, name, content, message):
    response = reviewer_client.post(
        NEW, {"kind": "upload", "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert '<section id="ingest-upload" >' in response.content.decode()
    assert not Article.objects.exists()


def test_an_upload_over_the_limit_is_refused(reviewer_client, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    upload = SimpleUploadedFile("long.txt", b"words " * 1000)
    response = reviewer_client.post(NEW, {"kind": "upload", "file": upload})
    assert "The file is larger than the 2 KB upload limit" in response.content.decode()
    assert not Article.objects.exists()


def test_text_over_the_limit_is_refused(reviewer_client, settings):
    settings.ARTICLE_MAX_CHARS = 50
    response = reviewer_client.post(NEW, {"kind": "paste", "text": TEXT})
    assert "longer than 50 characters" in response.content.decode()


# --- The status fragment ---------------------------------------------------------------------


def _status(client, article, **headers):
    return client.get(reverse("review:article_status", args=[article.pk]), **headers)


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Article.Status.QUEUED, "Waiting for a worker"),
        (Article.Status.FETCHING, "Fetching the page"),
        (Article.Status.EXTRACTING, "extracting its claims"),
    ],
)
def test_an_unfinished_article_keeps_polling(reviewer_client, status, words):
    article = factories.ArticleFactory(status=status)
    response = _status(reviewer_client, article, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert words in html
    assert 'hx-trigger="every 1s"' in html
    assert reverse("review:article_status", args=[article.pk]) in html
    assert "HX-Refresh" not in response


def test_a_finished_article_stops_polling_and_reloads_the_page(reviewer_client):
    article = factories.ArticleFactory(status=Article.Status.READY)
    response = _status(reviewer_client, article, HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in response.content.decode()
    assert response["HX-Refresh"] == "true"


def test_a_failed_article_shows_the_reason_and_a_retry_button(reviewer_client):
    article = factories.ArticleFactory(
        status=Article.Status.FAILED, failure_reason="The page returned 404 (<b>Not Found</b>)."
    )
    html = _status(reviewer_client, article).content.decode()
    assert "The page returned 404 (&lt;b&gt;Not Found&lt;/b&gt;)." in html
    assert reverse("review:article_retry", args=[article.pk]) in html
    assert "csrfmiddlewaretoken" in html
    assert "hx-trigger" not in html


def test_a_duplicate_found_by_the_job_sends_the_reviewer_to_the_original(reviewer_client):
    original = factories.ArticleFactory()
    article = factories.ArticleFactory(
        status=Article.Status.FAILED, duplicate_of=original, failure_reason="Same article."
    )
    response = _status(reviewer_client, article, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == original.get_absolute_url()
    assert original.get_absolute_url() in response.content.decode()


def test_a_job_that_stopped_long_ago_offers_a_restart(reviewer_client):
    from datetime import timedelta

    article = factories.ArticleFactory(
        status=Article.Status.FETCHING,
        ingest_job="lost",
        ingest_started_at=timezone.now() - timedelta(hours=2),
    )
    html = _status(reviewer_client, article, HTTP_HX_REQUEST="true").content.decode()
    assert "its worker has probably stopped" in html
    assert reverse("review:article_retry", args=[article.pk]) in html
    fresh = factories.ArticleFactory(
        status=Article.Status.FETCHING, ingest_job="live", ingest_started_at=timezone.now()
    )
    assert "probably stopped" not in _status(reviewer_client, fresh).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_found_by_an_inline_job_redirects_to_the_original(allow_private, httpserver):
    """Outside a test transaction the inline job runs on commit, before the view redirects."""
    from django.contrib.auth.models import Permission
    from django.test import Client

    # The permission itself, not the role: roles are migration data that transactional tests
    # running earlier may have flushed away.
    user = factories.UserFactory(username="tx-reviewer")
    user.user_permissions.add(Permission.objects.get(codename="review_claim"))
    reviewer_client = Client()
    reviewer_client.force_login(user)
    httpserver.expect_request("/a").respond_with_data(article_html(), content_type="text/html")
    httpserver.expect_request("/b").respond_with_data(article_html(), content_type="text/html")
    reviewer_client.post(NEW, {"kind": "url", "url": httpserver.url_for("/a")})
    original = Article.objects.get()
    assert original.status == Article.Status.READY
    response = reviewer_client.post(NEW, {"kind": "url", "url": httpserver.url_for("/b")})
    assert response["Location"] == original.get_absolute_url()


def test_the_article_page_includes_the_polling_status(reviewer_client):
    article = factories.ArticleFactory(status=Article.Status.QUEUED, text="")
    html = reviewer_client.get(article.get_absolute_url()).content.decode()
    assert 'id="article-status"' in html
    assert 'hx-trigger="every 1s"' in html


def test_the_status_is_for_staff_only(client, plain_user_client):
    article = factories.ArticleFactory(status=Article.Status.QUEUED)
    assert _status(client, article).status_code == 302
    assert _status(plain_user_client, article).status_code == 403


def test_the_status_rejects_post(reviewer_client):
    article = factories.ArticleFactory(status=Article.Status.QUEUED)
    url = reverse("review:article_status", args=[article.pk])
    assert reviewer_client.post(url).status_code == 405


# --- Retry ---------------------------------------------------------------------------------


def test_retry_runs_the_job_again(reviewer_client, django_capture_on_commit_callbacks):
    article = factories.ArticleFactory(
        status=Article.Status.FAILED,
        failure_reason="The job took too long.",
        raw_text=TEXT,
        text="",
        content_hash=None,
    )
    url = reverse("review:article_retry", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    article.refresh_from_db()
    assert article.status == Article.Status.READY
    assert article.claims.exists()


def test_retry_while_running_says_so(reviewer_client):
    article = factories.ArticleFactory(
        status=Article.Status.EXTRACTING, ingest_job="j", ingest_started_at=timezone.now()
    )
    url = reverse("review:article_retry", args=[article.pk])
    response = reviewer_client.post(url, follow=True)
    assert "being ingested right now" in " ".join(_messages(response))
    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTING


def test_retry_rejects_get(reviewer_client):
    article = factories.ArticleFactory(status=Article.Status.FAILED)
    url = reverse("review:article_retry", args=[article.pk])
    assert reviewer_client.get(url).status_code == 405


def test_retry_is_for_staff_only(plain_user_client):
    article = factories.ArticleFactory(status=Article.Status.FAILED)
    url = reverse("review:article_retry", args=[article.pk])
    assert plain_user_client.post(url).status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED


def test_a_paste_over_the_request_limit_gets_the_form_with_the_limit(reviewer_user, settings):
    """Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE with a bare "400 Bad Request"
    before any view runs; the reviewer gets the form back, saying what the limit is."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer_user)
    page = client.get(NEW + "?tab=paste")
    token = page.cookies["csrftoken"].value
    text = "Officials said the embassy was evacuated. " * 125_000  # 5.25 MB
    response = client.post(NEW, {"kind": "paste", "text": text, "csrfmiddlewaretoken": token})
    assert response.status_code == 413
    html = response.content.decode()
    assert "The pasted text is larger than the 2.5 MB limit for a paste" in html
    assert '<section id="ingest-paste" >' in html
    assert not Article.objects.exists()


def test_the_csrf_check_still_applies_to_a_paste_that_fits(reviewer_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer_user)
    assert client.post(NEW, {"kind": "paste", "text": TEXT}).status_code == 403
    assert not Article.objects.exists()


def test_an_oversized_paste_is_for_staff_only(plain_user_client, client):
    text = "word " * 700_000
    assert plain_user_client.post(NEW, {"kind": "paste", "text": text}).status_code == 403
    assert client.post(NEW, {"kind": "paste", "text": text}).status_code == 302
