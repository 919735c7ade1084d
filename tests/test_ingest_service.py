"""The ingest services and job (inline Celery): URL, paste and upload, all or nothing."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone
from werkzeug import Request, Response

from claims.models import Article, Claim, ClaimEvent
from claims.services import articles
from claims.services.articles import (
    DuplicateArticle,
    IngestRetry,
    article_ingest,
    article_retry,
    article_submit_text,
    article_submit_upload,
    article_submit_url,
)
from claims.services.errors import ServiceError
from tests import factories
from tests.ingest_pages import NO_ARTICLE_HTML, PARAGRAPHS, REFERENCE_ARTICLE, article_html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users are made per test; the real hasher would make that the slow part."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """Run what the services enqueue on commit (inline Celery), as a request's end would."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = service(**kwargs)
        if isinstance(result, Article):
            result.refresh_from_db()
        return result

    return run


def _claims(article: Article) -> list[tuple]:
    return list(
        article.claims.order_by("start").values_list("start", "end", "speaker_text", "content")
    )


# --- URLs ------------------------------------------------------------------------------------


def test_it_ingests_an_article_page(allow_private, httpserver, fake_dns, run_jobs):
    source = factories.SourceFactory(name="Example News")
    factories.SourceDomainFactory(source=source, domain="example.test")
    fake_dns["www.example.test"] = "127.0.0.1"
    httpserver.expect_request("/world/story").respond_with_data(
        article_html(), content_type="text/html; charset=utf-8"
    )
    url = f"http://www.example.test:{httpserver.port}/world/story?utm_source=feed#top"
    article = run_jobs(article_submit_url, url=url, by=None)
    assert article.status == Article.Status.READY, article.failure_reason
    assert article.url == f"http://www.example.test:{httpserver.port}/world/story"
    assert article.headline == "Protesters storm US embassy in Baghdad"
    assert article.byline == "Jane Smith"
    assert str(article.published_on) == "2019-12-31"
    assert article.outlet == source
    assert "Home World Sport" not in article.text
    speakers = set(article.claims.values_list("speaker__name", flat=True))
    assert "David Schenker" in speakers
    assert article.claims.filter(content__contains="5,000 US military personnel").exists()
    assert ClaimEvent.objects.filter(claim__article=article).count() == article.claims.count()
    assert article.ingest_attempts == 1


def test_the_same_url_is_not_ingested_twice(allow_private, httpserver, run_jobs):
    httpserver.expect_request("/story").respond_with_data(article_html(), content_type="text/html")
    first = run_jobs(article_submit_url, url=httpserver.url_for("/story"), by=None)
    with pytest.raises(DuplicateArticle) as info:
        article_submit_url(url=httpserver.url_for("/story") + "?utm_campaign=x#comments", by=None)
    assert info.value.article == first
    assert Article.objects.count() == 1
    assert len(httpserver.log) == 1


def test_a_redirect_chain_is_followed(allow_private, httpserver, run_jobs):
    httpserver.expect_request("/short").respond_with_response(
        Response(status=301, headers={"Location": "/middle"})
    )
    httpserver.expect_request("/middle").respond_with_response(
        Response(status=302, headers={"Location": "/final"})
    )
    httpserver.expect_request("/final").respond_with_data(article_html(), content_type="text/html")
    article = run_jobs(article_submit_url, url=httpserver.url_for("/short"), by=None)
    assert article.status == Article.Status.READY, article.failure_reason
    assert article.claims.exists()


def test_another_url_with_the_same_text_is_a_duplicate(allow_private, httpserver, run_jobs):
    httpserver.expect_request("/a").respond_with_data(article_html(), content_type="text/html")
    httpserver.expect_request("/b").respond_with_data(article_html(), content_type="text/html")
    first = run_jobs(article_submit_url, url=httpserver.url_for("/a"), by=None)
    second = run_jobs(article_submit_url, url=httpserver.url_for("/b"), by=None)
    assert first.status == Article.Status.READY
    assert second.status == Article.Status.FAILED
    assert second.duplicate_of == first
    assert second.failure_reason.startswith("This is the same article as")
    assert not second.claims.exists()


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (404, "The page returned 404 (Not Found)."),
        (410, "The page returned 410 (Gone)."),
        (403, "The page returned 403 (Forbidden)."),
    ],
)
def test_a_missing_page_fails_with_its_status(allow_private, httpserver, run_jobs, status, reason):
    httpserver.expect_request("/gone").respond_with_data("Not here", status=status)
    article = run_jobs(article_submit_url, url=httpserver.url_for("/gone"), by=None)
    assert article.status == Article.Status.FAILED
    assert article.failure_reason == reason
    assert len(httpserver.log) == 1  # not retried
    assert not article.claims.exists()


