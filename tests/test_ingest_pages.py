"""Ingesting the outlet-shaped fixture pages by URL: outlet by domain, review for a tiny body."""

from __future__ import annotations

import pytest

from claims.models import Article
from claims.services.articles import article_retry, article_submit_url
from tests import factories
from tests.page_fixtures import page_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = service(**kwargs)
        result.refresh_from_db()
        return result

    return run


def serve(httpserver, fake_dns, name: str, host: str, path: str = "/story") -> str:
    fake_dns[host] = "127.0.0.1"
    httpserver.expect_request(path).respond_with_data(
        page_html(name), content_type="text/html; charset=utf-8"
    )
    return f"http://{host}:{httpserver.port}{path}"


def test_a_page_that_names_no_outlet_gets_the_source_of_its_domain(
    allow_private, httpserver, fake_dns, run_jobs
):
    source = factories.SourceFactory(name="Seoul Broadcast World")
    factories.SourceDomainFactory(source=source, domain="seoulbroadcast.test")
    url = serve(httpserver, fake_dns, "broadcast_transcript.html", "world.seoulbroadcast.test")
    article = run_jobs(article_submit_url, url=url, by=None)
    assert article.status == Article.Status.READY, article.failure_reason
    assert article.outlet == source
    assert article.outlet_name == "Seoul Broadcast World"
    assert str(article.published_on) == "2019-07-12"
    assert not article.claims.filter(speaker_text__in=["Anchor", "Report"]).exists()


def test_the_outlet_is_never_a_word_made_from_the_domain(
    allow_private, httpserver, fake_dns, run_jobs
):
    url = serve(httpserver, fake_dns, "dateline_wire_pronouns.html", "hosted.wire.test")
    article = run_jobs(article_submit_url, url=url, by=None)
    assert article.status == Article.Status.READY, article.failure_reason
    assert article.outlet_name == ""
    assert article.byline == "Keisha Grant"


def test_a_body_that_stays_tiny_is_stored_but_marked_for_review(
    allow_private, httpserver, fake_dns, run_jobs
):
    url = serve(httpserver, fake_dns, "tiny_body_review.html", "www.pmp.test")
    article = run_jobs(article_submit_url, url=url, by=None)
    assert article.status == Article.Status.NEEDS_REVIEW
    assert article.failure_reason.startswith("Only 80 characters of article text")
    assert article.is_finished
    # A person can run it again, as after any finished job.
    again = run_jobs(article_retry, article=article, by=None)
    assert again.status == Article.Status.NEEDS_REVIEW


def test_the_review_reason_shows_on_the_article_page(
    allow_private, httpserver, fake_dns, run_jobs, reviewer_client
):
    url = serve(httpserver, fake_dns, "tiny_body_review.html", "www.pmp.test")
    article = run_jobs(article_submit_url, url=url, by=None)
    page = reviewer_client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert b"Needs review" in page.content
    assert b"Only 80 characters of article text" in page.content


def test_ingest_stores_the_drafted_statement_of_every_claim(
    allow_private, httpserver, fake_dns, run_jobs
):
    url = serve(httpserver, fake_dns, "embedded_post.html", "www.metroherald.test")
    article = run_jobs(article_submit_url, url=url, by=None)
    assert article.status == Article.Status.READY, article.failure_reason
    claims = list(article.claims.all())
    assert claims and all(claim.statement for claim in claims)
    post = article.claims.get(content__contains="lowest it has been in 50 years")
    assert post.statement.startswith("Jordan A. Blake posted: “Great Jobs Report!")
    assert post.display_statement == post.statement
    department = article.claims.get(content__contains="266,000 jobs")
    assert department.statement == (
        "The Labor Department said the economy added 266,000 jobs in November."
    )
