"""A real Celery worker process takes a task from Redis and writes to PostgreSQL."""

from __future__ import annotations

import pytest

from claims.models import Article
from claims.services.articles import article_submit_text
from tests.workers import celery_worker, needs_real_stack, purge_queue, wait_for

pytestmark = [needs_real_stack(), pytest.mark.worker]

TEXT = (
    "Officials said the embassy staff had been evacuated before the gate was broken down.\n\n"
    "More than 5,000 US military personnel are based in Iraq."
)


@pytest.mark.django_db(transaction=True)
def test_worker_ingests_a_pasted_article():
    purge_queue()
    with celery_worker("ingest"):
        article = article_submit_text(text=TEXT, by=None)

        def ready():
            fresh = Article.objects.get(pk=article.pk)
            return fresh if fresh.status in {Article.Status.READY, Article.Status.FAILED} else None

        fresh = wait_for(ready, timeout=90)
    assert fresh.status == Article.Status.READY, fresh.failure_reason
    assert "5,000 US military personnel" in fresh.text
