"""Writes on articles: submit a URL, pasted text or an upload; the ingest step; retry.

The slow part (`article_ingest`) runs in the `claims.ingest_article` Celery task, never in a
web request; the submit services only create the article and enqueue the job after the
transaction commits.

How a job holds an article. `_claim_the_work` is a conditional UPDATE that moves the article to
`fetching`/`extracting` and writes the job's id, a fresh lease token and the time. It succeeds
when the article is queued, when it is in progress under the *same* job id (the broker delivered
the job again because its worker died, or Celery retried it), or when the hold is older than the
longest a job may run (`INGEST_LEASE_SECONDS`: its worker is gone). Every later write checks the
lease token, and the final write — the claims, all of them, in one transaction under
`select_for_update` — only happens if the token is still ours. So a run that lost its hold to a
newer run stores nothing, and an article never gets two sets of claims.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePath

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from claims.corroboration.archive import archive_index_article
from claims.fetching import FetchError, describe_size, fetch_url
from claims.jobs import enqueue_fact_check_matching, enqueue_ingest
from claims.models import Article, Claim, ClaimEvent, Source, Speaker
from claims.page_metadata import clean_outlet
from claims.services.claims import speaker_get_or_create
from claims.services.errors import ServiceError
from claims.services.sources import source_for_url, source_named
from claims.text_input import invalid_character_at, make_valid
from claims.urls_normalise import normalise_url
from claims.webtext import html_to_article

logger = logging.getLogger(__name__)

Status = Article.Status

EMPTY_TEXT = "The text is empty: paste the article's text or give its address."
NOT_UNICODE = (
    "The text has a character that is not valid Unicode at character {position:,} (a lone "
    "surrogate); paste or upload the text as it is."
)
TOO_SHORT = (
    "The text is too short to be an article: {words} of the {minimum} words needed at least "
    "(ARTICLE_MIN_WORDS). Paste the whole article."
)
TOO_LONG = "The text is longer than {limit:,} characters; split it or raise ARTICLE_MAX_CHARS."
BAD_URL = "Enter the article's full web address, starting with http:// or https://."
OUTLET_TOO_LONG = "The outlet's name is too long: give it in at most {limit} characters."
FUTURE_DATE = "The publication date {date:%-d %B %Y} is in the future; give the day it came out."
TOO_EARLY_DATE = "The publication date {date:%-d %B %Y} is too early; give the day it came out."
PASTE_TOO_LARGE = (
    "The pasted text is larger than the {limit} limit for a paste (set by UPLOAD_MAX_BYTES); "
    "split it into parts."
)
UPLOAD_EMPTY = "The file {name} is empty."
UPLOAD_TOO_LARGE = "The file is larger than the {limit} upload limit (UPLOAD_MAX_BYTES)."
UPLOAD_WRONG_KIND = "Upload a .txt or .html file; {name} is neither."
NOT_TEXT = "The file is not text: {name} looks like {kind}. Upload a .txt or .html file."
NO_ARTICLE_TEXT = "No article text found: the page has no readable article in it."
OTHER_LANGUAGE = (
    "The article seems to be in another language ({language}); claims are only extracted from "
    "English text."
)
DUPLICATE_OF = "This is the same article as “{title}”, which is already here."
ALREADY_RUNNING = "The article is being ingested right now; wait for the job to finish."
ALREADY_QUEUED = "The article is already waiting for its ingest job."
JOB_KEPT_DYING = (
    "The ingest job was interrupted {attempts} times (its worker stopped each time); try again, "
    "and tell an administrator if it happens again."
)
TOOK_TOO_LONG = "Ingesting took longer than {seconds} seconds and was stopped; try again later."
STORE_FAILED = "The claims could not be stored; try again."
WILL_RETRY = "{reason} Trying again shortly."
BAD_KIND = "Choose whether the text is a news article or a transcript."
MODERATORS_TOO_LONG = "The list of moderators is too long; give their names, comma-separated."
NO_TURNS = (
    "No speakers found: a transcript needs turns that start with the speaker's name and a "
    "colon, like “SANDERS: …” or “Q: …”. Add it as an article if it is not a transcript."
)
PAGE_CHANGED = (
    "The text has changed since people worked on its claims: {count} of those claims are no "
    "longer in it. Nothing was changed; the article keeps its earlier text and claims."
)

IN_PROGRESS = (Status.FETCHING, Status.EXTRACTING)
# A publication date before this is a typing mistake.
EARLIEST_PUBLISHED = date(1800, 1, 1)
# Sentences that became no claim are offered to reviewers from this score on, best first.
CANDIDATE_MIN_SCORE = 0.5
MAX_CANDIDATES = 25
SET_APART_ROLES = frozenset({"moderator", "host", "audience"})
# A job running longer than its hard time limit has been killed; its hold may be taken over.
INGEST_LEASE_SECONDS = settings.CELERY_TASK_TIME_LIMIT + 60
# The same job delivered this many times has killed a worker each time: give up on it.
MAX_RUNS_PER_JOB = 4
UPLOAD_EXTENSIONS = {".txt", ".text", ".html", ".htm"}
_BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a zip archive or office document",
    b"\xd0\xcf\x11\xe0": "an old office document",
    b"{\\rtf": "a rich-text document",
}
_HTML_START = re.compile(r"<(!doctype html|html|head|body|article|p|div)\b", re.IGNORECASE)


class DuplicateArticle(ServiceError):
    """The same article is already in the system; `article` is the existing one."""

    def __init__(self, article: Article) -> None:
        super().__init__("This article is already here; you have been taken to it.")
        self.article = article


class DuplicateUrl(DuplicateArticle):
    """Pasted text was given the address of an article that is already here (not a failed one:
    that one takes the text and is tried again)."""


class IngestRetry(Exception):
    """A network error that may pass: the task should try again later (the article waits)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def text_hash(text: str) -> str:
    """SHA-256 of the text with whitespace collapsed, so re-pasting is recognised."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def _existing_with_text(digest: str) -> Article | None:
    return Article.objects.filter(Q(content_hash=digest) | Q(cleaned_hash=digest)).first()


# --- Submitting -----------------------------------------------------------------------------


@transaction.atomic
def article_submit_url(
    *, url: str, by: AbstractBaseUser | None, feed_source: Source | None = None
) -> Article:
    """Store a web address as a queued article and start its ingest job.

    `feed_source` is the monitored source whose feed listed the address (see
    `claims.services.feeds.feed_item_ingest`); its claims are then held to its threshold.
    """
    try:
        url = normalise_url(url)
    except ValueError:
        raise ServiceError(BAD_URL) from None
    if len(url) > Article._meta.get_field("url").max_length:
        raise ServiceError(BAD_URL)
    existing = Article.objects.filter(url=url).first()
    if existing is not None:
        return _submitted_again(existing, by=by)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                url=url,
                origin=Article.Origin.URL,
                added_by=by,
                feed_source=feed_source,
                # Known from the address alone: a page that cannot be fetched still shows it.
                outlet=source_for_url(url),
            )
    except IntegrityError:  # submitted twice at the same moment
        raise DuplicateArticle(Article.objects.get(url=url)) from None
    enqueue_ingest(article.pk)
    return article


@transaction.atomic
def article_submit_text(
    *,
    text: str,
    by: AbstractBaseUser | None,
    origin: str = Article.Origin.PASTE,
    filename: str = "",
    kind: str = Article.Kind.ARTICLE,
    moderators: str = "",
    original_url: str = "",
    outlet: str = "",
    published_on: date | None = None,
) -> Article:
    """Store pasted or uploaded text (or HTML) as a queued article and start its ingest job.

    ``kind`` says whether it is a news article or a transcript (``SPEAKER: text`` turns);
    ``moderators`` names a transcript's moderators or hosts, comma-separated.

    ``original_url``, ``outlet`` and ``published_on`` say where and when the text was
    published, when the person knows; they win over what the job reads from the text's byline
    and date lines. The address is one article's like a fetched one's: another article at that
    address makes this a duplicate (`DuplicateUrl`), and a failed one there takes this text and
    is tried again, since pasting is how a page that cannot be fetched gets in.
    """
    if kind not in Article.Kind.values:
        raise ServiceError(BAD_KIND)
    moderators = ", ".join(name.strip() for name in moderators.split(",") if name.strip())
    if len(moderators) > Article._meta.get_field("moderators").max_length:
        raise ServiceError(MODERATORS_TOO_LONG)
    text = text.replace("\r\n", "\n").replace("\x00", "")
    for given in (text, moderators, outlet):
        position = invalid_character_at(given)
        if position is not None:
            raise ServiceError(NOT_UNICODE.format(position=position + 1))
    if not text.strip():
        raise ServiceError(EMPTY_TEXT)
    details = _published_details(
        original_url=original_url, outlet=outlet, published_on=published_on
    )
    # Markup is much longer than its text: HTML is measured after extraction, in the job.
    if not _is_html(text, filename):
        if len(text) > settings.ARTICLE_MAX_CHARS:
            raise ServiceError(TOO_LONG.format(limit=settings.ARTICLE_MAX_CHARS))
        _check_long_enough(text)
    digest = text_hash(text)
    moderators = moderators if kind == Article.Kind.TRANSCRIPT else ""
    at_url = Article.objects.filter(url=details["url"]).first() if "url" in details else None
    if at_url is not None and at_url.status != Status.FAILED:
        raise DuplicateUrl(at_url)
    if at_url is not None and at_url.duplicate_of_id is not None:
        raise DuplicateUrl(at_url.duplicate_of)  # it failed as the copy of an article here
    existing = _existing_with_text(digest)
    if existing is not None:
        if existing.status == Status.FAILED and existing.content_hash == digest:
            # Tried again as what it is now said to be: an article, or a transcript, and with
            # where and when it was published, if that is given now.
            again = {"kind": kind, "moderators": moderators, **details}
            if at_url is not None and at_url.pk != existing.pk:
                again.pop("url")  # that address is another (failed) article's
            _update_failed(existing, again)
        return _submitted_again(existing, by=by)
    if at_url is not None:
        # The page at this address could not be read (a paywall, a site that refuses the
        # fetcher): the text pasted for it is ingested in its place.
        _update_failed(
            at_url,
            {
                "origin": origin,
                "original_filename": filename[:255],
                "raw_text": text,
                "content_hash": digest,
                "kind": kind,
                "moderators": moderators,
                **details,
            },
        )
        return _submitted_again(at_url, by=by)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                origin=origin,
                original_filename=filename[:255],
                raw_text=text,
                content_hash=digest,
                added_by=by,
                kind=kind,
                moderators=moderators,
                **details,
            )
    except IntegrityError:  # the same text, or the same address, at the same moment
        if "url" in details:
            found = Article.objects.filter(url=details["url"]).first()
            if found is not None:
                raise DuplicateUrl(found) from None
        raise DuplicateArticle(Article.objects.get(content_hash=digest)) from None
    enqueue_ingest(article.pk)
    return article


def _published_details(*, original_url: str, outlet: str, published_on: date | None) -> dict:
    """The article's fields for where and when pasted text was published, as a person gave
    them: its address (normalised like a fetched one's), its outlet (a known source by that
    name, else the source the address's domain belongs to) and its date. Only what is given."""
    details: dict = {}
    if (original_url or "").strip():
        try:
            url = normalise_url(original_url)
        except ValueError:
            raise ServiceError(BAD_URL) from None
        if len(url) > Article._meta.get_field("url").max_length:
            raise ServiceError(BAD_URL)
        details["url"] = url
    outlet = " ".join((outlet or "").split())
    limit = Article._meta.get_field("outlet_name").max_length
    if len(outlet) > limit:
        raise ServiceError(OUTLET_TOO_LONG.format(limit=limit))
    source = source_named(outlet) or (source_for_url(details["url"]) if "url" in details else None)
    if source is not None:
        details["outlet"] = source
    if outlet or source is not None:
        details["outlet_name"] = outlet or source.name
    if published_on is not None:
        if published_on > timezone.localdate():
            raise ServiceError(FUTURE_DATE.format(date=published_on))
        if published_on < EARLIEST_PUBLISHED:
            raise ServiceError(TOO_EARLY_DATE.format(date=published_on))
        details["published_on"] = published_on
    return details


def _update_failed(article: Article, changes: dict) -> None:
    """Change a failed article before it is tried again; refused if its text or address has
    just become another article's."""
    try:
        with transaction.atomic():
            Article.objects.filter(pk=article.pk, status=Status.FAILED).update(
                **changes, updated_at=timezone.now()
            )
    except IntegrityError:
        raise DuplicateArticle(article) from None


def _submitted_again(existing: Article, *, by: AbstractBaseUser | None) -> Article:
    """The same address or text given again: a failed article is tried again (the failure may
    have passed: a site that was down, a worker that died); anything else is a duplicate."""
    if existing.status != Status.FAILED:
        raise DuplicateArticle(existing)
    if existing.duplicate_of_id is not None:
        raise DuplicateArticle(existing.duplicate_of)
    try:
        return article_retry(article=existing, by=by)
    except ServiceError:  # someone queued it again a moment ago
        raise DuplicateArticle(existing) from None


def article_submit_upload(
    *,
    filename: str,
    content: bytes,
    by: AbstractBaseUser | None,
    kind: str = Article.Kind.ARTICLE,
    moderators: str = "",
    original_url: str = "",
    outlet: str = "",
    published_on: date | None = None,
) -> Article:
    """Check an uploaded .txt or .html file, then treat its text like pasted text."""
    # A file name from the command line may carry undecodable bytes as lone surrogates.
    name = make_valid(PurePath(filename or "upload").name)
    if PurePath(name).suffix.lower() not in UPLOAD_EXTENSIONS:
        raise ServiceError(UPLOAD_WRONG_KIND.format(name=name))
    if len(content) > settings.UPLOAD_MAX_BYTES:
        raise ServiceError(UPLOAD_TOO_LARGE.format(limit=describe_size(settings.UPLOAD_MAX_BYTES)))
    if not content.strip():
        raise ServiceError(UPLOAD_EMPTY.format(name=name))
    text = decode_text_file(content, name=name)
    return article_submit_text(
        text=text,
        by=by,
        origin=Article.Origin.UPLOAD,
        filename=name,
        kind=kind,
        moderators=moderators,
        original_url=original_url,
        outlet=outlet,
        published_on=published_on,
    )


def _check_long_enough(text: str) -> None:
    """Refuse a text too short to hold an article ("Hello."): it would become an "Untitled
    article" with no claims, and its hash would block the same words from coming in again."""
    words = len(text.split())
    if words < settings.ARTICLE_MIN_WORDS:
        raise ServiceError(TOO_SHORT.format(words=words, minimum=settings.ARTICLE_MIN_WORDS))


def decode_text_file(content: bytes, *, name: str) -> str:
    """The file's text (UTF-8, UTF-16 with a byte-order mark, Windows-1252); refused if binary."""
    for signature, kind in _BINARY_SIGNATURES.items():
        if content.startswith(signature):
            raise ServiceError(NOT_TEXT.format(name=name, kind=kind))
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise ServiceError(NOT_TEXT.format(name=name, kind="binary data")) from None
    if b"\x00" in content:
        raise ServiceError(NOT_TEXT.format(name=name, kind="binary data"))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise ServiceError(NOT_TEXT.format(name=name, kind="binary data")) from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise ServiceError(NOT_TEXT.format(name=name, kind="binary data"))
    return text


def _is_html(text: str, filename: str = "") -> bool:
    if PurePath(filename).suffix.lower() in {".html", ".htm"}:
        return True
    return bool(_HTML_START.match(text.lstrip()[:200]))


# --- Retrying -------------------------------------------------------------------------------


@transaction.atomic
def article_retry(*, article: Article, by: AbstractBaseUser | None) -> Article:
    """Queue the ingest job again: after a failure, to re-extract, or when a job was lost.

    Claims a person has touched are kept; the others are replaced when the job finishes.
    """
    stale = timezone.now() - timedelta(seconds=INGEST_LEASE_SECONDS)
    updated = (
        Article.objects.filter(pk=article.pk)
        .filter(
            Q(status__in=[Status.FAILED, Status.READY, Status.NEEDS_REVIEW])
            | Q(status__in=IN_PROGRESS, ingest_started_at__lt=stale)
        )
        .update(
            status=Status.QUEUED,
            failure_reason="",
            duplicate_of=None,
            ingest_job="",
            ingest_lease="",
            ingest_attempts=0,
            ingest_enqueued_at=None,  # until the broker takes the new job
            updated_at=timezone.now(),
        )
    )
    article.refresh_from_db()
    if not updated:
        raise ServiceError(ALREADY_QUEUED if article.status == Status.QUEUED else ALREADY_RUNNING)
    logger.info("Article %s queued again by %s", article.pk, by)
    enqueue_ingest(article.pk)
    return article


# --- The ingest job -------------------------------------------------------------------------


@dataclass
class _Input:
    """What the job extracts claims from, and what the page said about itself."""

    text: str
    title: str = ""
    byline: str = ""
    published: date | None = None
    site_name: str = ""
    final_url: str = ""
    review_reason: str = ""  # the page reader doubts it found the whole article


def article_ingest(
    *, article_id: int, job_id: str | None = None, may_retry: bool = False
) -> Article | None:
    """Fetch (for URLs), read, extract and store the claims of an article, all or nothing.

    Returns the article, or None when another run holds it. With `may_retry`, a network error
    worth retrying raises `IngestRetry` and leaves the article held by this job; otherwise
    every error ends in `failed` with its reason.
    """
    job_id = job_id or uuid.uuid4().hex
    lease = _claim_the_work(article_id, job_id)
    if lease is None:
        logger.info("Article %s is not for job %s; nothing to do", article_id, job_id)
        return None
    article = Article.objects.get(pk=article_id)
    if article.ingest_attempts > MAX_RUNS_PER_JOB:
        return _fail(article_id, lease, JOB_KEPT_DYING.format(attempts=MAX_RUNS_PER_JOB))
    try:
        given = _read_input(article)
        if not given.text.strip():
            return _fail(article_id, lease, NO_ARTICLE_TEXT)
        if len(given.text) > settings.ARTICLE_MAX_CHARS:
            return _fail(article_id, lease, TOO_LONG.format(limit=settings.ARTICLE_MAX_CHARS))
        try:
            _check_long_enough(given.text)  # a page's or an HTML file's text, once read
        except ServiceError as error:
            return _fail(article_id, lease, error.message)
        if not _hold(article_id, lease, status=Status.EXTRACTING):
            return None
        result = _extract(article, given.text)
        if not result.cleaned_text.strip():
            return _fail(article_id, lease, NO_ARTICLE_TEXT)
        if article.is_transcript and not result.turns:
            return _fail(article_id, lease, NO_TURNS)
        if result.language not in {"en", "unknown"}:
            return _fail(article_id, lease, OTHER_LANGUAGE.format(language=result.language))
        return _store(article_id, lease, given, result)
    except FetchError as exc:
        if exc.retryable and may_retry:
            # Say why it waits; the status fragment shows it until the next attempt.
            _hold(article_id, lease, failure_reason=WILL_RETRY.format(reason=exc.reason))
            raise IngestRetry(exc.reason) from exc
        return _fail(article_id, lease, exc.reason)
    except SoftTimeLimitExceeded:
        return _fail(
            article_id, lease, TOOK_TOO_LONG.format(seconds=settings.CELERY_TASK_SOFT_TIME_LIMIT)
        )


def _extract(article: Article, text: str):
    """Claims of an article, or of a transcript's speakers' turns."""
    from claims.extraction import extract, extract_transcript

    if article.is_transcript:
        return extract_transcript(text, moderators=article.moderator_names)
    return extract(text)


def article_ingest_abandoned(*, article: Article) -> bool:
    """True when the article has been in progress longer than any job may run: its worker is
    gone (hard time limit, lost machine) and a retry may take it over."""
    started = article.ingest_started_at
    return (
        article.status in IN_PROGRESS
        and started is not None
        and started < timezone.now() - timedelta(seconds=INGEST_LEASE_SECONDS)
    )


def article_fail(*, article_id: int, reason: str) -> None:
    """Mark an article failed whatever holds it (the task gave up retrying)."""
    Article.objects.filter(pk=article_id, status__in=[Status.QUEUED, *IN_PROGRESS]).update(
        status=Status.FAILED, failure_reason=reason, ingest_lease="", updated_at=timezone.now()
    )


def _claim_the_work(article_id: int, job_id: str) -> str | None:
    """Take the article for this run with one conditional UPDATE; the lease token, or None."""
    now = timezone.now()
    lease = uuid.uuid4().hex
    claimable = (
        Q(status=Status.QUEUED)
        | Q(status__in=IN_PROGRESS, ingest_job=job_id)
        | Q(
            status__in=IN_PROGRESS,
            ingest_started_at__lt=now - timedelta(seconds=INGEST_LEASE_SECONDS),
        )
    )
    updated = Article.objects.filter(claimable, pk=article_id).update(
        status=Case(
            When(origin=Article.Origin.URL, then=Value(Status.FETCHING)),
            default=Value(Status.EXTRACTING),
        ),
        ingest_attempts=Case(
            When(ingest_job=job_id, then=F("ingest_attempts") + 1), default=Value(1)
        ),
        ingest_job=job_id,
        ingest_lease=lease,
        ingest_started_at=now,
        failure_reason="",
        duplicate_of=None,
        updated_at=now,
    )
    return lease if updated == 1 else None


def _hold(article_id: int, lease: str, **changes) -> bool:
    """Write `changes` if this run still holds the article; False if another run took it."""
    return (
        Article.objects.filter(pk=article_id, ingest_lease=lease, status__in=IN_PROGRESS).update(
            **changes, updated_at=timezone.now()
        )
        == 1
    )


def _fail(article_id: int, lease: str, reason: str, **changes) -> Article | None:
    if not _hold(article_id, lease, status=Status.FAILED, failure_reason=reason, **changes):
        return None
    logger.info("Article %s failed: %s", article_id, reason)
    return Article.objects.get(pk=article_id)


def _read_input(article: Article) -> _Input:
    """The article's text: fetched and read for URLs, read from HTML for HTML uploads."""
    if article.origin == Article.Origin.URL:
        page = fetch_url(article.url)
        return _input_from_html(page.text, final_url=page.url)
    if _is_html(article.raw_text, article.original_filename):
        return _input_from_html(article.raw_text)
    return _Input(text=article.raw_text)


def _input_from_html(html: str, *, final_url: str = "") -> _Input:
    """The main text and metadata of a page; empty text when it holds no article."""
    web = html_to_article(html, url=final_url or None)
    if web is None:
        return _Input(text="", final_url=final_url)
    return _Input(
        text=web.text,
        title=web.title,
        byline=web.byline,
        published=web.published,
        site_name=web.site_name,
        final_url=final_url,
        review_reason=web.review_reason,
    )


def _store(article_id: int, lease: str, given: _Input, result) -> Article | None:
    """Write text, metadata and claims in one transaction, if this run still holds the article."""
    try:
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=article_id)
            if article.ingest_lease != lease or article.status not in IN_PROGRESS:
                logger.info("Article %s was taken over by another run; discarding", article_id)
                return None
            digest = text_hash(result.cleaned_text)
            duplicate = _find_duplicate(article, given, digest)
            if duplicate is not None:
                article.status = Status.FAILED
                article.failure_reason = DUPLICATE_OF.format(title=duplicate)
                article.duplicate_of = duplicate
                article.save()
                return article
            previous_text = article.text
            _write_article(article, given, result, digest)
            lost = _reanchor_kept_claims(article, previous_text)
            if lost:
                raise _PageChanged(len(lost))
            _replace_claims(article, result)
            article.candidates = _worth_a_look(article, result)
            article.status = Status.NEEDS_REVIEW if given.review_reason else Status.READY
            article.failure_reason = given.review_reason
            article.ingest_lease = ""
            article.save()
            archive_index_article(article=article)
            enqueue_fact_check_matching(list(article.claims.values_list("pk", flat=True)))
            return article
    except _PageChanged as changed:
        return _fail(article_id, lease, PAGE_CHANGED.format(count=changed.count))
    except IntegrityError:
        # Another article with the same text finished in the same instant; or a bad span.
        logger.exception("Storing the claims of article %s failed", article_id)
        duplicate = Article.objects.filter(cleaned_hash=text_hash(result.cleaned_text)).first()
        if duplicate is not None and duplicate.pk != article_id:
            return _fail(
                article_id,
                lease,
                DUPLICATE_OF.format(title=duplicate),
                duplicate_of=duplicate,
            )
        return _fail(article_id, lease, STORE_FAILED)


