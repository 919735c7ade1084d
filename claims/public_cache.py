"""The public site's cache: one version for everything readers see, pages cached under it and
served before the rest of the middleware, and conditional requests (ETag, Last-Modified, 304)
answered from it.

Why one site-wide version rather than per-page keys: a verdict shows up on its own page, the
lists, the home page's counts, its speaker's page, the feeds, the sitemap and the API, and a
speaker or a rating shows up on all of their verdicts. Working out every page one change
touches is where stale pages come from; publishing is rare next to reading, so starting every
page afresh when anything public changes costs little and is never wrong.

Where the version is kept depends on the cache (`PUBLIC_CACHE_SHARED`, on with Redis):

- A cache every server process shares (Redis): the version is a random tag kept in it. A
  change counts itself in flight there inside its transaction (`public-site-pending`), and
  once it has committed sets a new tag and counts itself out (`bump_public_version`). A page
  is stored under the tag read *before* it was rendered, and a new tag is made only after the
  change committed, so a page found under the current tag was rendered after the last
  change. While any change is in flight, pages are rendered and not stored; if a process dies
  before counting itself out, the count expires and the next reader makes a new tag, again
  after the commit. A missing tag (evicted, expired, a new Redis) is made anew at random:
  never one a page was stored under before.

  Each process also takes a lease on the tag it read, for PUBLIC_CACHE_LEASE_SECONDS, and
  serves the pages it holds under it from its own memory without asking Redis: no round trip
  at all for a page it served a moment ago. A change waits out the lease after counting
  itself in and before going on to commit: every lease taken from a read before the count
  went up has ended by the time the change is visible, and no lease is taken while it is in
  flight. So the lease costs each publishing transaction that wait (a quarter of a second by
  default) and never shows an old page after a change committed. (A save outside any
  transaction, as in a shell, is committed before it can count itself in: a lease elsewhere
  may then show the old page for up to the lease; every write the app makes runs in one.)
- A cache in each process's memory: a change in one process cannot reach the others' memory,
  so the version is read from the database on every request (`PublicSiteVersion`, one row,
  moved on in the change's own transaction): one indexed single-row query per request.

Only anonymous reads use the cache: a signed-in member of staff gets the page rendered for them
(it shows their name and sign-out form). `PublicPageMiddleware` serves stored pages right after
the security middleware, without sessions, authentication, CSRF or URL resolution; the
`@public_page` decorator on each public view stamps validators on the pages it renders and
marks them for the middleware to store, with every header the middleware below it added (the
Content-Security-Policy, X-Frame-Options, Vary), so a cached page carries the same headers as a
rendered one.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import pickle
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from claims.models import (
    VERDICT_SNAPSHOT_FIELDS,
    Article,
    Claim,
    PublicSiteVersion,
    Source,
    Speaker,
    SpeakerRatingCount,
    Verdict,
    VerdictCorrection,
    VerdictRating,
)

PAGE_KEY_PREFIX = "public-page"
VERSION_KEY = "public-site-version"
# How many changes are being written (shared cache only): while any is, pages are rendered
# and not stored.
PENDING_KEY = "public-site-pending"
# How long the count holds if a change never commits or its process never counts it down (a
# rollback, a crash): longer than any publishing transaction.
PENDING_SECONDS = 120
# Pages a process holds in its own memory under its lease.
LEASE_PAGES = 200
# Readers and shared caches revalidate every time (a correction must show at once); the
# revalidation is a 304 from the version alone, without rendering anything.
CACHE_CONTROL = "public, max-age=0, must-revalidate"


@dataclass(frozen=True)
class SiteVersion:
    """A version of the public site: `tag` goes into cache keys and ETags; `changed_at` (when
    it began, or later) is the pages' Last-Modified."""

    tag: str
    changed_at: datetime.datetime | None


@dataclass(frozen=True)
class CachedMatch:
    """Stands for `request.resolver_match` on a page served from the cache (URLs are not
    resolved for it): the request log and metrics name the view that rendered the page."""

    view_name: str | None


# --- the version ---------------------------------------------------------------------------


