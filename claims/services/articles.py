"""Writes on articles: submit pasted text, and the ingest step that turns text into claims.

The slow part (`article_ingest`) runs in the `claims.ingest_article` Celery task, never in a
web request; views only create the article and enqueue the job after the transaction commits.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from claims.models import Article, Claim, ClaimEvent, Speaker
from claims.services.claims import speaker_get_or_create
from claims.services.errors import ServiceError

logger = logging.getLogger(__name__)

EMPTY_TEXT = "The text is empty: paste the article's text or give its address."
TOO_LONG = "The text is longer than {limit:,} characters; split it or raise ARTICLE_MAX_CHARS."
NO_CLAIMS_TEXT = "No article text found in what was given."


class DuplicateArticle(ServiceError):
    """The same article is already in the system; `article` is the existing one."""

    def __init__(self, article: Article) -> None:
        super().__init__("This article is already here; you have been taken to it.")
        self.article = article


def text_hash(text: str) -> str:
    """SHA-256 of the text with whitespace collapsed, so re-pasting is recognised."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def _enqueue_ingest(article: Article) -> None:
    from claims.tasks import ingest_article

    transaction.on_commit(lambda: ingest_article.delay(article.pk))


@transaction.atomic
def article_submit_text(
    *,
    text: str,
    by: AbstractBaseUser | None,
    origin: str = Article.Origin.PASTE,
    filename: str = "",
) -> Article:
    """Store pasted or uploaded text as a queued article and start its ingest job."""
    text = text.replace("\r\n", "\n").replace("\x00", "")
    if not text.strip():
        raise ServiceError(EMPTY_TEXT)
    if len(text) > settings.ARTICLE_MAX_CHARS:
        raise ServiceError(TOO_LONG.format(limit=settings.ARTICLE_MAX_CHARS))
    raw_hash = text_hash(text)
    existing = Article.objects.filter(content_hash=raw_hash).first()
    if existing is not None:
        raise DuplicateArticle(existing)
    article = Article.objects.create(
        origin=origin,
        original_filename=filename[:255],
        raw_text=text,
        content_hash=raw_hash,
        added_by=by,
    )
    _enqueue_ingest(article)
    return article


def _claim_the_work(article_id: int) -> bool:
    """Conditional update so two workers never extract the same article at once.

    A job re-delivered after its worker died finds the article still `extracting`, which is
    fine: extraction replaces unreviewed claims in one transaction, so running again is safe.
    """
    claimable = [Article.Status.QUEUED, Article.Status.EXTRACTING, Article.Status.FAILED]
    return (
        Article.objects.filter(pk=article_id, status__in=claimable).update(
            status=Article.Status.EXTRACTING, failure_reason=""
        )
        == 1
    )


def article_ingest(article_id: int) -> Article | None:
    """Clean the article's text, extract its claims and store them, all or nothing."""
    if not _claim_the_work(article_id):
        return None
    article = Article.objects.get(pk=article_id)
    from claims.extraction import extract

    result = extract(article.raw_text)
    if not result.cleaned_text.strip():
        return article_fail(article, NO_CLAIMS_TEXT)
    try:
        with transaction.atomic():
            _store_extraction(article, result)
    except IntegrityError as exc:
        logger.exception("Storing claims of article %s failed", article_id)
        return article_fail(article, f"Could not store the claims: {exc}")
    return article


def article_fail(article: Article, reason: str) -> Article:
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.FAILED, failure_reason=reason
    )
    article.refresh_from_db()
    return article


def _store_extraction(article: Article, result) -> None:
    article = Article.objects.select_for_update().get(pk=article.pk)
    article.text = result.cleaned_text
    article.headline = article.headline or (result.headline or "")[:500]
    article.outlet_name = article.outlet_name or (result.outlet or "")[:200]
    article.published_on = article.published_on or result.published
    article.language = (result.language or "")[:12]
    if article.outlet is None and article.outlet_name:
        from claims.models import Source

        article.outlet = Source.objects.filter(name__iexact=article.outlet_name).first()
    # Claims a person has touched survive a re-run; the untouched ones are replaced.
    article.claims.filter(touched=False, origin=Claim.Origin.EXTRACTED).delete()
    kept_spans = set(article.claims.values_list("start", "end"))
    speakers: dict[str, Speaker] = {}
    new_claims = []
    for item in result.claims:
        start, end = item.clean_content_span
        if (start, end) in kept_spans or not (0 <= start < end <= len(article.text)):
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
        new_claims.append(
            Claim(
                article=article,
                speaker=speaker,
                speaker_text=(item.speaker or "")[:300],
                via=list(item.via or []),
                cue=(item.cue or "")[:100],
                content=item.content,
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
                checkworthiness=min(1.0, max(0.0, float(item.checkworthiness))),
            )
        )
    created = Claim.objects.bulk_create(new_claims)
    ClaimEvent.objects.bulk_create(
        ClaimEvent(claim=claim, action=ClaimEvent.Action.CREATED, note="Extracted from the article")
        for claim in created
    )
    article.status = Article.Status.READY
    article.failure_reason = ""
    article.save()