def _find_duplicate(article: Article, given: _Input, digest: str) -> Article | None:
    others = Article.objects.exclude(pk=article.pk)
    if given.final_url:
        try:
            final_url = normalise_url(given.final_url)
        except ValueError:
            final_url = ""
        if final_url and final_url != article.url:
            found = others.filter(url=final_url).first()
            if found is not None:
                return found
    digests = {digest, text_hash(given.text)}
    return others.filter(Q(cleaned_hash__in=digests) | Q(content_hash__in=digests)).first()


def _write_article(article: Article, given: _Input, result, digest: str) -> None:
    """Text and metadata; what a person already set (a corrected headline) is kept."""
    article.text = result.cleaned_text
    article.cleaned_hash = digest
    if article.origin == Article.Origin.URL:
        article.raw_text = given.text
        article.content_hash = text_hash(given.text)
    article.headline = article.headline or (given.title or result.headline or "")[:500]
    article.byline = (article.byline or given.byline or result.byline or "")[:300]
    article.published_on = article.published_on or given.published or result.published
    article.language = (result.language or "")[:12]
    article.turns = list(result.turns)
    if article.outlet is None and given.final_url:
        article.outlet = source_for_url(given.final_url)
    # The page's own name for itself, then the source its domain belongs to; never its address.
    page_outlet = given.site_name or clean_outlet(result.outlet, given.final_url or None)
    if not page_outlet and article.outlet is not None:
        page_outlet = article.outlet.name
    article.outlet_name = article.outlet_name or page_outlet[:200]
    if article.outlet is None and article.outlet_name:
        article.outlet = source_named(article.outlet_name)