def database_version() -> SiteVersion:
    """The version row; one single-row query.

    The time is part of the tag, so that a version counter started again (a database
    restored or emptied) never meets the pages cached under its earlier run.
    """
    # Plain SQL: this runs on every public request, and the ORM's query building costs more
    # than the query itself.
    table = PublicSiteVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, changed_at FROM {table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return SiteVersion("0", None)
    version, changed_at = row
    if not isinstance(changed_at, datetime.datetime):  # SQLite hands back text
        changed_at = connection.ops.convert_datetimefield_value(changed_at, None, connection)
    return SiteVersion(f"{version}.{changed_at.timestamp():.6f}", changed_at)


def _new_tag() -> tuple[str, float]:
    return secrets.token_hex(12), time.time()


def _version_from_cache(value: Any, pending: Any) -> SiteVersion | None:
    """The shared cache's version; None while a change is pending. A missing key gets a new
    random tag (`add`: of two readers making one, both use the winner's)."""
    if pending:
        return None
    if value is None:
        made = _new_tag()
        value = made if cache.add(VERSION_KEY, made, settings.PUBLIC_CACHE_SECONDS) else None
        if value is None:
            value = cache.get(VERSION_KEY)
        # Asked again after the tag exists: a change that counted itself in since the first
        # read (and may already have removed the tag that was missing) makes it unusable.
        if value is None or cache.get(PENDING_KEY):
            return None
    tag, at = value
    return SiteVersion(tag, datetime.datetime.fromtimestamp(at, tz=datetime.UTC))


def current_version() -> SiteVersion | None:
    """The public site's version now; None while a change is being written (shared cache
    only): pages are then rendered for each reader and not stored."""
    if settings.PUBLIC_CACHE_SHARED:
        found = cache.get_many([VERSION_KEY, PENDING_KEY])
        return _version_from_cache(found.get(VERSION_KEY), found.get(PENDING_KEY))
    return database_version()


# This process's lease on the shared cache's version, and the pages it holds under it.
_clock = time.monotonic
_sleep = time.sleep


@dataclass
class _Lease:
    version: SiteVersion | None = None
    until: float = 0.0
    pages: OrderedDict[str, bytes] = field(default_factory=OrderedDict)

    def drop(self) -> None:
        self.version = None
        self.until = 0.0
        self.pages.clear()


_lease = _Lease()
_hold_lock = threading.Lock()


class _EndPending:
    """The on-commit callback of a change: a new tag, then one writer fewer in flight."""

    def __init__(self) -> None:
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        cache.set(VERSION_KEY, _new_tag(), settings.PUBLIC_CACHE_SECONDS)
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing to count down
            cache.decr(PENDING_KEY)


def _pending_in_this_transaction(connection) -> bool:
    # Django keeps a transaction's on-commit callbacks in `run_on_commit` (emptied when it
    # commits or rolls back): one of ours there, not yet run, means this transaction is
    # already counted in and has waited.
    return any(
        isinstance(func, _EndPending) and not func.ran
        for _ids, func, _robust in connection.run_on_commit
    )


def _begin_pending() -> None:
    """A change is being written (shared cache): count one more writer in flight, so that
    readers neither store pages nor take a lease, then wait out every lease taken before.

    The wait is what lets a process serve pages under its lease without asking the cache:
    a lease is taken from a read made before the count went up, so it ends within
    PUBLIC_CACHE_LEASE_SECONDS of it, and this transaction commits after that.
    """
    connection = transaction.get_connection()
    _lease.drop()
    if not connection.in_atomic_block:
        # Already committed (autocommit): nothing to wait for; a lease elsewhere may show the
        # old page for up to PUBLIC_CACHE_LEASE_SECONDS. The app's writes all run in a
        # transaction (services, the admin), so this is a shell's save.
        cache.set(VERSION_KEY, _new_tag(), settings.PUBLIC_CACHE_SECONDS)
        return
    if _pending_in_this_transaction(connection):
        return
    if not cache.add(PENDING_KEY, 1, PENDING_SECONDS):
        cache.incr(PENDING_KEY)
        cache.touch(PENDING_KEY, PENDING_SECONDS)  # an incr of a key just expired has none
    # Counted in first, then the tag goes: should this process die after its commit and before
    # counting itself out, the readers after the count expires make a new tag.
    cache.delete(VERSION_KEY)
    transaction.on_commit(_EndPending())
    _sleep(settings.PUBLIC_CACHE_LEASE_SECONDS)


def bump_public_version() -> None:
    """Start a new version of the public site: every cached page and every ETag goes stale.

    Runs in the caller's transaction: readers see the new version exactly when they see the
    change. Concurrent publishers queue on the one row for the rest of their transaction,
    which is short, and publishing is rare. With a shared cache, the change counts as pending
    until its transaction commits, then the cache gets a new tag (see the module's
    docstring); a cache that cannot be reached fails the change rather than leave a
    correction unseen.
    """
    now = timezone.now()
    if settings.PUBLIC_CACHE_SHARED:
        _begin_pending()
    if PublicSiteVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now):
        return
    try:
        with transaction.atomic():
            PublicSiteVersion.objects.create(pk=1, version=1, changed_at=now)
    except IntegrityError:  # another transaction made the row first: move that one on
        PublicSiteVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now)


