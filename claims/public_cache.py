"""The public site's cache: one version number for everything readers see, pages cached under
it, and conditional requests (ETag, Last-Modified, 304) answered from it.

Why one site-wide version rather than per-page keys: a verdict shows up on its own page, the
lists, the home page's counts, its speaker's page, the feeds, the sitemap and the API, and a
speaker or a rating shows up on all of their verdicts. Working out every page one change
touches is where stale pages come from; publishing is rare next to reading, so starting every
page afresh when anything public changes costs little and is never wrong.

The version lives in the database (`PublicSiteVersion`, one row) and moves on in the same
transaction as the change (the signal handlers below), so there is no moment in which a new
page could be cached under an old version, and every server process sees the change at once
whatever cache backend it has. A request costs one indexed single-row read before the cache
look-up: about what `/healthz` costs.

Only anonymous requests use the cache: a signed-in member of staff gets the page rendered for
them (it shows their name and sign-out form).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from functools import wraps

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
# Readers and shared caches revalidate every time (a correction must show at once); the
# revalidation is a 304 from the version alone, without rendering anything.
CACHE_CONTROL = "public, max-age=0, must-revalidate"
# Headers worth keeping with a cached page; the middleware adds the rest on every response.
KEPT_HEADERS = ("Content-Type", "Vary", "X-Robots-Tag", "Content-Language")


# --- the version ---------------------------------------------------------------------------


def current_version() -> tuple[str, datetime.datetime | None]:
    """(the version as a cache-key part, when it last changed); one single-row query.

    The time is part of the key, so that a version counter started again (a database
    restored or emptied) never meets the pages cached under its earlier run.
    """
    # Plain SQL: this runs on every public request, and the ORM's query building costs more
    # than the query itself.
    table = PublicSiteVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, changed_at FROM {table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return "0", None
    version, changed_at = row
    if not isinstance(changed_at, datetime.datetime):  # SQLite hands back text
        changed_at = connection.ops.convert_datetimefield_value(changed_at, None, connection)
    return f"{version}.{changed_at.timestamp():.6f}", changed_at


def bump_public_version() -> None:
    """Start a new version of the public site: every cached page and every ETag goes stale.

    Runs in the caller's transaction: readers see the new version exactly when they see the
    change. Concurrent publishers queue on the one row for the rest of their transaction,
    which is short, and publishing is rare.
    """
    now = timezone.now()
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
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


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
    return f"{'fragment' if fragment else 'page'} {request.get_host()}{request.get_full_path()}"


def _etag(version: str, identity: str) -> str:
    digest = hashlib.sha256(f"{version} {identity}".encode()).hexdigest()[:32]
    return f'"{digest}"'


def _stamp(
    response: HttpResponseBase, etag: str, changed_at: datetime.datetime | None
) -> HttpResponseBase:
    response.headers["ETag"] = etag
    if changed_at is not None:
        response.headers["Last-Modified"] = http_date(changed_at.timestamp())
    response.headers["Cache-Control"] = CACHE_CONTROL
    # The same address shows a signed-in user another page: shared caches must tell them apart.
    patch_vary_headers(response, ["Cookie"])
    return response


def _store(key: str, response: HttpResponse) -> None:
    headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
    cache.set(key, (response.status_code, response.content, headers), settings.PUBLIC_CACHE_SECONDS)


def _restore(cached: tuple[int, bytes, dict[str, str]]) -> HttpResponse:
    status, content, headers = cached
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response.headers[name] = value
    return response


def public_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Serve a public view through the cache, with ETag and Last-Modified, answering
    conditional requests with 304.

    A streamed response (the ClaimReview data feed) gets the validators and 304s but is not
    stored: holding it whole would undo the streaming. Only 200s are stored; a 404 is cheap
    and must not pin a page that is about to be published.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        version, changed_at = current_version()
        identity = _page_identity(request)
        etag = _etag(version, identity)
        last_modified = int(changed_at.timestamp()) if changed_at is not None else None
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return _stamp(not_modified, etag, changed_at)
        key = f"{PAGE_KEY_PREFIX}:{version}:{hashlib.sha256(identity.encode()).hexdigest()}"
        cached = cache.get(key)
        if cached is not None:
            return _stamp(_restore(cached), etag, changed_at)
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        if not response.streaming:
            if hasattr(response, "render"):
                response.render()
            _store(key, response)
        return _stamp(response, etag, changed_at)

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
    {
        "slug",
        "published_at",
        "taken_down_at",
        "speaker_name",
        "speaker_role",
        "speaker_kind",
        "claim_reviewed",
        "published_rating",
        "published_explanation",
        "published_speaker",
        "published_quote",
        "published_cue",
        "published_evidence",
    }
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
