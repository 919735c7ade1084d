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


@shared_task(
    bind=True,
    name="claims.fetch_evidence",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=4,
    soft_time_limit=60,
    time_limit=90,
)
def fetch_evidence(self, evidence_id: int) -> None:
    """Fetch a hand-added evidence link for its title and passage; idempotent, retried with
    backoff on network errors worth retrying."""
    from claims.fetching import FetchError
    from claims.services import evidence

    try:
        evidence.evidence_fetch(evidence_id)
    except FetchError as exc:
        if self.request.retries >= self.max_retries:
            evidence.evidence_fetch_gave_up(
                evidence_id, f"Could not fetch the page after several tries: {exc.reason}"
            )
            return
        if self.request.is_eager:
            # Inline tasks (demo, tests) have no broker to come back later: try again at once.
            fetch_evidence.apply(args=[evidence_id], retries=self.request.retries + 1)
            return
        raise self.retry(exc=exc, countdown=min(600, 30 * 2**self.request.retries)) from exc