# --- the cache -------------------------------------------------------------------------------


def _cacheable(request: HttpRequest) -> bool:
    """Anonymous reads only: a session cookie may mean a signed-in user, whose page differs
    (their name, sign-out), and a messages cookie means a one-off notice on the page."""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and "Authorization" not in request.headers
    )


def _page_identity(request: HttpRequest) -> str:
    """What decides the page's bytes besides the version: its address and whether htmx asked
    for the fragment. As the views decide (claims.views.review.wants_fragment): an htmx swap
    gets the fragment; a history restore (the back button) and a boosted link the whole page."""
    headers = request.headers
    fragment = (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )
    # The host too: in development without SITE_URL the canonical links name the address the
    # page was asked on (claims.site_url).
    return f"{'fragment' if fragment else 'page'} {_host(request)}{request.get_full_path()}"


def _host(request: HttpRequest) -> str:
    """The host as asked, without checking it against ALLOWED_HOSTS here: a page is stored
    only after its view answered, which checked it (CommonMiddleware), so a host that is not
    allowed finds nothing stored and goes on to be refused. Saves the check on every read."""
    meta = request.META
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in meta:
        return meta["HTTP_X_FORWARDED_HOST"]
    return meta.get("HTTP_HOST") or f"{meta.get('SERVER_NAME')}:{meta.get('SERVER_PORT')}"


def _page_key(identity: str) -> str:
    return f"{PAGE_KEY_PREFIX}:{hashlib.sha256(identity.encode()).hexdigest()}"


def _etag(version: SiteVersion, identity: str) -> str:
    digest = hashlib.sha256(f"{version.tag} {identity}".encode()).hexdigest()[:32]
    return f'"{digest}"'


def _last_modified(version: SiteVersion) -> int | None:
    return int(version.changed_at.timestamp()) if version.changed_at is not None else None


def _stamp(response: HttpResponseBase, etag: str, version: SiteVersion) -> HttpResponseBase:
    response.headers["ETag"] = etag
    if version.changed_at is not None:
        response.headers["Last-Modified"] = http_date(version.changed_at.timestamp())
    response.headers["Cache-Control"] = CACHE_CONTROL
    # The same address shows a signed-in user another page: shared caches must tell them apart.
    patch_vary_headers(response, ["Cookie"])
    return response


# What a stored page holds: the version's tag it was rendered under, the view's name, its
# Last-Modified as a timestamp, and the response as the middleware below this one left it (a
# plain HttpResponse: unpickling it restores its headers without checking each one again).
Entry = tuple[str, str | None, int | None, HttpResponse]


@dataclass
class _ToStore:
    key: str
    version: SiteVersion


class Unknown:
    """The middleware did not read the version: the decorator reads it before rendering."""


UNKNOWN = Unknown()