def test_a_server_error_is_retried_then_succeeds(allow_private, httpserver, run_jobs):
    calls = []

    def flaky(request: Request) -> Response:
        calls.append(1)
        if len(calls) == 1:
            return Response("Internal error", status=500)
        return Response(article_html(), content_type="text/html")

    httpserver.expect_request("/flaky").respond_with_handler(flaky)
    article = run_jobs(article_submit_url, url=httpserver.url_for("/flaky"), by=None)
    assert len(calls) == 2
    assert article.status == Article.Status.READY, article.failure_reason
    assert article.claims.exists()
    # The retry is the same job taking its article up again, not a second job.
    assert article.ingest_attempts == 2


def test_a_server_that_keeps_failing_fails_after_the_retries(allow_private, httpserver, run_jobs):
    from claims.tasks import INGEST_MAX_RETRIES

    httpserver.expect_request("/down").respond_with_data("Bad gateway", status=502)
    article = run_jobs(article_submit_url, url=httpserver.url_for("/down"), by=None)
    assert article.status == Article.Status.FAILED
    assert article.failure_reason.startswith("The page returned 502 (Bad Gateway)")
    assert len(httpserver.log) == INGEST_MAX_RETRIES + 1


def test_a_slow_page_times_out(allow_private, httpserver, run_jobs, monkeypatch):
    allow_private.FETCH_READ_TIMEOUT = 0.2
    monkeypatch.setattr("claims.tasks.ingest_article.max_retries", 0)

    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response(article_html(), content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    article = run_jobs(article_submit_url, url=httpserver.url_for("/slow"), by=None)
    assert article.status == Article.Status.FAILED
    assert "did not answer within 0.2 seconds" in article.failure_reason


def test_a_huge_page_is_refused(allow_private, httpserver, run_jobs):
    allow_private.FETCH_MAX_BYTES = 100_000
    huge = article_html(paragraphs=PARAGRAPHS * 2000)
    httpserver.expect_request("/huge").respond_with_data(huge, content_type="text/html")
    article = run_jobs(article_submit_url, url=httpserver.url_for("/huge"), by=None)
    assert article.status == Article.Status.FAILED
    assert "larger than the 97.7 KB limit" in article.failure_reason


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("application/pdf", b"%PDF-1.4 ..."), ("image/jpeg", b"\xff\xd8\xff\xe0 JFIF")],
)
def test_a_pdf_or_image_is_refused(allow_private, httpserver, run_jobs, content_type, body):
    httpserver.expect_request("/file").respond_with_data(body, content_type=content_type)
    article = run_jobs(article_submit_url, url=httpserver.url_for("/file"), by=None)
    assert article.status == Article.Status.FAILED
    assert "not a web page" in article.failure_reason


def test_a_page_without_an_article_fails(allow_private, httpserver, run_jobs):
    httpserver.expect_request("/search").respond_with_data(
        NO_ARTICLE_HTML, content_type="text/html"
    )
    article = run_jobs(article_submit_url, url=httpserver.url_for("/search"), by=None)
    assert article.status == Article.Status.FAILED
    assert article.failure_reason == articles.NO_ARTICLE_TEXT


def test_a_redirect_to_a_private_address_is_refused(
    settings, httpserver, fake_dns, run_jobs, monkeypatch
):
    from claims import fetching

    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = False
    real_check = fetching.is_public_address
    monkeypatch.setattr(
        fetching, "is_public_address", lambda ip: ip == "127.0.0.1" or real_check(ip)
    )
    fake_dns["intranet.test"] = "10.0.0.7"
    httpserver.expect_request("/jump").respond_with_response(
        Response(status=302, headers={"Location": "http://intranet.test/secrets"})
    )
    article = run_jobs(article_submit_url, url=httpserver.url_for("/jump"), by=None)
    assert article.status == Article.Status.FAILED
    assert article.failure_reason.startswith("The address points to a private network")


