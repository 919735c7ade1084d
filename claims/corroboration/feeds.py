"""Reading RSS and Atom feeds with feedparser: bytes the fetch wrapper got in, entries out.

feedparser never fetches anything here (it would bypass the SSRF guard and the size cap); it
only parses what `claims.fetching.fetch_url` returned. A feed with XML errors that still yields
entries is read, with a warning; one that yields nothing is an error for the admin to see.
"""

from __future__ import annotations

import calendar
import datetime
import html
import re
from dataclasses import dataclass

import feedparser

from claims.urls_normalise import normalise_url

NOT_A_FEED = "The address did not return an RSS or Atom feed ({detail})."
EMPTY_FEED = "The feed has no entries with a web address."
PARTLY_BROKEN = "The feed has errors ({detail}); {count} entries could still be read."

_TAG = re.compile(r"<[^>]{0,2000}>")


class FeedParseError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class FeedEntry:
    guid: str
    url: str
    title: str
    summary: str
    published_at: datetime.datetime | None


@dataclass
class ParsedFeed:
    title: str
    entries: list[FeedEntry]
    warning: str = ""


def parse_feed(content: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    """The feed's entries, newest first; FeedParseError when it is not a feed at all."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(content, response_headers=headers, sanitize_html=False)
    problem = _describe(parsed.get("bozo_exception")) if parsed.get("bozo") else ""
    if not parsed.get("version") and not parsed.entries:
        raise FeedParseError(NOT_A_FEED.format(detail=problem or "no feed elements found"))
    entries = [e for e in (_entry(raw) for raw in parsed.entries) if e is not None]
    if not entries and parsed.entries:
        raise FeedParseError(EMPTY_FEED)
    if problem and not entries:
        raise FeedParseError(NOT_A_FEED.format(detail=problem))
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    entries.sort(key=lambda e: e.published_at or oldest, reverse=True)
    warning = PARTLY_BROKEN.format(detail=problem, count=len(entries)) if problem else ""
    title = " ".join(str(parsed.feed.get("title") or "").split())
    return ParsedFeed(title=title[:300], entries=entries, warning=warning)


def _entry(raw) -> FeedEntry | None:
    link = raw.get("link") or next(
        (
            item.get("href")
            for item in raw.get("links", [])
            if item.get("rel", "alternate") == "alternate" and item.get("href")
        ),
        "",
    )
    try:
        url = normalise_url(link)
    except ValueError:
        return None  # an entry without a web page cannot be read or cited
    guid = " ".join(str(raw.get("id") or raw.get("guid") or url).split())
    summary = raw.get("summary") or ""
    if not summary and raw.get("content"):
        summary = raw["content"][0].get("value", "")
    return FeedEntry(
        guid=guid[:1000],
        url=url,
        title=_plain(raw.get("title") or "")[:500],
        summary=_plain(summary)[:20_000],
        published_at=_when(raw.get("published_parsed") or raw.get("updated_parsed")),
    )


def _plain(markup: str) -> str:
    """Text of a summary that may hold HTML."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def _when(parsed_time) -> datetime.datetime | None:
    if not parsed_time:
        return None
    try:
        return datetime.datetime.fromtimestamp(calendar.timegm(parsed_time), tz=datetime.UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _describe(exception) -> str:
    if exception is None:
        return ""
    text = " ".join(str(exception).split())
    return text[:200] or type(exception).__name__
