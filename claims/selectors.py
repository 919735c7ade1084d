"""Reads for pages and feeds, with their joins decided once so that lists never run N+1 queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from claims.models import (
    Article,
    Claim,
    ClaimEvent,
    ClaimMatch,
    Comment,
    CorroborationRun,
    Evidence,
    MatchingSettings,
    Speaker,
    Verdict,
    VerdictCorrection,
    VerdictRating,
    normalise_domain,
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
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("outlet").order_by("pk")),
            Prefetch(
                "corrections",
                queryset=VerdictCorrection.objects.select_related("previous_rating").order_by(
                    "created_at", "id"
                ),
            ),
        )
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


@dataclass
class EvidenceSummary:
    """What the claim page says about its evidence beside the list itself."""

    run: CorroborationRun | None
    independent_outlets: int
    flagged_links: int


def claim_evidence_summary(claim: Claim) -> EvidenceSummary:
    """The latest evidence search, and counts over the claim's (prefetched) evidence.

    "Independent outlets" counts each wire-copy group once and each outlet once, over the
    evidence nobody has marked irrelevant (see `claims.corroboration.copies`)."""
    from claims.corroboration.copies import independent_count

    evidence = list(claim.evidence.all())
    counted = [e for e in evidence if e.stance != Evidence.Stance.IRRELEVANT]
    return EvidenceSummary(
        run=claim.corroboration_runs.order_by("-created_at", "-id").first(),
        independent_outlets=independent_count(
            (e.copy_group or e.pk, e.outlet_id or normalise_domain(urlsplit(e.url).hostname or ""))
            for e in counted
        ),
        flagged_links=sum(1 for e in evidence if e.link_needs_attention),
    )


def claim_with_evidence() -> QuerySet[Claim]:
    """Claims with their evidence (and its outlets) prefetched, for the evidence summary."""
    return Claim.objects.prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("outlet"))
    )


def claim_candidates(claim: Claim) -> list[Evidence]:
    """The claim's evidence best first, as the `corroborate` command prints it."""
    return list(
        Evidence.objects.filter(claim=claim)
        .select_related("outlet")
        .order_by(F("score").desc(nulls_last=True), "created_at", "id")
    )


# --- The public site ------------------------------------------------------------------------
# Every read below starts from `published_verdicts()`, so nothing unpublished can reach a public
# page, feed, sitemap or public API response. Lists defer the large text columns they never show.

PUBLIC_LIST_DEFERRED = (
    "claim__sentence",
    "claim__via",
    "claim__article__text",
    "claim__article__raw_text",
)
# Past this many matches a list says "more than …" instead of counting every row, so that no
# page's cost grows with the number of published verdicts.
PUBLIC_COUNT_LIMIT = 10_000


@dataclass
class VerdictFilters:
    """What /verdicts/ and GET /api/verdicts filter on; empty values mean "any"."""

    q: str = ""
    rating: str = ""
    speaker: str = ""
    outlet: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @property
    def active(self) -> bool:
        return any((self.q, self.rating, self.speaker, self.outlet, self.date_from, self.date_to))


def public_verdict_list(filters: VerdictFilters | None = None) -> QuerySet[Verdict]:
    """Published verdicts matching the filters, newest first, joined for a list's columns."""
    from claims.public_search import verdict_ids_matching

    filters = filters or VerdictFilters()
    verdicts = published_verdicts().defer(*PUBLIC_LIST_DEFERRED)
    if filters.q:
        matching = verdict_ids_matching(filters.q)
        if matching is not None:
            verdicts = verdicts.filter(pk__in=matching)
    if filters.rating:
        verdicts = verdicts.filter(rating__slug=filters.rating)
    if filters.speaker:
        verdicts = verdicts.filter(claim__speaker__slug=filters.speaker)
    if filters.outlet:
        # An outlet's name (as listed in the filter) or its source's slug.
        verdicts = verdicts.filter(
            Q(claim__article__outlet__slug=filters.outlet)
            | Q(claim__article__outlet__name__iexact=filters.outlet)
            | Q(
                claim__article__outlet__isnull=True,
                claim__article__outlet_name__iexact=filters.outlet,
            )
        )
    if filters.date_from:
        verdicts = verdicts.filter(published_at__gte=_start_of_day(filters.date_from))
    if filters.date_to:
        next_day = filters.date_to + datetime.timedelta(days=1)
        verdicts = verdicts.filter(published_at__lt=_start_of_day(next_day))
    return verdicts.order_by("-published_at", "-id")