def test_a_private_address_is_refused_without_a_request(settings, httpserver, run_jobs):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = False
    article = run_jobs(article_submit_url, url=httpserver.url_for("/story"), by=None)
    assert article.status == Article.Status.FAILED
    assert "private network" in article.failure_reason
    assert len(httpserver.log) == 0


@pytest.mark.parametrize("url", ["", "not a url", "ftp://example.com/a", "javascript:alert(1)"])
def test_a_bad_address_is_refused_at_once(url):
    with pytest.raises(ServiceError, match="full web address"):
        article_submit_url(url=url, by=None)
    assert not Article.objects.exists()


# --- Pasted text and uploads ---------------------------------------------------------------


def test_the_reference_article_by_upload_and_by_paste_gives_the_same_claims_once(run_jobs):
    raw = REFERENCE_ARTICLE.read_bytes()
    uploaded = run_jobs(
        article_submit_upload, filename=REFERENCE_ARTICLE.name, content=raw, by=None
    )
    assert uploaded.status == Article.Status.READY, uploaded.failure_reason
    assert uploaded.origin == Article.Origin.UPLOAD
    uploaded_claims = _claims(uploaded)
    assert len(uploaded_claims) >= 10
    contents = " ".join(c[3] for c in uploaded_claims)
    assert "restraint" in contents
    # Pasting the same text (from a browser: CRLF line ends, trailing blanks) is recognised.
    pasted = raw.decode("utf-8").replace("\n", "\r\n") + "\r\n\r\n"
    with pytest.raises(DuplicateArticle) as info:
        article_submit_text(text=pasted, by=None)
    assert info.value.article == uploaded
    assert Article.objects.count() == 1
    assert Claim.objects.count() == len(uploaded_claims)
    # The paste alone (had the upload never happened) gives exactly the same claims.
    uploaded.delete()
    by_paste = run_jobs(article_submit_text, text=pasted, by=None)
    assert by_paste.status == Article.Status.READY
    assert _claims(by_paste) == uploaded_claims


def test_pasted_text_that_matches_an_ingested_article_is_a_duplicate(
    allow_private, httpserver, run_jobs
):
    httpserver.expect_request("/story").respond_with_data(article_html(), content_type="text/html")
    from_web = run_jobs(article_submit_url, url=httpserver.url_for("/story"), by=None)
    with pytest.raises(DuplicateArticle):
        article_submit_text(text=from_web.text, by=None)


def test_an_html_upload_is_read_like_a_page(run_jobs):
    article = run_jobs(
        article_submit_upload,
        filename="story.html",
        content=article_html().encode(),
        by=None,
    )
    assert article.status == Article.Status.READY, article.failure_reason
    assert article.headline == "Protesters storm US embassy in Baghdad"
    assert "<p>" not in article.text
    assert article.claims.exists()


def test_an_upload_in_windows_1252_is_read(run_jobs):
    text = "Officials said the caf\u00e9 near the embassy was closed on Tuesday after the attack."
    article = run_jobs(
        article_submit_upload, filename="note.txt", content=text.encode("cp1252"), by=None
    )
    assert "caf\u00e9" in article.raw_text


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("story.pdf", b"%PDF-1.4", "Upload a .txt or .html file; story.pdf is neither."),
        ("story.txt", b"%PDF-1.4 binary", "The file is not text: story.txt looks like a PDF"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "The file is not text"),
        ("data.txt", b"abc\x00def" * 10, "The file is not text"),
        ("empty.txt", b"  \n ", "The file empty.txt is empty."),
    ],
)
def test_bad_uploads_are_refused(filename, content, message):
    with pytest.raises(ServiceError) as info:
        article_submit_upload(filename=filename, content=content, by=None)
    assert info.value.message.startswith(message)
    assert not Article.objects.exists()


def test_an_upload_over_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ServiceError, match=r"larger than the 1 KB upload limit"):
        article_submit_upload(filename="big.txt", content=b"word " * 300, by=None)


