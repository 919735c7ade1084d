"""Where background jobs are enqueued: the one place services reach for Celery tasks.

Services call these inside their transaction; each job is sent only once the transaction commits,
so a worker never looks for a row that is not there yet. Tasks are imported lazily so that the
import graph runs one way: views and tasks → services → models, and services → jobs → (tasks).
"""

from __future__ import annotations

from django.db import transaction


def enqueue_ingest(article_id: int) -> None:
    """Run the ingest job for an article once the current transaction commits."""
    from claims.tasks import ingest_article

    transaction.on_commit(lambda: ingest_article.delay(article_id))


def enqueue_evidence_fetch(evidence_id: int) -> None:
    """Fetch an evidence link's title and passage once the current transaction commits."""
    from claims.tasks import fetch_evidence

    transaction.on_commit(lambda: fetch_evidence.delay(evidence_id))


def enqueue_corroboration(run_id: int) -> None:
    """Run an evidence search (a `CorroborationRun`) once the current transaction commits."""
    from claims.tasks import corroborate_claim

    transaction.on_commit(lambda: corroborate_claim.delay(run_id))


def enqueue_feed_poll(feed_id: int, *, force: bool = False) -> None:
    """Poll a source feed for new items once the current transaction commits."""
    from claims.tasks import poll_feed

    transaction.on_commit(lambda: poll_feed.delay(feed_id, force))


def enqueue_feed_item(item_id: int) -> None:
    """Read a new feed item's page into the archive once the current transaction commits."""
    from claims.tasks import archive_feed_item

    transaction.on_commit(lambda: archive_feed_item.delay(item_id))


def enqueue_link_check(evidence_id: int) -> None:
    """Check an evidence link's health once the current transaction commits."""
    from claims.tasks import check_evidence_link

    transaction.on_commit(lambda: check_evidence_link.delay(evidence_id))


def enqueue_fact_check_matching(claim_ids: list[int]) -> None:
    """Match claims against published fact-checks once the current transaction commits."""
    from claims.tasks import match_fact_checks

    ids = sorted(set(claim_ids))
    if ids:
        transaction.on_commit(lambda: match_fact_checks.delay(ids))


def enqueue_notification_emails(notification_ids: list[int]) -> None:
    """E-mail notifications once the current transaction commits, one job each."""
    from claims.tasks import send_notification_email

    ids = sorted(set(notification_ids))
    if ids:
        transaction.on_commit(lambda: [send_notification_email.delay(pk) for pk in ids])