def lookup(identity: str) -> tuple[SiteVersion | Unknown | None, Entry | None]:
    """The page stored for `identity` if it was rendered under the version now, and that
    version when it was read.

    With a shared cache: under this process's lease, from its own memory without asking the
    cache; otherwise one round trip fetches the version, the writers in flight and the page,
    and (with no writer in flight) takes a new lease. With the database: it is asked only when
    there is a page to check (UNKNOWN when it was not).
    """
    key = _page_key(identity)
    if not settings.PUBLIC_CACHE_SHARED:
        entry = cache.get(key)
        if entry is None:
            return UNKNOWN, None
        version = database_version()
        if entry[0] != version.tag:
            return version, None
        return version, entry
    asked_at = _clock()
    version = _lease.version
    if version is not None and asked_at < _lease.until:
        held = _lease.pages.get(key)
        if held is not None:
            return version, pickle.loads(held)  # noqa: S301 - our own cache's bytes
    found = cache.get_many([VERSION_KEY, PENDING_KEY, key])
    version = _version_from_cache(found.get(VERSION_KEY), found.get(PENDING_KEY))
    if version is None:
        _lease.drop()
        return None, None
    if version != _lease.version:
        _lease.drop()
    _lease.version = version
    _lease.until = asked_at + settings.PUBLIC_CACHE_LEASE_SECONDS
    entry = found.get(key)
    if entry is None or entry[0] != version.tag:
        return version, None
    _hold(key, entry)
    return version, entry


def _hold(key: str, entry: Entry) -> None:
    """Keep a page in this process's memory under its lease (the most recent few)."""
    held = pickle.dumps(entry)
    with _hold_lock:  # a threaded server's requests share the process's pages
        _lease.pages[key] = held
        _lease.pages.move_to_end(key)
        while len(_lease.pages) > LEASE_PAGES:
            _lease.pages.popitem(last=False)


def _storable(response: HttpResponseBase) -> bool:
    """A rendered 200 that is the same for every anonymous reader: no cookie set for this one
    reader, and no CSP nonce (a nonce served twice is no nonce)."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "'nonce-" not in response.headers.get("Content-Security-Policy", "")
    )


def _store(request: HttpRequest, marked: _ToStore, response: HttpResponseBase) -> None:
    match = getattr(request, "resolver_match", None)
    page = HttpResponse(response.content, status=response.status_code)
    for name, value in response.items():
        page.headers[name] = value
    entry: Entry = (
        marked.version.tag,
        match.view_name if match else None,
        _last_modified(marked.version),
        page,
    )
    cache.set(marked.key, entry, settings.PUBLIC_CACHE_SECONDS)


def _serve(request: HttpRequest, entry: Entry) -> HttpResponseBase:
    _tag, view_name, last_modified, response = entry
    request.resolver_match = CachedMatch(view_name)
    if "If-None-Match" in request.headers or "If-Modified-Since" in request.headers:
        not_modified = get_conditional_response(
            request,
            etag=response.headers.get("ETag"),
            last_modified=last_modified,
            response=response,
        )
        if not_modified is not None:
            return not_modified
    return response


class PublicPageMiddleware:
    """Serve anonymous `GET`s of public pages from the cache before the rest of the chain, and
    store the pages `@public_page` renders with the headers the chain below added.

    Placed right after SecurityMiddleware: the https redirect and the security headers apply
    to cached pages as to any; what lies below (CSP, sessions, CSRF, authentication, messages,
    X-Frame-Options, htmx, axes) either adds headers, which are stored with the page, or does
    nothing for an anonymous read without cookies. HEAD and everything else go down the chain.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            request.method != "GET"
            or request.path_info.startswith(self.static_prefix)
            or not _cacheable(request)
        ):
            return self.get_response(request)
        identity = _page_identity(request)
        version, entry = lookup(identity)
        if entry is not None:
            return _serve(request, entry)
        # For the decorator: the version read before the page is rendered, and a store to come.
        request.public_site_version = version
        response = self.get_response(request)
        marked = getattr(response, "public_cache_store", None)
        if marked is not None and _storable(response):
            _store(request, marked, response)
        return response