def test_text_over_the_limit_is_refused(settings):
    settings.ARTICLE_MAX_CHARS = 100
    with pytest.raises(ServiceError, match="longer than 100 characters"):
        article_submit_text(text="word " * 30, by=None)


def test_an_html_upload_whose_text_is_over_the_limit_fails_in_the_job(settings, run_jobs):
    settings.ARTICLE_MAX_CHARS = 200
    article = run_jobs(
        article_submit_upload, filename="long.html", content=article_html().encode(), by=None
    )
    assert article.status == Article.Status.FAILED
    assert "longer than 200 characters" in article.failure_reason


@pytest.mark.parametrize(
    ("options", "position"),
    [({"text": PARAGRAPHS[0] + "\ud800"}, len(PARAGRAPHS[0]) + 1), ({"moderators": "H\udc00"}, 2)],
)
def test_text_that_is_not_valid_unicode_is_refused(options, position):
    """A lone surrogate (JSON and UTF-7 can spell one) cannot be hashed or stored."""
    with pytest.raises(ServiceError) as info:
        article_submit_text(**{"text": "\n\n".join(PARAGRAPHS), "by": None, **options})
    assert info.value.message.startswith(
        f"The text has a character that is not valid Unicode at character {position}"
    )
    assert not Article.objects.exists()


def test_an_upload_whose_name_has_undecodable_bytes_is_stored(run_jobs):
    """A file name from the command line carries bytes that are not UTF-8 as lone surrogates."""
    name = b"story-\xff.txt".decode("utf-8", errors="surrogateescape")
    article = run_jobs(
        article_submit_upload, filename=name, content=REFERENCE_ARTICLE.read_bytes(), by=None
    )
    assert article.original_filename == "story-\ufffd.txt"
    assert article.status == Article.Status.READY, article.failure_reason


@pytest.mark.parametrize(
    ("text", "words"), [("Hello.", 1), ("Officials said the embassy was evacuated.", 6)]
)
def test_text_too_short_to_be_an_article_is_refused(text, words):
    with pytest.raises(ServiceError) as info:
        article_submit_text(text=text, by=None)
    assert info.value.message.startswith(
        f"The text is too short to be an article: {words} of the 10 words needed at least"
    )
    assert not Article.objects.exists()


def test_a_page_too_short_to_be_an_article_fails_with_the_reason(run_jobs, monkeypatch):
    """A page's text is only known once it is read, in the job; the reader usually finds no
    article at all in a tiny page, but when it finds a few words they are refused the same way."""
    from claims.webtext import WebArticle

    monkeypatch.setattr(
        articles,
        "html_to_article",
        lambda html, url=None: WebArticle(
            title="Hi", text="Hello there, reader.", byline="", published=None, site_name=""
        ),
    )
    html = article_html(paragraphs=["Hello there, reader."])
    article = run_jobs(article_submit_upload, filename="short.html", content=html.encode(), by=None)
    assert article.status == Article.Status.FAILED
    assert article.failure_reason.startswith("The text is too short to be an article")
    assert not article.claims.exists()


def test_empty_text_is_refused():
    with pytest.raises(ServiceError, match="The text is empty"):
        article_submit_text(text=" \n\t ", by=None)


def test_text_in_another_language_fails_with_a_reason(run_jobs):
    text = (
        "Die Demonstranten sind in die Botschaft der Vereinigten Staaten in Bagdad eingedrungen. "
        "Der Minister sagte, dass die Angriffe nicht hingenommen werden, und die Regierung hat "
        "eine Untersuchung angekündigt, die in den nächsten Tagen beginnen soll."
    )
    article = run_jobs(article_submit_text, text=text, by=None)
    assert article.status == Article.Status.FAILED
    assert "another language (de)" in article.failure_reason


# --- Re-running, retrying and the hold on an article ---------------------------------------


