"""Celery tasks: thin wrappers that take ids, load, and call a service."""

from __future__ import annotations

from celery import shared_task

from claims.services import articles


@shared_task(
    name="claims.ingest_article",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=180,
)
def ingest_article(article_id: int) -> None:
    """Extract and store an article's claims; safe to run twice (see `article_ingest`)."""
    articles.article_ingest(article_id)
