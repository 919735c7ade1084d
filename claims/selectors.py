"""Reads for pages and feeds, with their joins decided once so that lists never run N+1 queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from claims.models import (
    Article,
    Claim,
    ClaimEvent,
    ClaimMatch,
    Comment,
    Evidence,
    MatchingSettings,
    Speaker,
    Verdict,
    VerdictCorrection,
    VerdictRating,
)


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


@dataclass
class QueueFilters:
    """What the queue's filter form asks for; empty values mean "any"."""

    status: str = ""
    assignee: int | None = None
    mine: bool = False
    article: int | None = None
    speaker: str = ""
    kind: str = ""
    score_min: float | None = None
    score_max: float | None = None
    sort: str = "score"
    extra: dict[str, object] = field(default_factory=dict)


QUEUE_DEFERRED = (
    "sentence",
    "via",
    "article__text",
    "article__raw_text",
    "article__turns",
    "verdict__explanation",
    "speaker__aliases",
)

QUEUE_SORTS = {
    "score": ("-checkworthiness", "-created_at", "-id"),
    "newest": ("-created_at", "-id"),
}


def _queue_filtered(filters: QueueFilters, user: AbstractBaseUser) -> QuerySet[Claim]:
    claims = Claim.objects.all()
    if filters.mine:
        claims = claims.filter(assignee=user)
    elif filters.assignee:
        claims = claims.filter(assignee_id=filters.assignee)
    if filters.article:
        claims = claims.filter(article_id=filters.article)
    if filters.speaker:
        claims = claims.filter(
            Q(speaker__name__icontains=filters.speaker) | Q(speaker_text__icontains=filters.speaker)
        )
    if filters.kind:
        claims = claims.filter(kind=filters.kind)
    if filters.score_min is not None:
        claims = claims.filter(checkworthiness__gte=filters.score_min)
    if filters.score_max is not None:
        claims = claims.filter(checkworthiness__lte=filters.score_max)
    return claims


def review_queue(filters: QueueFilters, user: AbstractBaseUser) -> QuerySet[Claim]:
    """The claims the queue lists, joined for its columns in the one query."""
    claims = _queue_filtered(filters, user)
    if filters.status:
        claims = claims.filter(status=filters.status)
    order = QUEUE_SORTS.get(filters.sort, QUEUE_SORTS["score"])
    return (
        claims.select_related("speaker", "assignee", "article", "verdict__rating")
        .prefetch_related(strong_fact_check_matches())
        # The articles' texts are large and the queue never shows them; carrying them through
        # the sort makes deep pages slow.
        .defer(*QUEUE_DEFERRED)
        .order_by(*order)
    )


def review_queue_counts(filters: QueueFilters, user: AbstractBaseUser) -> dict[str, int]:
    """Claims per status under every filter except the status itself: one query."""
    rows = _queue_filtered(filters, user).order_by().values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(Claim.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def staff_users() -> QuerySet:
    """People who can be assigned claims: everyone with the reviewer permission."""
    perm = Q(groups__permissions__codename="review_claim") | Q(
        user_permissions__codename="review_claim"
    )
    ids = get_user_model().objects.filter(perm | Q(is_superuser=True)).values("pk")
    return get_user_model().objects.filter(is_active=True, pk__in=ids).order_by("username")


def article_claims(article: Article) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(article=article)
        .select_related("speaker", "assignee", "verdict__rating")
        .order_by("start", "end")
    )


def review_claim(pk: int) -> Claim | None:
    """One claim with everything its page shows, each list fetched once."""
    return (
        Claim.objects.select_related(
            "speaker",
            "assignee",
            "article__outlet",
            "duplicate_of",
            "verdict__rating",
            "verdict__author",
            "verdict__approver",
        )
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("outlet").order_by(
                    "-score", "created_at", "id"
                ),
            ),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
            Prefetch(
                "events",
                queryset=ClaimEvent.objects.select_related("actor").order_by("-created_at", "-id"),
            ),
            Prefetch(
                "verdict__corrections",
                queryset=VerdictCorrection.objects.select_related(
                    "corrected_by", "previous_rating"
                ),
            ),
            "verdict__evidence",
            strong_fact_check_matches(),
        )
        .filter(pk=pk)
        .first()
    )


def sibling_claims(claim: Claim) -> QuerySet[Claim]:
    """The other claims of the same article, for merge and duplicate pickers."""
    return (
        Claim.objects.filter(article_id=claim.article_id)
        .exclude(pk=claim.pk)
        .only("id", "content", "start", "status")
        .order_by("start")
    )


def speaker_names(limit: int = 2000) -> list[str]:
    return list(Speaker.objects.order_by("name").values_list("name", flat=True)[:limit])


def rating_scale() -> QuerySet[VerdictRating]:
    return VerdictRating.objects.order_by("order")


@dataclass
class DashboardStats:
    claims_by_status: list[tuple[str, str, int]]
    verdicts_by_rating: list[tuple[VerdictRating, int]]
    weeks: list[tuple[datetime.date, int, int]]  # week start, claims added, verdicts published


def dashboard_stats(weeks: int = 12) -> DashboardStats:
    """Counts for the dashboard, in four aggregate queries whatever the size of the data."""
    by_status = dict(
        Claim.objects.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    ratings = list(
        VerdictRating.objects.annotate(
            n=Count(
                "verdicts",
                filter=Q(
                    verdicts__published_at__isnull=False,
                    verdicts__claim__status=Claim.Status.PUBLISHED,
                ),
            )
        ).order_by("order")
    )
    today = timezone.localdate()
    first_week = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    since = timezone.make_aware(datetime.datetime.combine(first_week, datetime.time.min))
    added = _per_week(Claim.objects.filter(created_at__gte=since), "created_at")
    published = _per_week(
        Verdict.objects.filter(published_at__gte=since, claim__status=Claim.Status.PUBLISHED),
        "published_at",
    )
    week_starts = [first_week + datetime.timedelta(days=7 * i) for i in range(weeks)]
    return DashboardStats(
        claims_by_status=[
            (value, label, by_status.get(value, 0)) for value, label in Claim.Status.choices
        ],
        verdicts_by_rating=[(rating, rating.n) for rating in ratings],
        weeks=[(week, added.get(week, 0), published.get(week, 0)) for week in week_starts],
    )


def _per_week(queryset: QuerySet, field_name: str) -> dict[datetime.date, int]:
    rows = (
        queryset.order_by()
        .annotate(week=TruncWeek(field_name))
        .values("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    result: dict[datetime.date, int] = {}
    for week, n in rows:
        day = week.date() if isinstance(week, datetime.datetime) else week
        result[day] = result.get(day, 0) + n
    return result


def review_articles() -> QuerySet[Article]:
    return Article.objects.select_related("outlet", "added_by")


def match_threshold() -> float:
    """The admin-set score from which a match counts as "already fact-checked"."""
    return MatchingSettings.current().threshold


def strong_fact_check_matches() -> Prefetch:
    """A claim's matches at or above the admin-set threshold, best first, as
    `claim.strong_matches`; the threshold is read inside the same query."""
    threshold = Coalesce(
        Subquery(MatchingSettings.objects.filter(pk=1).values("threshold")[:1]),
        Value(MatchingSettings._meta.get_field("threshold").default),
    )
    return Prefetch(
        "fact_check_matches",
        queryset=ClaimMatch.objects.filter(score__gte=threshold)
        .select_related("document__fact_check", "document__verdict__rating")
        .defer("document__text", "document__embedding")
        .order_by("-score", "rank"),
        to_attr="strong_matches",
    )
