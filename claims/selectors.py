"""Reads for pages and feeds, with their joins decided once so that lists never run N+1 queries."""

from __future__ import annotations

from django.db.models import QuerySet

from claims.models import Article, Claim, Speaker, Verdict


def published_verdicts() -> QuerySet[Verdict]:
    """Everything the public may see, newest first; nothing unpublished ever leaves here."""
    return (
        Verdict.objects.filter(published_at__isnull=False, claim__status=Claim.Status.PUBLISHED)
        .select_related("rating", "claim__speaker", "claim__article__outlet")
        .order_by("-published_at")
    )


def public_verdict(slug: str) -> Verdict | None:
    return (
        published_verdicts()
        .prefetch_related("evidence__outlet", "corrections")
        .filter(slug=slug)
        .first()
    )


def public_speaker(slug: str) -> Speaker | None:
    return (
        Speaker.objects.filter(slug=slug, claims__status=Claim.Status.PUBLISHED).distinct().first()
    )


def review_claims() -> QuerySet[Claim]:
    return Claim.objects.select_related("speaker", "assignee", "article", "verdict__rating")


def review_articles() -> QuerySet[Article]:
    return Article.objects.select_related("outlet", "added_by")
