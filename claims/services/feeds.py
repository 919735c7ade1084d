"""Writes on source feeds: poll a feed for new items, and put each item's page in the archive.

Polling asks with the validators of the last answer (ETag, Last-Modified), so an unchanged feed
costs a 304. Each new item is stored once (unique per feed and entry id) and its page is read by
its own job, so that one slow site never holds up a feed. A feed that is dead or malformed gets
its error written on it (shown in the admin), is asked less often while it keeps failing, and
stops nothing else.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.corroboration.feeds import FeedParseError, parse_feed
from claims.corroboration.pages import read_pages
from claims.fetching import FEED_TYPES, HTML_TYPES, JSON_TYPES, FetchError, fetch_url
from claims.jobs import enqueue_feed_item, enqueue_feed_poll
from claims.models import FeedItem, SourceFeed

logger = logging.getLogger(__name__)

# The shortest feed summary worth archiving when the item's page cannot be read.
MIN_SUMMARY_CHARS = 80
# A feed that keeps failing is asked at most this rarely.
MAX_BACKOFF = datetime.timedelta(days=1)
SUMMARY_ONLY = "The page could not be read ({reason}); the feed's summary is in the archive."


class FeedItemRetry(Exception):
    """The item's page failed in a way that may pass; the task asks again later."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class PollResult:
    feed: SourceFeed
    polled: bool = True  # False: another poll of the same feed was under way
    not_modified: bool = False
    new_items: list[int] = field(default_factory=list)
    error: str = ""
    warning: str = ""


def feeds_due(now: datetime.datetime | None = None) -> list[int]:
    """Active feeds of active sources whose next poll is due, least recently polled first.

    A feed that failed `n` times in a row waits 2^n poll intervals (at most a day)."""
    now = now or timezone.now()
    interval = datetime.timedelta(minutes=settings.FEED_POLL_MINUTES)
    candidates = (
        SourceFeed.objects.filter(active=True, source__active=True)
        .filter(Q(last_fetched_at__isnull=True) | Q(last_fetched_at__lte=now - interval))
        .values_list("pk", "last_fetched_at", "failures")
    )
    never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    due = []
    # Never polled first (the databases disagree on where NULLs sort, so sort here).
    for pk, last, failures in sorted(candidates, key=lambda row: (row[1] or never, row[0])):
        wait = min(interval * 2 ** min(failures, 10), MAX_BACKOFF)
        if last is None or last <= now - wait:
            due.append(pk)
    return due


def feeds_poll_due() -> int:
    """Queue a poll of every feed that is due (the beat job); the number queued."""
    due = feeds_due()
    with transaction.atomic():
        for pk in due:
            enqueue_feed_poll(pk)
    return len(due)


def feed_poll(*, feed_id: int, force: bool = False, enqueue_items: bool = True) -> PollResult:
    """Fetch the feed and store its new items; errors are recorded on the feed, never raised.

    Without `force` the feed is taken with a conditional update, so that two polls of one feed
    (beat and the admin's button) never run at once. With `enqueue_items` each new item's page
    is read by its own job; the `poll_feeds` command reads them itself instead.
    """
    feed = SourceFeed.objects.select_related("source").get(pk=feed_id)
    now = timezone.now()
    taken = SourceFeed.objects.filter(pk=feed.pk)
    if not force:
        taken = taken.filter(
            Q(last_fetched_at__isnull=True)
            | Q(last_fetched_at__lte=now - datetime.timedelta(minutes=1))
        )
    if not taken.update(last_fetched_at=now):
        return PollResult(feed=feed, polled=False)
    feed.last_fetched_at = now
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        page = fetch_url(feed.url, accept=FEED_TYPES | HTML_TYPES | JSON_TYPES, headers=headers)
    except FetchError as exc:
        return _failed(feed, exc.reason)
    if page.status_code == 304:
        _succeeded(feed, page.headers, title="", warning="")
        return PollResult(feed=feed, not_modified=True)
    try:
        parsed = parse_feed(page.content, url=page.url, content_type=page.content_type)
    except FeedParseError as exc:
        return _failed(feed, exc.reason)
    entries = parsed.entries[: settings.FEED_MAX_ITEMS]
    with transaction.atomic():
        known = set(
            FeedItem.objects.filter(feed=feed, guid__in=[e.guid for e in entries]).values_list(
                "guid", flat=True
            )
        )
        fresh = [
            FeedItem(
                feed=feed,
                guid=entry.guid,
                url=entry.url,
                title=entry.title,
                summary=entry.summary,
                published_at=entry.published_at,
            )
            for entry in entries
            if entry.guid not in known
        ]
        # A poll running at the same moment may have stored some of them: those are skipped.
        FeedItem.objects.bulk_create(fresh, ignore_conflicts=True)
        new_ids = list(
            FeedItem.objects.filter(
                feed=feed, guid__in=[i.guid for i in fresh], status=FeedItem.Status.PENDING
            ).values_list("pk", flat=True)
        )
        if enqueue_items:
            for pk in new_ids:
                enqueue_feed_item(pk)
        _succeeded(feed, page.headers, title=parsed.title, warning=parsed.warning)
    return PollResult(feed=feed, new_items=new_ids, warning=parsed.warning)


