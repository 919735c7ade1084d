"""Reading candidate pages for the evidence search, through the fetch wrapper, with a memory.

A page read (or failed) within CORROBORATION_REFETCH_HOURS is not fetched again, whichever claim
asks: ten claims of one article that all find the same agency story cost one request. The
memory is `PageSnapshot`, one row per address. Pages are fetched a few at a time in threads
(network waits overlap); the database is only touched from the calling thread.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from claims.fetching import HTML_TYPES, TEXT_TYPES, FetchError, fetch_url
from claims.models import PageSnapshot
from claims.webtext import html_to_article

logger = logging.getLogger(__name__)

NO_TEXT = "No article text could be read from the page."
# A page that failed for a reason that may pass (a timeout, a 503) is tried again sooner.
RETRYABLE_FAILURE_MEMORY = datetime.timedelta(minutes=5)


@dataclass
class PageText:
    url: str
    final_url: str = ""  # after redirects
    title: str = ""
    text: str = ""
    site_name: str = ""
    published_on: datetime.date | None = None
    error: str = ""
    retryable: bool = False
    status: int | None = None  # the HTTP status of an error answer (404, 410, 503 …)
    from_memory: bool = False

    @property
    def sha256(self) -> str:
        return text_sha256(self.text) if self.text else ""


def text_sha256(text: str) -> str:
    """SHA-256 of a page's text with spacing normalised, so that re-wrapped lines compare equal."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def read_page(url: str) -> PageText:
    """Fetch one page now and read its main text (no memory); never raises."""
    try:
        page = fetch_url(url, accept=HTML_TYPES | TEXT_TYPES)
    except FetchError as exc:
        return PageText(url=url, error=exc.reason, retryable=exc.retryable, status=exc.status)
    if page.content_type in TEXT_TYPES:
        text = page.text.strip()
        if not text:
            return PageText(url=url, final_url=page.url, error=NO_TEXT)
        return PageText(url=url, final_url=page.url, text=text)
    article = html_to_article(page.text, page.url)
    if article is None:
        return PageText(url=url, final_url=page.url, error=NO_TEXT)
    return PageText(
        url=url,
        final_url=page.url,
        title=article.title,
        text=article.text,
        site_name=article.site_name,
        published_on=article.published,
    )


def read_pages(urls: list[str], *, refresh: bool = False) -> dict[str, PageText]:
    """Each address's page text, from memory when read recently enough, fetched otherwise."""
    now = timezone.now()
    max_age = datetime.timedelta(hours=settings.CORROBORATION_REFETCH_HOURS)
    found: dict[str, PageText] = {}
    if not refresh:
        for snapshot in PageSnapshot.objects.filter(url__in=urls, fetched_at__gte=now - max_age):
            memory = max_age
            if snapshot.retryable:
                memory = min(max_age, RETRYABLE_FAILURE_MEMORY)
            if snapshot.fetched_at >= now - memory:
                found[snapshot.url] = _from_snapshot(snapshot)
    missing = [url for url in dict.fromkeys(urls) if url not in found]
    if missing:
        workers = max(1, min(settings.CORROBORATION_FETCH_THREADS, len(missing)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            fetched = list(pool.map(read_page, missing))
        for page in fetched:
            _remember(page, now)
            found[page.url] = page
    return found


def _from_snapshot(snapshot: PageSnapshot) -> PageText:
    return PageText(
        url=snapshot.url,
        title=snapshot.title,
        text=snapshot.text,
        site_name=snapshot.site_name,
        published_on=snapshot.published_on,
        error=snapshot.error,
        final_url=snapshot.final_url,
        retryable=snapshot.retryable,
        from_memory=True,
    )


def _remember(page: PageText, now: datetime.datetime) -> None:
    PageSnapshot.objects.update_or_create(
        url=page.url,
        defaults={
            "title": page.title[:500],
            "site_name": page.site_name[:200],
            "published_on": page.published_on,
            "final_url": page.final_url[:2000],
            "text": page.text,
            "text_sha256": page.sha256,
            "error": page.error,
            "retryable": page.retryable,
            "fetched_at": now,
        },
    )
