"""The one small interface every evidence provider implements, and the rules they all share:
each has a timeout and a rate limit, and one that fails or answers garbage is logged and skipped
while the others go on.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings

from claims.corroboration.queries import ClaimQuery
from claims.fetching import HTML_TYPES, JSON_TYPES, TEXT_TYPES, FetchError, fetch_url

logger = logging.getLogger(__name__)

# JSON answers larger than this are not search results.
MAX_JSON_BYTES = 2 * 1024 * 1024

NOT_JSON = "{name} answered with something that is not JSON ({detail})."
UNEXPECTED_SHAPE = "{name} answered JSON of an unexpected shape: {detail}."
RATE_LIMITED = "{name} was asked {limit} already; skipped this time (its rate limit)."
FAILED = "{name} failed: {reason}"


class ProviderError(Exception):
    """A provider could not answer; `reason` is for the person reading the claim page."""

    def __init__(self, reason: str, *, retryable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


@dataclass
class Candidate:
    """A page a provider proposes as evidence for a claim."""

    url: str
    title: str = ""
    snippet: str = ""  # what the provider shows about the page (search snippet, fact-check)
    text: str = ""  # the page's whole text when the provider holds it (archive): no fetch
    published_on: datetime.date | None = None
    outlet_name: str = ""
    provider: str = ""
    rank: int = 0  # 0 = the provider's best
    provider_score: float | None = None  # comparable only within one provider's answer
    rating: str = ""  # for fact-checks: the publisher's rating ("False", "Misleading")
    source_id: int | None = None  # the outlet, when the provider knows it (archive documents)
    extra: dict[str, object] = field(default_factory=dict)


class Provider(Protocol):
    """Something that proposes candidate pages for a claim."""

    name: str
    # Providers that read the database run in the job's own thread (a thread of their own would
    # open another connection and, in tests, not see the test's rows).
    uses_database: bool

    def search(self, query: ClaimQuery, *, limit: int) -> list[Candidate]: ...


@dataclass
class ProviderReport:
    """What one provider did in one run, shown on the claim page."""

    name: str
    status: str  # "ok", "failed" or "skipped"
    found: int = 0
    error: str = ""
    seconds: float = 0.0
    retryable: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "status": self.status,
            "found": self.found,
            "error": self.error,
            "seconds": round(self.seconds, 3),
        }


class HttpProvider:
    """Shared parts of the providers that ask a web API: timeout, rate limit, JSON reading."""

    name = "http"
    uses_database = False

    def __init__(self, *, timeout: float, rate_limit: str) -> None:
        self.timeout = timeout
        self.rate_limit = rate_limit

    def get_json(self, url: str, *, headers: dict[str, str] | None = None) -> object:
        """GET `url` through the fetch wrapper and decode JSON; ProviderError otherwise."""
        wait_for_rate_limit(self.name, self.rate_limit, max_wait=self.timeout)
        try:
            page = fetch_url(
                url,
                # An error page in HTML is read, so that it is reported as "not JSON".
                accept=JSON_TYPES | HTML_TYPES | TEXT_TYPES,
                timeout=self.timeout,
                max_bytes=MAX_JSON_BYTES,
                headers=headers,
            )
        except FetchError as exc:
            raise ProviderError(
                FAILED.format(name=self.name, reason=exc.reason), retryable=exc.retryable
            ) from None
        try:
            return json.loads(page.content)
        except (ValueError, UnicodeDecodeError):
            raise ProviderError(
                NOT_JSON.format(name=self.name, detail=page.content_type or "no content type")
            ) from None

    def shape_error(self, detail: str) -> ProviderError:
        return ProviderError(UNEXPECTED_SHAPE.format(name=self.name, detail=detail))


@functools.cache
def _limiter(storage_url: str):
    from limits import storage, strategies

    return strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_url))


def wait_for_rate_limit(name: str, rate_limit: str, *, max_wait: float) -> None:
    """Take one request from the provider's budget ("30/minute"), waiting up to `max_wait`
    seconds for room; ProviderError when there is none in time."""
    if not rate_limit:
        return
    from limits import parse

    item = parse(rate_limit)
    limiter = _limiter(settings.RATE_LIMIT_STORAGE_URL)
    deadline = time.monotonic() + max_wait
    while not limiter.hit(item, "corroboration", name):
        reset_at = limiter.get_window_stats(item, "corroboration", name).reset_time
        pause = max(0.05, reset_at - time.time())
        if time.monotonic() + pause > deadline:
            raise ProviderError(RATE_LIMITED.format(name=name, limit=rate_limit))
        time.sleep(pause)


def dig(data: object, path: str) -> object:
    """The value at a dotted path ("data.items", "results.0.url") in decoded JSON, or None."""
    current = data
    for part in [p for p in path.split(".") if p]:
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def parse_date(value: object) -> datetime.date | None:
    """A date from the forms APIs use: ISO 8601 with or without time, or a Unix timestamp."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.datetime.fromtimestamp(value, tz=datetime.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def text_field(item: dict, name: str, limit: int = 2000) -> str:
    value = item.get(name) if name else None
    if isinstance(value, str):
        return " ".join(value.split())[:limit]
    return ""
