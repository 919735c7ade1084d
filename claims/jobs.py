"""Where background jobs are enqueued: the one place services reach for Celery tasks.

Services call these inside their transaction; each job is sent only once the transaction commits,
so a worker never looks for a row that is not there yet. Tasks are imported lazily so that the
import graph runs one way: views and tasks → services → models, and services → jobs → (tasks).

The broker may be down. Sending never raises then: the row was committed and the person who
submitted it gets an answer, not a 500. Articles, evidence links and evidence searches record
when their job was handed to the broker (`…enqueued_at`); one whose job was never handed over
(or was lost with the broker's data) is sent again by the `claims.requeue_unsent_jobs` beat job,
and their pages say "waiting for the job queue" until then.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)

# A job is sent the moment its row commits and marked sent at once; an unmarked row older than
# this was never sent (the broker was down, or the process died between commit and send).
UNSENT_AFTER_SECONDS = 30
# A job sent this long ago whose row still waits for it was lost (a broker restarted without
# its data); sending it again is safe, every job is idempotent.
LOST_AFTER_SECONDS = 60 * 60
# Most rows of each kind sent again by one sweep.
REQUEUE_BATCH = 200


def _send(task, *args) -> bool:
    """Hand a job to the broker; False, logged, when the broker cannot be reached."""
    try:
        task.delay(*args)
    except BrokerUnreachable as error:
        logger.warning("Job %s%r not sent, the broker is unreachable: %s", task.name, args, error)
        return False
    return True


def _send_and_mark(task, pk: int, mark: Callable[[int], None]) -> bool:
    if not _send(task, pk):
        return False
    mark(pk)
    return True


def _article_sent(article_id: int) -> None:
    from claims.models import Article

    Article.objects.filter(pk=article_id).update(ingest_enqueued_at=timezone.now())


def _evidence_sent(evidence_id: int) -> None:
    from claims.models import Evidence

    Evidence.objects.filter(pk=evidence_id).update(fetch_enqueued_at=timezone.now())


def _run_sent(run_id: int) -> None:
    from claims.models import CorroborationRun

    CorroborationRun.objects.filter(pk=run_id).update(enqueued_at=timezone.now())


def enqueue_ingest(article_id: int) -> None:
    """Run the ingest job for an article once the current transaction commits."""
    from claims.tasks import ingest_article

    transaction.on_commit(lambda: _send_and_mark(ingest_article, article_id, _article_sent))


def enqueue_evidence_fetch(evidence_id: int) -> None:
    """Fetch an evidence link's title and passage once the current transaction commits."""
    from claims.tasks import fetch_evidence

    transaction.on_commit(lambda: _send_and_mark(fetch_evidence, evidence_id, _evidence_sent))


def enqueue_corroboration(run_id: int) -> None:
    """Run an evidence search (a `CorroborationRun`) once the current transaction commits."""
    from claims.tasks import corroborate_claim

    transaction.on_commit(lambda: _send_and_mark(corroborate_claim, run_id, _run_sent))


def enqueue_feed_poll(feed_id: int, *, force: bool = False) -> None:
    """Poll a source feed for new items once the current transaction commits."""
    from claims.tasks import poll_feed

    # Not marked: beat asks again for every feed that is due.
    transaction.on_commit(lambda: _send(poll_feed, feed_id, force))


def enqueue_feed_item(item_id: int) -> None:
    """Read a new feed item's page into the archive once the current transaction commits."""
    from claims.tasks import archive_feed_item

    transaction.on_commit(lambda: _send(archive_feed_item, item_id))


def enqueue_link_check(evidence_id: int) -> None:
    """Check an evidence link's health once the current transaction commits."""
    from claims.tasks import check_evidence_link

    # Not marked: the link-health sweep checks the link again when it is next due.
    transaction.on_commit(lambda: _send(check_evidence_link, evidence_id))


def enqueue_fact_check_matching(claim_ids: list[int]) -> None:
    """Match claims against published fact-checks once the current transaction commits."""
    from claims.tasks import match_fact_checks

    ids = sorted(set(claim_ids))
    if ids:
        transaction.on_commit(lambda: _send(match_fact_checks, ids))


def enqueue_notification_emails(notification_ids: list[int]) -> None:
    """E-mail notifications once the current transaction commits, one job each."""
    from claims.tasks import send_notification_email

    ids = sorted(set(notification_ids))
    if ids:
        transaction.on_commit(lambda: [_send(send_notification_email, pk) for pk in ids])


def requeue_unsent_jobs() -> dict[str, int]:
    """Send again the jobs of queued articles, pending evidence links and queued evidence
    searches whose job never reached the broker (or was lost there); how many of each.

    Run by beat every minute (`claims.requeue_unsent_jobs`). A row sent again while its first
    job is in fact still waiting is harmless: each job takes its row with a conditional update,
    and the second one finds nothing to do.
    """
    from claims.models import Article, CorroborationRun, Evidence
    from claims.tasks import corroborate_claim, fetch_evidence, ingest_article

    now = timezone.now()
    unsent = now - timedelta(seconds=UNSENT_AFTER_SECONDS)
    lost = now - timedelta(seconds=LOST_AFTER_SECONDS)
    kinds = [
        (
            "articles",
            Article.objects.filter(status=Article.Status.QUEUED).filter(
                Q(ingest_enqueued_at__isnull=True, updated_at__lt=unsent)
                | Q(ingest_enqueued_at__lt=lost)
            ),
            ingest_article,
            _article_sent,
        ),
        (
            "evidence",
            Evidence.objects.filter(fetch_status=Evidence.FetchStatus.PENDING).filter(
                Q(fetch_enqueued_at__isnull=True, created_at__lt=unsent)
                | Q(fetch_enqueued_at__lt=lost)
            ),
            fetch_evidence,
            _evidence_sent,
        ),
        (
            "searches",
            CorroborationRun.objects.filter(
                status=CorroborationRun.Status.QUEUED, started_at__isnull=True
            ).filter(Q(enqueued_at__isnull=True, created_at__lt=unsent) | Q(enqueued_at__lt=lost)),
            corroborate_claim,
            _run_sent,
        ),
    ]
    sent: dict[str, int] = {}
    for name, rows, task, mark in kinds:
        ids = list(rows.order_by("pk").values_list("pk", flat=True)[:REQUEUE_BATCH])
        sent[name] = 0
        for pk in ids:
            if not _send_and_mark(task, pk, mark):
                break  # the broker is still down: the next sweep tries again
            sent[name] += 1
        if ids:
            logger.info("Sent %s of %s %s whose job never started", sent[name], len(ids), name)
    return sent
