"""The ingest task's contract: options, backoff on network errors only, enqueued on commit."""

from __future__ import annotations

import pytest
from celery.exceptions import Retry

from claims.fetching import FetchError
from claims.models import Article
from claims.services import articles
from claims.tasks import INGEST_MAX_RETRIES, ingest_article
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_task_is_declared_for_safe_redelivery():
    assert ingest_article.name == "claims.ingest_article"
    assert ingest_article.acks_late is True
    assert ingest_article.reject_on_worker_lost is True
    assert 0 < ingest_article.soft_time_limit < ingest_article.time_limit
    assert ingest_article.max_retries == INGEST_MAX_RETRIES


@pytest.fixture
def url_article():
    return factories.ArticleFactory(
        origin=Article.Origin.URL,
        url="https://news.example.com/story",
        status=Article.Status.QUEUED,
        text="",
        content_hash=None,
    )


def _run_as_worker(article_id: int, *, retries: int) -> None:
    """Run the task body as a worker would for delivery number `retries` + 1 of one job."""
    ingest_article.push_request(id="job-1", retries=retries, is_eager=False)
    try:
        ingest_article.run(article_id)
    finally:
        ingest_article.pop_request()


def test_network_errors_are_retried_with_exponential_backoff(url_article, monkeypatch):
    def unreachable(url, **kwargs):
        raise FetchError("Could not connect to news.example.com; the site may be down.", True)

    countdowns = []

    def fake_retry(exc=None, countdown=None, **kwargs):
        countdowns.append(countdown)
        return Retry(exc=exc, when=countdown)

    monkeypatch.setattr(articles, "fetch_url", unreachable)
    monkeypatch.setattr(ingest_article, "retry", fake_retry)
    for retries in range(INGEST_MAX_RETRIES):
        with pytest.raises(Retry):
            _run_as_worker(url_article.pk, retries=retries)
        url_article.refresh_from_db()
        assert url_article.status == Article.Status.FETCHING  # still held by the job
    # 10 s, 20 s, 40 s, each with ±20 % jitter so that failed jobs do not come back in step.
    for attempt, countdown in enumerate(countdowns):
        assert 0.8 * 10 * 2**attempt <= countdown <= 1.2 * 10 * 2**attempt
    # The last delivery may not retry: the article fails with the reason.
    _run_as_worker(url_article.pk, retries=INGEST_MAX_RETRIES)
    url_article.refresh_from_db()
    assert url_article.status == Article.Status.FAILED
    assert url_article.failure_reason.startswith("Could not connect to news.example.com")
    assert len(countdowns) == INGEST_MAX_RETRIES


def test_other_errors_are_not_retried(url_article, monkeypatch):
    def not_found(url, **kwargs):
        raise FetchError("The page returned 404 (Not Found).", False)

    monkeypatch.setattr(articles, "fetch_url", not_found)
    monkeypatch.setattr(
        ingest_article, "retry", lambda **kwargs: pytest.fail("retried a final error")
    )
    _run_as_worker(url_article.pk, retries=0)
    url_article.refresh_from_db()
    assert url_article.status == Article.Status.FAILED


def test_the_job_is_enqueued_only_when_the_transaction_commits(
    monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(ingest_article, "delay", lambda article_id: sent.append(article_id))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article = articles.article_submit_text(
            text="Officials said 25 people died when the bridge collapsed on Tuesday.", by=None
        )
        assert sent == []  # not before the article row is visible to a worker
    assert len(callbacks) == 1
    assert sent == [article.pk]
