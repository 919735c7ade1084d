"""Celery tasks: thin wrappers that take ids, load, and call a service."""

from __future__ import annotations

import random

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from claims.services import articles

# Network errors are retried after about 10 s, 20 s, 40 s (with jitter), then the article fails.
INGEST_MAX_RETRIES = 3
INGEST_RETRY_BASE_SECONDS = 10
INGEST_RETRY_MAX_SECONDS = 300


@shared_task(
    bind=True,
    name="claims.ingest_article",
    # Idempotent (see article_ingest), so a job whose worker died is delivered again.
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=INGEST_MAX_RETRIES,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def ingest_article(self, article_id: int) -> None:
    """Fetch, read and extract an article's claims; safe to run twice (see `article_ingest`)."""
    try:
        articles.article_ingest(
            article_id=article_id,
            job_id=self.request.id,
            may_retry=self.request.retries < self.max_retries,
        )
    except articles.IngestRetry as exc:
        if self.request.is_eager:
            # Inline tasks (demo, tests) have no broker to come back later: try again at once.
            ingest_article.apply(
                args=[article_id], task_id=self.request.id, retries=self.request.retries + 1
            )
            return
        delay = min(INGEST_RETRY_MAX_SECONDS, INGEST_RETRY_BASE_SECONDS * 2**self.request.retries)
        raise self.retry(exc=exc, countdown=delay * random.uniform(0.8, 1.2)) from exc


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


# Corroboration: the evidence search, source feeds and link health (claims/corroboration/).

# A provider that failed on the network is asked again after about 1, 2 and 4 minutes.
CORROBORATION_RETRY_BASE_SECONDS = 60
FEED_ITEM_RETRY_BASE_SECONDS = 300


@shared_task(
    bind=True,
    name="claims.corroborate_claim",
    # Idempotent (evidence is unique per claim and address), so a job whose worker died is
    # delivered again and simply runs again.
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    soft_time_limit=settings.CORROBORATION_TIME_LIMIT,
    time_limit=settings.CORROBORATION_TIME_LIMIT + 60,
)
def corroborate_claim(self, run_id: int) -> None:
    """Search every enabled provider for evidence on a claim and store the candidates."""
    from claims.services import corroboration

    try:
        corroboration.corroboration_run(
            run_id=run_id,
            job_id=self.request.id or "",
            # Inline tasks (demo, tests) have no broker to come back later.
            may_retry=not self.request.is_eager and self.request.retries < self.max_retries,
        )
    except corroboration.CorroborationRetry as exc:
        delay = CORROBORATION_RETRY_BASE_SECONDS * 2**self.request.retries
        raise self.retry(exc=exc, countdown=delay * random.uniform(0.8, 1.2)) from exc
    except SoftTimeLimitExceeded:
        corroboration.corroboration_stopped(
            run_id=run_id,
            reason=corroboration.TOOK_TOO_LONG.format(seconds=settings.CORROBORATION_TIME_LIMIT),
        )
    except Exception as exc:
        # A bug or a lost database must not leave the claim page saying "Searching" forever.
        corroboration.corroboration_stopped(
            run_id=run_id, reason=corroboration.FAILED_UNEXPECTEDLY.format(error=type(exc).__name__)
        )
        raise


@shared_task(name="claims.poll_due_feeds", soft_time_limit=60, time_limit=90)
def poll_due_feeds() -> int:
    """The beat job: queue a poll of every source feed that is due."""
    from claims.services import feeds

    return feeds.feeds_poll_due()


@shared_task(
    name="claims.poll_feed",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=180,
)
def poll_feed(feed_id: int, force: bool = False) -> None:
    """Fetch one feed and queue its new items; a failure is recorded on the feed."""
    from claims.services import feeds

    feeds.feed_poll(feed_id=feed_id, force=force)


@shared_task(
    bind=True,
    name="claims.archive_feed_item",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    soft_time_limit=120,
    time_limit=180,
)
def archive_feed_item(self, item_id: int) -> None:
    """Read a feed item's page into the archive; retried with backoff on network errors."""
    from claims.services import feeds

    try:
        feeds.feed_item_archive(
            item_id=item_id,
            may_retry=not self.request.is_eager and self.request.retries < self.max_retries,
        )
    except feeds.FeedItemRetry as exc:
        delay = FEED_ITEM_RETRY_BASE_SECONDS * 2**self.request.retries
        raise self.retry(exc=exc, countdown=delay * random.uniform(0.8, 1.2)) from exc


@shared_task(name="claims.check_evidence_links", soft_time_limit=60, time_limit=90)
def check_evidence_links() -> int:
    """The beat job: queue a health check of every evidence link that is due."""
    from claims.services import links

    return links.links_check_due()


@shared_task(
    name="claims.check_evidence_link",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
)
def check_evidence_link(evidence_id: int) -> None:
    """Read one evidence link again; an unreachable page counts towards "gone" (no retry: the
    next check is the retry)."""
    from claims.services import links

    links.evidence_check_link(evidence_id=evidence_id)


@shared_task(
    name="claims.match_fact_checks",
    # Idempotent: a run replaces the claims' matches.
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def match_fact_checks(claim_ids: list[int]) -> int:
    """Match claims against imported fact-checks and our published verdicts. Reads only the
    database, so there is no network error to retry."""
    from claims.services.matches import claims_match_fact_checks

    return claims_match_fact_checks(claim_ids=claim_ids)


# Notifications: e-mail leaves in this job, never in the request that caused it.
NOTIFICATION_EMAIL_MAX_RETRIES = 5
NOTIFICATION_EMAIL_RETRY_BASE_SECONDS = 60


@shared_task(
    bind=True,
    name="claims.send_notification_email",
    # Idempotent: the service takes the notification with a conditional update, so a job
    # delivered again after its worker died does not send the e-mail a second time.
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=NOTIFICATION_EMAIL_MAX_RETRIES,
    soft_time_limit=60,
    time_limit=90,
)
def send_notification_email(self, notification_id: int) -> None:
    """Send one notification's e-mail; a mail server that cannot be reached is tried again
    after about 1, 2, 4, 8 and 16 minutes, then the notification is marked as not e-mailed."""
    from claims.services import notifications

    try:
        notifications.notification_send_email(
            notification_id=notification_id,
            # Inline tasks (demo, tests) have no broker to come back later.
            may_retry=not self.request.is_eager and self.request.retries < self.max_retries,
        )
    except notifications.EmailRetry as exc:
        delay = NOTIFICATION_EMAIL_RETRY_BASE_SECONDS * 2**self.request.retries
        raise self.retry(exc=exc, countdown=delay * random.uniform(0.8, 1.2)) from exc


@shared_task(name="claims.heartbeat", ignore_result=True, soft_time_limit=20, time_limit=30)
def heartbeat() -> None:
    """Beat sends this every minute; the worker that runs it records the worker heartbeat, so
    `/healthz/ready` shows how long ago a worker last took a job off the queue."""
    from claims.services import operations

    operations.heartbeat_record(operations.WORKER)