def _succeeded(feed: SourceFeed, headers: dict[str, str], *, title: str, warning: str) -> None:
    lower = {k.lower(): v for k, v in headers.items()}
    feed.etag = lower.get("etag", feed.etag)[:500]
    feed.last_modified = lower.get("last-modified", feed.last_modified)[:100]
    feed.title = feed.title or title
    feed.last_success_at = timezone.now()
    feed.failures = 0
    feed.last_error = warning
    feed.save(
        update_fields=[
            "etag",
            "last_modified",
            "title",
            "last_success_at",
            "failures",
            "last_error",
        ]
    )


def _failed(feed: SourceFeed, reason: str) -> PollResult:
    logger.warning("Feed %s failed: %s", feed.url, reason)
    feed.failures = min(feed.failures + 1, 1000)
    feed.last_error = reason
    feed.save(update_fields=["failures", "last_error"])
    return PollResult(feed=feed, error=reason)


def archive_key(url: str) -> str:
    return "feed_item:" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]


def feed_item_archive(*, item_id: int, may_retry: bool = False) -> FeedItem | None:
    """Read the item's page and put its text in the archive; safe to run twice.

    A page that fails for a reason that may pass raises FeedItemRetry while `may_retry`; then,
    or for a lasting failure, the feed's own summary goes in the archive when it says enough.
    """
    from claims.corroboration.archive import archive_upsert

    item = FeedItem.objects.select_related("feed__source").filter(pk=item_id).first()
    if item is None or item.status != FeedItem.Status.PENDING:
        return item
    page = read_pages([item.url])[item.url]
    if not page.text and page.retryable and may_retry:
        raise FeedItemRetry(page.error)
    source = item.feed.source
    text, status, error = page.text, FeedItem.Status.ARCHIVED, ""
    if not text:
        error = page.error
        if len(item.summary) >= MIN_SUMMARY_CHARS:
            text, status = item.summary, FeedItem.Status.SUMMARY_ONLY
            error = SUMMARY_ONLY.format(reason=page.error.rstrip("."))
        else:
            status = FeedItem.Status.FAILED
    key = ""
    if text:
        key = archive_key(item.url)
        archive_upsert(
            kind="feed_item",
            key=key,
            url=item.url,
            title=item.title or page.title or item.url,
            text=text,
            published_on=item.published_at.date() if item.published_at else page.published_on,
            source=source,
            outlet_name=source.name,
        )
    FeedItem.objects.filter(pk=item.pk, status=FeedItem.Status.PENDING).update(
        status=status, error=error, archive_key=key, fetched_at=timezone.now()
    )
    item.refresh_from_db()
    return item


def feed_item_gave_up(*, item_id: int) -> None:
    """The task's retries are used up: archive what the feed itself said."""
    feed_item_archive(item_id=item_id, may_retry=False)