def test_rerunning_replaces_untouched_claims_and_keeps_touched_ones(run_jobs, reviewer_user):
    from claims.services.claims import claim_update

    article = run_jobs(article_submit_text, text=REFERENCE_ARTICLE.read_text(), by=None)
    before = _claims(article)
    edited = article.claims.order_by("start").first()
    claim_update(
        claim=edited, by=reviewer_user, expected_version=edited.version, content="Edited by hand"
    )
    untouched_ids = set(article.claims.exclude(pk=edited.pk).values_list("pk", flat=True))

    article = run_jobs(article_retry, article=article, by=reviewer_user)
    assert article.status == Article.Status.READY
    assert article.claims.count() == len(before)
    assert article.claims.get(pk=edited.pk).content == "Edited by hand"
    assert not article.claims.filter(pk__in=untouched_ids).exists()  # replaced, not doubled
    spans = [(c[0], c[1]) for c in _claims(article)]
    assert spans == [(c[0], c[1]) for c in before]


def test_retry_after_a_failure_succeeds(allow_private, httpserver, run_jobs, reviewer_user):
    httpserver.expect_oneshot_request("/later").respond_with_data("Gone", status=404)
    article = run_jobs(article_submit_url, url=httpserver.url_for("/later"), by=None)
    assert article.status == Article.Status.FAILED
    httpserver.expect_request("/later").respond_with_data(article_html(), content_type="text/html")
    article = run_jobs(article_retry, article=article, by=reviewer_user)
    assert article.status == Article.Status.READY
    assert article.failure_reason == ""


def test_retry_is_refused_while_the_job_runs(reviewer_user):
    article = factories.ArticleFactory(
        status=Article.Status.FETCHING, ingest_job="job-1", ingest_started_at=timezone.now()
    )
    with pytest.raises(ServiceError, match="being ingested right now"):
        article_retry(article=article, by=reviewer_user)


def test_retry_takes_over_a_job_that_was_lost(reviewer_user, run_jobs):
    article = factories.ArticleFactory(
        status=Article.Status.EXTRACTING,
        raw_text="Officials said 25 fighters were killed in the strikes on Sunday in Iraq.",
        ingest_job="lost-job",
        ingest_started_at=timezone.now() - timedelta(hours=1),
        content_hash=None,
    )
    article = run_jobs(article_retry, article=article, by=reviewer_user)
    assert article.status == Article.Status.READY


def test_a_redelivered_job_takes_over_its_article():
    article = factories.ArticleFactory(
        status=Article.Status.QUEUED,
        raw_text="Officials said 25 fighters were killed in the strikes on Sunday in Iraq.",
        content_hash=None,
    )
    first_lease = articles._claim_the_work(article.pk, "job-1")
    assert first_lease is not None
    # The worker dies; the broker delivers job-1 again, to another worker.
    result = article_ingest(article_id=article.pk, job_id="job-1")
    assert result is not None and result.status == Article.Status.READY
    assert result.ingest_attempts == 2
    # The first run, had it survived, may not store anything any more.
    assert articles._store(article.pk, first_lease, articles._Input(text="x"), None) is None


def test_a_second_live_job_cannot_take_an_article_in_progress():
    article = factories.ArticleFactory(status=Article.Status.QUEUED, content_hash=None)
    assert articles._claim_the_work(article.pk, "job-1") is not None
    assert articles._claim_the_work(article.pk, "job-2") is None
    assert article_ingest(article_id=article.pk, job_id="job-2") is None


def test_only_the_newest_run_stores_claims():
    article = factories.ArticleFactory(
        status=Article.Status.QUEUED,
        raw_text="Officials said 25 fighters were killed in the strikes on Sunday in Iraq.",
        content_hash=None,
    )
    from claims.extraction import extract

    result = extract(article.raw_text)
    given = articles._Input(text=article.raw_text)
    old = articles._claim_the_work(article.pk, "job-1")
    Article.objects.filter(pk=article.pk).update(
        ingest_started_at=timezone.now() - timedelta(hours=1)
    )
    new = articles._claim_the_work(article.pk, "job-2")  # job-1 looks abandoned
    assert new is not None
    assert articles._store(article.pk, old, given, result) is None
    assert not Claim.objects.filter(article=article).exists()
    assert articles._store(article.pk, new, given, result).status == Article.Status.READY
    assert articles._store(article.pk, new, given, result) is None  # already finished
    assert Claim.objects.filter(article=article).count() == len(result.claims)