def public_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Give a public view's pages ETag and Last-Modified, answer conditional requests with 304,
    and mark the rendered page for PublicPageMiddleware to store.

    A streamed response (the ClaimReview data feed) gets the validators and 304s but is not
    stored: holding it whole would undo the streaming. Only 200s are stored; a 404 is cheap
    and must not pin a page that is about to be published.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        version = getattr(request, "public_site_version", UNKNOWN)
        if isinstance(version, Unknown):
            version = current_version()
        if version is None:  # a change is being written: render, and neither stamp nor store
            return view(request, *args, **kwargs)
        identity = _page_identity(request)
        etag = _etag(version, identity)
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=_last_modified(version)
        )
        if not_modified is not None:
            return _stamp(not_modified, etag, version)
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        if hasattr(response, "render"):
            response.render()
        _stamp(response, etag, version)
        if hasattr(request, "public_site_version"):  # the middleware is there to store it
            response.public_cache_store = _ToStore(_page_key(identity), version)
        return response

    return wrapped


# --- what moves the version on ---------------------------------------------------------------
# Signals rather than calls in each service: the admin saves ratings, sources and speakers
# directly, and a service added later cannot forget the call. Each handler asks
# whether the row can be on a public page at all, so that the review work on unpublished
# claims (most saves) leaves the public cache alone.


# What a public page shows of a verdict: its published version and dates. The draft beside it
# (rating, explanation, evidence), which reviewers change while a reopened claim is reworked,
# is not public until approved, which writes these.
PUBLIC_VERDICT_FIELDS = frozenset(
    {"slug", "published_at", "taken_down_at", *VERDICT_SNAPSHOT_FIELDS}
)


def _verdict_saved(sender, instance: Verdict, update_fields=None, **kwargs) -> None:
    if instance.published_at is None:
        return
    if update_fields is not None and not PUBLIC_VERDICT_FIELDS & set(update_fields):
        return
    bump_public_version()


def _always(sender, **kwargs) -> None:
    bump_public_version()


def _claim_saved(sender, instance: Claim, created: bool, update_fields=None, **kwargs) -> None:
    if created:
        return
    if instance.status == Claim.Status.PUBLISHED:
        bump_public_version()
        return
    # Leaving "published" (reopened): was its verdict public?
    if (update_fields is None or "status" in update_fields) and Verdict.objects.filter(
        claim_id=instance.pk, published_at__isnull=False
    ).exists():
        bump_public_version()


def _claim_deleted(sender, instance: Claim, **kwargs) -> None:
    if instance.status == Claim.Status.PUBLISHED:
        bump_public_version()


def _speaker_changed(sender, instance: Speaker, created: bool = False, **kwargs) -> None:
    if not created and SpeakerRatingCount.objects.filter(speaker_id=instance.pk).exists():
        bump_public_version()


def _article_saved(sender, instance: Article, created: bool, **kwargs) -> None:
    if (
        not created
        and Verdict.objects.filter(
            claim__article_id=instance.pk, published_at__isnull=False
        ).exists()
    ):
        bump_public_version()


def connect_signals() -> None:
    uid = "public_cache"
    post_save.connect(_verdict_saved, sender=Verdict, dispatch_uid=f"{uid}_verdict")
    post_delete.connect(_verdict_saved, sender=Verdict, dispatch_uid=f"{uid}_verdict_del")
    for model in (VerdictCorrection, VerdictRating, Source):
        post_save.connect(_always, sender=model, dispatch_uid=f"{uid}_{model.__name__}")
        post_delete.connect(_always, sender=model, dispatch_uid=f"{uid}_{model.__name__}_del")
    post_save.connect(_claim_saved, sender=Claim, dispatch_uid=f"{uid}_claim")
    post_delete.connect(_claim_deleted, sender=Claim, dispatch_uid=f"{uid}_claim_del")
    post_save.connect(_speaker_changed, sender=Speaker, dispatch_uid=f"{uid}_speaker")
    post_delete.connect(_speaker_changed, sender=Speaker, dispatch_uid=f"{uid}_speaker_del")
    post_save.connect(_article_saved, sender=Article, dispatch_uid=f"{uid}_article")