class _PageChanged(Exception):
    """Claims people worked on are no longer in the new text: keep everything as it was."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


_SPAN_FIELDS = (("speaker_start", "speaker_end"), ("cue_start", "cue_end"))


def _reanchor_kept_claims(article: Article, previous_text: str) -> list[Claim]:
    """Move the offsets of kept claims to where their words are in the new text.

    A re-run can bring a different text (the page was edited, or the cleaner improved). Claims
    that people touched or added by hand stay, so their offsets must follow their words; the
    occurrence nearest to the old position wins. Returns the claims whose words are gone.
    """
    if not previous_text or previous_text == article.text:
        return []
    kept = list(article.claims.filter(Q(touched=True) | Q(origin=Claim.Origin.MANUAL)))
    lost, moved = [], []
    for claim in kept:
        words = previous_text[claim.start : claim.end]
        positions = _occurrences(article.text, words)
        if not words or not positions:
            lost.append(claim)
            continue
        new_start = min(positions, key=lambda p: abs(p - claim.start))
        delta = new_start - claim.start
        claim.start, claim.end = new_start, new_start + len(words)
        for start_field, end_field in (*_SPAN_FIELDS, ("sentence_start", "sentence_end")):
            start, end = getattr(claim, start_field), getattr(claim, end_field)
            if start is None or end is None:
                continue
            same = (
                0 <= start + delta < end + delta <= len(article.text)
                and article.text[start + delta : end + delta] == previous_text[start:end]
            )
            setattr(claim, start_field, start + delta if same else None)
            setattr(claim, end_field, end + delta if same else None)
        moved.append(claim)
    if not lost and moved:
        # Two passes through free offsets, so that swapping spans never trips the unique index.
        fields = [
            "start",
            "end",
            "speaker_start",
            "speaker_end",
            "cue_start",
            "cue_end",
            "sentence_start",
            "sentence_end",
        ]
        top = len(previous_text) + len(article.text) + 1
        for index, claim in enumerate(moved):
            Claim.objects.filter(pk=claim.pk).update(start=top + 2 * index, end=top + 2 * index + 1)
        Claim.objects.bulk_update(moved, fields)
    return lost


def _worth_a_look(article: Article, result) -> list[dict]:
    """The best-scoring sentences that no claim covers, for reviewers to add by hand.

    Extraction decides what becomes a claim; the ranking scores every sentence. A sentence its
    rules passed over (a first-person sentence, a modal one) may still matter, so the best of
    them are kept with the article. Moderators', hosts' and the audience's are set apart.
    """
    claimed = list(article.claims.values_list("start", "end"))
    found = []
    for candidate in result.candidates:
        if candidate.claimed or candidate.score < CANDIDATE_MIN_SCORE:
            continue
        if candidate.role in SET_APART_ROLES:
            continue
        start, end = candidate.clean_sentence_span
        if any(start < claim_end and claim_start < end for claim_start, claim_end in claimed):
            continue
        found.append(
            {"start": start, "end": end, "score": candidate.score, "speaker": candidate.speaker}
        )
    found.sort(key=lambda item: -item["score"])
    return found[:MAX_CANDIDATES]


def _occurrences(text: str, words: str) -> list[int]:
    found, at = [], text.find(words)
    while at != -1 and len(found) < 1000:
        found.append(at)
        at = text.find(words, at + 1)
    return found


def _replace_claims(article: Article, result) -> None:
    """Claims a person has touched survive a re-run; the untouched ones are replaced.

    A new claim that overlaps a kept one is left out: the person's version wins.
    """
    article.claims.filter(touched=False, origin=Claim.Origin.EXTRACTED).delete()
    # A monitored source's articles: claims under its threshold stay out of the queue.
    monitored = article.feed_source
    created_note = "Extracted from the article"
    if monitored is not None:
        created_note = f"Extracted from an article of {monitored.name}'s feed (monitored)"
    kept_ranges = list(article.claims.values_list("start", "end"))
    kept_spans = set(kept_ranges)
    speakers: dict[str, Speaker] = {}
    new_claims = []
    for item in result.claims:
        start, end = item.clean_content_span
        if (start, end) in kept_spans or not (0 <= start < end <= len(article.text)):
            continue
        if any(start < kept_end and kept_start < end for kept_start, kept_end in kept_ranges):
            continue
        kept_spans.add((start, end))
        speaker = None
        if item.speaker_name:
            key = Speaker.normalise(item.speaker_name)
            if key not in speakers:
                speakers[key] = speaker_get_or_create(
                    name=item.speaker_name,
                    role=item.speaker_role or "",
                    kind=item.speaker_kind or Speaker.Kind.UNKNOWN,
                )
            speaker = speakers[key]
        speaker_span = item.clean_speaker_span or (None, None)
        cue_span = item.clean_cue_span or (None, None)
        sentence_span = item.clean_sentence_span or (None, None)
        score = min(1.0, max(0.0, float(item.checkworthiness)))
        status = Claim.Status.NEW
        if monitored is not None and score < monitored.ingest_threshold:
            status = Claim.Status.BELOW_THRESHOLD
        new_claims.append(
            Claim(
                article=article,
                speaker=speaker,
                speaker_text=(item.speaker or "")[:300],
                via=list(item.via or []),
                cue=(item.cue or "")[:100],
                content=item.content,
                # The extractor's draft; reviewers edit it, and an edit marks the claim touched.
                statement=item.statement or "",
                sentence=item.sentence or "",
                kind=item.kind,
                start=start,
                end=end,
                speaker_start=speaker_span[0],
                speaker_end=speaker_span[1],
                cue_start=cue_span[0],
                cue_end=cue_span[1],
                sentence_start=sentence_span[0],
                sentence_end=sentence_span[1],
                checkworthiness=score,
                status=status,
                feed_source=monitored,
            )
        )
    created = Claim.objects.bulk_create(new_claims)
    ClaimEvent.objects.bulk_create(
        ClaimEvent(claim=claim, action=ClaimEvent.Action.CREATED, note=created_note)
        for claim in created
    )