def test_a_job_that_keeps_dying_is_given_up():
    article = factories.ArticleFactory(
        status=Article.Status.EXTRACTING,
        ingest_job="job-1",
        ingest_attempts=articles.MAX_RUNS_PER_JOB,
        content_hash=None,
    )
    result = article_ingest(article_id=article.pk, job_id="job-1")
    assert result.status == Article.Status.FAILED
    assert "interrupted" in result.failure_reason


def test_a_failure_while_storing_leaves_no_claims(run_jobs, monkeypatch):
    def broken(*args, **kwargs):
        raise IntegrityError("disk on fire")

    monkeypatch.setattr(ClaimEvent.objects, "bulk_create", broken)
    article = run_jobs(article_submit_text, text=REFERENCE_ARTICLE.read_text(), by=None)
    assert article.status == Article.Status.FAILED
    assert article.failure_reason == articles.STORE_FAILED
    assert not Claim.objects.exists()
    assert article.text == ""


def test_a_finished_article_is_left_alone_by_a_late_job(run_jobs):
    article = run_jobs(article_submit_text, text=REFERENCE_ARTICLE.read_text(), by=None)
    count = article.claims.count()
    assert article_ingest(article_id=article.pk, job_id="late") is None
    assert article.claims.count() == count


def _serve(httpserver, paragraphs):
    httpserver.clear()
    httpserver.expect_request("/changing").respond_with_data(
        article_html(paragraphs=paragraphs), content_type="text/html"
    )


def test_a_changed_page_moves_kept_claims_to_their_words(
    allow_private, httpserver, run_jobs, reviewer_user
):
    from claims.services.claims import claim_dismiss

    _serve(httpserver, PARAGRAPHS)
    article = run_jobs(article_submit_url, url=httpserver.url_for("/changing"), by=None)
    assert article.status == Article.Status.READY
    kept = article.claims.order_by("-start").first()
    words = article.text[kept.start : kept.end]
    claim_dismiss(claim=kept, by=reviewer_user, reason="opinion")

    _serve(httpserver, ["An editor's note was added at the top of the story.", *PARAGRAPHS])
    article = run_jobs(article_retry, article=article, by=reviewer_user)
    assert article.status == Article.Status.READY, article.failure_reason
    kept.refresh_from_db()
    assert kept.start > 0
    assert article.text[kept.start : kept.end] == words
    if kept.speaker_start is not None:
        assert article.text[kept.speaker_start : kept.speaker_end] == kept.speaker_text
    # No extracted claim doubles the one a person kept.
    assert not article.claims.exclude(pk=kept.pk).filter(start__lt=kept.end, end__gt=kept.start)


def test_a_page_that_lost_a_reviewed_claim_keeps_its_earlier_text(
    allow_private, httpserver, run_jobs, reviewer_user
):
    from claims.services.claims import claim_dismiss

    _serve(httpserver, PARAGRAPHS)
    article = run_jobs(article_submit_url, url=httpserver.url_for("/changing"), by=None)
    kept = article.claims.order_by("-start").first()
    words = article.text[kept.start : kept.end]
    claim_dismiss(claim=kept, by=reviewer_user, reason="opinion")
    text_before, claims_before = article.text, _claims(article)

    remaining = [p for p in PARAGRAPHS if words not in p]
    assert remaining != PARAGRAPHS
    _serve(httpserver, remaining)
    article = run_jobs(article_retry, article=article, by=reviewer_user)
    assert article.status == Article.Status.FAILED
    assert "1 of those claims are no longer in it" in article.failure_reason
    assert article.text == text_before
    assert _claims(article) == claims_before


def test_a_job_waiting_to_retry_says_why(allow_private, httpserver):
    httpserver.expect_request("/flaky").respond_with_data("Busy", status=503)
    article = Article.objects.create(
        url=httpserver.url_for("/flaky"), origin=Article.Origin.URL, status=Article.Status.QUEUED
    )
    with pytest.raises(IngestRetry):
        article_ingest(article_id=article.pk, job_id="job-1", may_retry=True)
    article.refresh_from_db()
    assert article.status == Article.Status.FETCHING
    assert "503" in article.failure_reason
    assert article.failure_reason.endswith("Trying again shortly.")