def _start_of_day(day: datetime.date) -> datetime.datetime:
    # A range on the column itself (not on its date) keeps the published_at index usable.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def capped_count(queryset: QuerySet, limit: int = PUBLIC_COUNT_LIMIT) -> int:
    """The number of rows, counted up to `limit` + 1 at most (one bounded query)."""
    return queryset.order_by()[: limit + 1].count()


def public_rating_counts(*, speaker: Speaker | None = None) -> list[tuple[VerdictRating, int]]:
    """Published verdicts per rating, every rating of the scale listed (zeros too), in order."""
    verdicts = published_verdicts().order_by()
    if speaker is not None:
        verdicts = verdicts.filter(claim__speaker=speaker)
    counts = dict(verdicts.values_list("rating").annotate(n=Count("id")).values_list("rating", "n"))
    return [(rating, counts.get(rating.pk, 0)) for rating in rating_scale()]


def public_other_verdicts(verdict: Verdict, limit: int = 5) -> QuerySet[Verdict]:
    """The speaker's other published verdicts, newest first, for "other checks of …"."""
    if not verdict.claim.speaker_id:
        return Verdict.objects.none()
    return (
        public_verdict_list(VerdictFilters())
        .filter(claim__speaker_id=verdict.claim.speaker_id)
        .exclude(pk=verdict.pk)[:limit]
    )


def public_speakers(q: str = "", *, counted: bool = True) -> QuerySet[Speaker]:
    """Speakers with at least one published verdict, with how many, by name.

    A semi-join and a per-row count rather than a GROUP BY over every published claim, so that
    a page of 50 speakers costs the same however many verdicts there are.
    """
    published = Claim.objects.filter(
        speaker=OuterRef("pk"),
        status=Claim.Status.PUBLISHED,
        verdict__published_at__isnull=False,
    )
    speakers = Speaker.objects.filter(Exists(published))
    if q:
        speakers = speakers.filter(Q(name__icontains=q) | Q(role__icontains=q))
    if counted:
        count = published.order_by().values("speaker").annotate(n=Count("pk")).values("n")
        speakers = speakers.annotate(verdict_count=Subquery(count))
    return speakers.defer("aliases").order_by("normalised_name", "id")


def public_outlet_names(limit: int = 200) -> list[str]:
    """Outlets whose articles hold claims we have published verdicts on, for the outlet filter:
    the matched source's name, or the name the page gave when no source matched."""
    names = (
        published_verdicts()
        .order_by()
        .annotate(outlet=Coalesce("claim__article__outlet__name", "claim__article__outlet_name"))
        .exclude(outlet="")
        .values_list("outlet", flat=True)
        .distinct()
    )
    return sorted(set(names[: limit * 2]), key=str.lower)[:limit]


@dataclass
class CorrectionEntry:
    """One line of a verdict's public corrections log."""

    when: datetime.datetime
    previous_rating: VerdictRating | None
    new_rating: VerdictRating | None
    reason: str


def public_corrections_log(verdict: Verdict) -> list[CorrectionEntry]:
    """What changed and why, oldest first: each correction's rating before, and the one after
    (the next correction's "before", or the current rating for the latest)."""
    corrections = list(verdict.corrections.all())
    entries = []
    for index, correction in enumerate(corrections):
        later = corrections[index + 1] if index + 1 < len(corrections) else None
        entries.append(
            CorrectionEntry(
                when=correction.created_at,
                previous_rating=correction.previous_rating,
                new_rating=later.previous_rating if later else verdict.rating,
                reason=correction.reason,
            )
        )
    return entries


def claim_review_feed_verdicts() -> QuerySet[Verdict]:
    """Every published verdict with what its ClaimReview needs, newest first; read it with
    `.iterator(chunk_size=…)` so that corrections are fetched per chunk and memory stays flat."""
    return public_verdict_list().prefetch_related(
        Prefetch("corrections", queryset=VerdictCorrection.objects.order_by("created_at", "id"))
    )
