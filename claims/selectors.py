"""Reads for pages and feeds, with their joins decided once so that lists never run N+1 queries."""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)

# Row comparisons, (a, b) < (x, y): Django's own, written for composite primary keys.
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.functions import Coalesce, TruncWeek
from django.http import QueryDict
from django.utils import timezone

from claims.models import (
    ActivityHour,
    Article,
    Claim,
    ClaimEvent,
    ClaimMatch,
    ClaimStatusCount,
    Comment,
    CorroborationRun,
    Evidence,
    MatchingSettings,
    Notification,
    NotificationPreference,
    PublishedRatingCount,
    SavedView,
    Source,
    Speaker,
    SpeakerRatingCount,
    Verdict,
    VerdictCorrection,
    VerdictRating,
    normalise_domain,
)


def published_verdicts() -> QuerySet[Verdict]:
    """Everything the public may see, newest first; nothing unpublished ever leaves here.

    Public means published and not taken down; triggers keep that answer on the verdict
    (`Verdict.public`, see claims/counters.py), where the lists' partial indexes serve it.
    Public readers show the published version (`published_rating`, `published_explanation`,
    `shown_statement`, `shown_quote`, `published_speaker`, `published_evidence`), never the
    draft fields (`rating`, `explanation`, `evidence`, the claim's own text and speaker), which
    reviewers change while a reopened claim is reworked.
    """
    return (
        Verdict.objects.filter(public=True)
        .select_related("published_rating", "published_speaker", "claim__article__outlet")
        .order_by("-published_at")
    )


def _of_speaker(verdicts: QuerySet[Verdict], **speaker: object) -> QuerySet[Verdict]:
    """Public verdicts in a speaker's record (`speaker` a lookup on the published speaker,
    e.g. slug=…), read off their own index (verdict_public_speaker_idx)."""
    lookups = {f"published_speaker__{name}": value for name, value in speaker.items()}
    return verdicts.filter(**lookups)


def public_verdict(slug: str) -> Verdict | None:
    return (
        published_verdicts()
        .prefetch_related(Prefetch("corrections", queryset=public_corrections()))
        .filter(slug=slug)
        .first()
    )


def public_speaker(slug: str) -> Speaker | None:
    """The speaker, if they have a public record (read from the counters, not their claims)."""
    return Speaker.objects.filter(Exists(_public_record()), slug=slug).first()


def _public_record(speaker=None) -> QuerySet[SpeakerRatingCount]:
    """A speaker's counts of public verdicts per rating (claims/counters.py keeps them)."""
    speaker = OuterRef("pk") if speaker is None else speaker
    return SpeakerRatingCount.objects.filter(speaker_id=speaker, count__gt=0)


def review_claims() -> QuerySet[Claim]:
    return Claim.objects.select_related(
        "speaker", "assignee", "article", "verdict__rating", "feed_source"
    )


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
    q: str = ""
    feed_source: int | None = None
    overdue: bool = False
    sort: str = "score"
    # Awaiting approval, and not the person's own verdict: what an editor can approve.
    for_approval: bool = False
    # "today" or "week": claims created since the start of today or in the past seven days.
    added: str = ""
    # One of Claim.Priority's values: claims of that priority only.
    priority: int | None = None
    # Published verdicts with a correction waiting for a second editor (what editors approve).
    correction_waiting: bool = False
    extra: dict[str, object] = field(default_factory=dict)

    def narrows(self) -> bool:
        """Whether anything but the status tab and the sort limits the claims."""
        return bool(
            self.mine
            or self.assignee
            or self.article
            or self.speaker
            or self.kind
            or self.score_min is not None
            or self.score_max is not None
            or self.q
            or self.feed_source
            or self.for_approval
            or self.added
            or self.overdue
            or self.priority is not None
            or self.correction_waiting
            # Sorting by due date lists only the claims that have one.
            or self.sort == "due"
        )


# The columns the queue shows, and no more: the page's cost is mostly turning rows into
# objects. A column read that is not here costs a query per row, which the pinned query
# counts in tests/test_review_queue.py catch.
QUEUE_COLUMNS = (
    "id",
    "article_id",
    "speaker_id",
    "assignee_id",
    "speaker_text",
    "cue",
    "content",
    "kind",
    "checkworthiness",
    "status",
    "created_at",
    # The bulk actions send it back, so that a claim changed meanwhile is refused.
    "version",
    "speaker__id",
    "speaker__name",
    "assignee__id",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "article__id",
    "article__headline",
    "article__kind",
    "verdict__id",
    "verdict__claim_id",
    "verdict__rating_id",
    "verdict__rating__id",
    "verdict__rating__name",
    "verdict__rating__colour",
    "feed_source_id",
    "feed_source__id",
    "feed_source__name",
    "due_on",
    "priority",
)

# Each order ends in the id so that it is total; claims/models.py has an index for each.
# "due" lists only claims with a due date (see _queue_filtered), soonest first.
QUEUE_SORTS = {
    "score": ("-checkworthiness", "-created_at", "-id"),
    "newest": ("-created_at", "-id"),
    "due": ("due_on", "id"),
    # Urgent, then high, then normal; the most check-worthy first within each.
    "priority": ("-priority", "-checkworthiness", "-created_at", "-id"),
}
QUEUE_PAGE_SIZE = 25
# Counts under a filter stop here ("1,000+"): counting every match would read them all.
QUEUE_COUNT_CAP = 1000


def _is_postgresql(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())[:20]


# Up to this many speakers match a name, their ids go into the query as a list. A name common
# to many speakers ("Speaker 1" among 5,000 at a million claims matched 1,111) must still be
# a list: as a subquery the planner took it for one speaker and read 200,000 claims by speaker
# instead of walking the queue's order (3.5 s against 17 ms).
SPEAKER_FILTER_IDS = 10_000


def _speaker_filter(claims: QuerySet[Claim], filters: QueueFilters) -> QuerySet[Claim]:
    """Claims of the speakers whose name contains `text`.

    The speakers are looked up first (a table of thousands, not millions) and their ids given
    to the claims query as a list: the planner then knows from its statistics whether they are
    rare (read their claims by the speaker index) or common (walk the queue's order and keep
    theirs). Given as a subquery, it guessed "a few hundred claims" for any name and walked the
    whole table for a speaker with three. How the article wrote the speaker ("US Assistant
    Secretary of State …") is found with the search box.
    """
    speakers = Speaker.objects.filter(name__icontains=filters.speaker).values_list("pk", flat=True)
    if "speaker_ids" not in filters.extra:  # once per request: the page and the counts
        filters.extra["speaker_ids"] = list(speakers[: SPEAKER_FILTER_IDS + 1])
    ids = filters.extra["speaker_ids"]
    if len(ids) > SPEAKER_FILTER_IDS:
        return claims.filter(speaker__in=speakers)
    return claims.filter(speaker_id__in=ids) if ids else claims.none()


def _search_filter(claims: QuerySet[Claim], text: str) -> QuerySet[Claim]:
    """Free-text search over the claim, its speaker and its article's headline.

    PostgreSQL: web-search syntax ("quoted phrase", -word, or) on the search column with its GIN
    index, words stemmed. SQLite: every word must appear in one of those fields.
    """
    if _is_postgresql(claims):
        return claims.filter(
            search_vector=SearchQuery(text, search_type="websearch", config="english")
        )
    for word in _words(text):
        claims = claims.filter(
            Q(content__icontains=word)
            | Q(statement__icontains=word)
            | Q(speaker_text__icontains=word)
            | Q(speaker__name__icontains=word)
            | Q(article__headline__icontains=word)
        )
    return claims


def _queue_filtered(filters: QueueFilters, user: AbstractBaseUser) -> QuerySet[Claim]:
    claims = Claim.objects.all()
    if filters.mine:
        claims = claims.filter(assignee=user)
    elif filters.assignee:
        claims = claims.filter(assignee_id=filters.assignee)
    if filters.article:
        claims = claims.filter(article_id=filters.article)
    if filters.speaker:
        claims = _speaker_filter(claims, filters)
    if filters.kind:
        claims = claims.filter(kind=filters.kind)
    if filters.score_min is not None:
        claims = claims.filter(checkworthiness__gte=filters.score_min)
    if filters.score_max is not None:
        claims = claims.filter(checkworthiness__lte=filters.score_max)
    if filters.q:
        claims = _search_filter(claims, filters.q)
    if filters.feed_source:
        claims = claims.filter(feed_source_id=filters.feed_source)
    if filters.for_approval:
        claims = claims.filter(status=Claim.Status.AWAITING_APPROVAL).exclude(verdict__author=user)
    if filters.added:
        claims = claims.filter(created_at__gte=added_since(filters.added))
    if filters.priority is not None:
        claims = claims.filter(priority=filters.priority)
    if filters.correction_waiting:
        claims = claims.filter(pk__in=_claims_with_correction_waiting())
    if filters.overdue or filters.sort == "due":
        # Spelled out so that the partial due-date indexes apply.
        claims = claims.filter(due_on__isnull=False)
    if filters.overdue:
        claims = claims.filter(due_on__lt=timezone.localdate(), status__in=Claim.OPEN_STATUSES)
    return claims


def _claims_with_correction_waiting() -> QuerySet:
    """Ids of the claims whose verdict has a proposed correction: read off the partial unique
    index of waiting proposals (one per verdict), so the cost is that of the few waiting, not of
    all claims or all corrections."""
    return VerdictCorrection.objects.filter(status=VerdictCorrection.Status.PROPOSED).values(
        "verdict__claim_id"
    )


def corrections_waiting_count() -> int:
    """Corrections waiting for a second editor, counted up to QUEUE_COUNT_CAP + 1 off the same
    partial index: shown to editors on the queue and the dashboard."""
    waiting = VerdictCorrection.objects.filter(status=VerdictCorrection.Status.PROPOSED)
    return capped_count(waiting, QUEUE_COUNT_CAP)


def added_since(period: str) -> datetime.datetime:
    """Where the "added" filter starts: today's midnight (local time) or seven days ago."""
    now = timezone.now()
    if period == "week":
        return now - datetime.timedelta(days=7)
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def _queue_claims(filters: QueueFilters, user: AbstractBaseUser) -> QuerySet[Claim]:
    """The claims the queue lists under these filters, status tab included, in no order.

    "All" is every claim but those below a monitored source's threshold: they have a tab of
    their own, so that a busy feed never crowds the claims people chose to look at.
    """
    claims = _queue_filtered(filters, user)
    if filters.status == "open":  # someone still has to act on them
        return claims.filter(status__in=Claim.OPEN_STATUSES)
    if filters.status:
        return claims.filter(status=filters.status)
    return claims.exclude(status=Claim.Status.BELOW_THRESHOLD)


def _queue_order(filters: QueueFilters) -> tuple[str, ...]:
    return QUEUE_SORTS.get(filters.sort, QUEUE_SORTS["score"])


def review_queue(filters: QueueFilters, user: AbstractBaseUser) -> QuerySet[Claim]:
    """The claims the queue lists, in its order (unsliced: callers take a page of it)."""
    return _queue_claims(filters, user).order_by(*_queue_order(filters))


@dataclass
class QueuePage:
    """One page of the queue, and the keys of the pages either side ("" when there is none)."""

    claims: list[Claim]
    next_cursor: str = ""
    previous_cursor: str = ""

    @property
    def is_first(self) -> bool:
        return not self.previous_cursor


def _sort_key(claim: Claim, order: tuple[str, ...]) -> tuple:
    return tuple(getattr(claim, name.lstrip("-")) for name in order)


def _encode_cursor(key: tuple) -> str:
    parts = []
    for value in key:
        if isinstance(value, datetime.datetime):
            value = round(value.timestamp() * 1_000_000)
        elif isinstance(value, datetime.date):
            value = value.toordinal()
        parts.append(repr(value))
    return "_".join(parts)


def _decode_cursor(text: str, order: tuple[str, ...]) -> tuple | None:
    """The sort key a cursor names, or None for anything that is not one of ours."""
    parts = text.split("_")
    if len(parts) != len(order):
        return None
    key: list[object] = []
    try:
        for name, part in zip(order, parts, strict=True):
            name = name.lstrip("-")
            if name == "checkworthiness":
                score = float(part)
                if not math.isfinite(score):
                    return None
                key.append(score)
            elif name == "created_at":
                key.append(datetime.datetime.fromtimestamp(int(part) / 1_000_000, tz=datetime.UTC))
            elif name == "due_on":
                key.append(datetime.date.fromordinal(int(part)))
            elif name == "priority":
                priority = int(part)
                if priority not in Claim.Priority.values:
                    return None
                key.append(priority)
            else:
                number = int(part)
                if not 0 < number < 2**63:
                    return None
                key.append(number)
    except (ValueError, OverflowError, OSError):
        return None
    return tuple(key)


def _beyond(
    order: tuple[str, ...], key: tuple, *, forward: bool, row_values: bool = False
) -> Q | TupleLessThan | TupleGreaterThan:
    """Rows after `key` in `order`, or before it when not `forward`.

    With `row_values` (PostgreSQL) and every column sorted the same way, as each of the queue's
    sorts is: one row comparison, (a, b, c) < (x, y, z), which the index scan starts at exactly.
    Otherwise written out as (a < x) or (a = x and b < y) or … (> for ascending columns), with
    a leading a <= x that lets the database start the index scan at the key instead of
    filtering from the top. That start is only as good as the first column is varied: for the
    priority sort (three values) it read every claim of the key's priority before the key.
    """
    if row_values and len({name.startswith("-") for name in order}) == 1:
        columns = Tuple(*(F(name.lstrip("-")) for name in order))
        lookup = TupleLessThan if order[0].startswith("-") == forward else TupleGreaterThan
        return lookup(columns, key)
    names = [name.lstrip("-") for name in order]
    lookups = ["lt" if name.startswith("-") == forward else "gt" for name in order]
    condition = Q()
    for index, name in enumerate(names):
        step = Q(**{f"{name}__{lookups[index]}": key[index]})
        for earlier in range(index):
            step &= Q(**{names[earlier]: key[earlier]})
        condition |= step
    return Q(**{f"{names[0]}__{lookups[0]}e": key[0]}) & condition


def _reversed(order: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name[1:] if name.startswith("-") else f"-{name}" for name in order)


def review_queue_page(
    filters: QueueFilters,
    user: AbstractBaseUser,
    *,
    after: str = "",
    before: str = "",
    size: int = QUEUE_PAGE_SIZE,
) -> QueuePage:
    """One page of the queue, in one query whose cost does not grow with the table.

    The page's ids come first, straight off the index for the sort (see Claim.Meta.indexes);
    the joins for the columns run only for those rows. Pages are keyset pages: `after` and
    `before` are the sort keys of the last and first rows of the page the person was on, so page
    500 costs what page 1 costs and no claim is skipped or repeated while others change.
    """
    order = _queue_order(filters)
    claims = _queue_claims(filters, user)
    after_key = _decode_cursor(after, order) if after else None
    before_key = _decode_cursor(before, order) if before and not after_key else None
    window_order = order
    row_values = _is_postgresql(claims)
    if after_key:
        claims = claims.filter(_beyond(order, after_key, forward=True, row_values=row_values))
    elif before_key:
        claims = claims.filter(_beyond(order, before_key, forward=False, row_values=row_values))
        window_order = _reversed(order)
    ids = claims.order_by(*window_order).values("pk")[: size + 1]
    rows = list(
        review_claims()
        .prefetch_related(strong_fact_check_matches())
        .only(*QUEUE_COLUMNS)
        .filter(pk__in=ids)
        .order_by(*order)
    )
    more = len(rows) > size
    if before_key:
        rows = rows[1:] if more else rows
        has_previous, has_next = more, True
    else:
        rows = rows[:size]
        has_previous, has_next = bool(after_key), more
    return QueuePage(
        claims=rows,
        next_cursor=_encode_cursor(_sort_key(rows[-1], order)) if rows and has_next else "",
        previous_cursor=_encode_cursor(_sort_key(rows[0], order)) if rows and has_previous else "",
    )


# The export reads the queue this many claims at a time (one query each).
EXPORT_CHUNK_SIZE = 1000
# What an export row shows (claims/exports.py), and no more: the article's text stays behind.
EXPORT_COLUMNS = (
    *(column for column in QUEUE_COLUMNS if not column.startswith("article__")),
    "statement",
    "updated_at",
    "speaker__role",
    "article__id",
    "article__headline",
    "article__url",
    "article__outlet_name",
    "verdict__published_at",
)


def export_claim_chunks(
    filters: QueueFilters, user: AbstractBaseUser, *, chunk_size: int | None = None
) -> Iterator[list[Claim]]:
    """Every claim the queue lists under these filters, in its order, `chunk_size` at a time.

    Keyset chunks ("after this claim", as the queue's pages): each chunk is one query that
    starts where the last ended, off the sort's index, so the 100th chunk costs what the first
    does and only one chunk is ever in memory. Each claim carries `evidence_count`.
    """
    chunk_size = chunk_size or EXPORT_CHUNK_SIZE
    order = _queue_order(filters)
    claims = _queue_claims(filters, user)
    evidence_count = (
        Evidence.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        review_claims()
        .only(*EXPORT_COLUMNS)
        .annotate(evidence_count=Coalesce(Subquery(evidence_count), 0))
        .order_by(*order)
    )
    key = None
    row_values = _is_postgresql(claims)
    while True:
        after = (
            claims
            if key is None
            else claims.filter(_beyond(order, key, forward=True, row_values=row_values))
        )
        # The chunk's ids straight off the sort's index, then the joins for those rows only.
        ids = after.order_by(*order).values("pk")[:chunk_size]
        chunk = list(rows.filter(pk__in=ids))
        if chunk:
            yield chunk
        if len(chunk) < chunk_size:
            return
        key = _sort_key(chunk[-1], order)


@dataclass
class StatusCounts:
    """Claims per status for the queue's tabs; `capped` statuses have at least that many.

    When `split_known` is false there were more than the cap in all and the split per status
    was not counted: the tabs then show no numbers and "All" shows the cap with a plus.
    """

    counts: dict[str, int]
    capped: set[str] = field(default_factory=set)
    split_known: bool = True

    @property
    def total(self) -> int:
        """What "All" lists: every status but the claims below a monitored threshold."""
        return sum(n for status, n in self.counts.items() if status != Claim.Status.BELOW_THRESHOLD)

    @property
    def total_capped(self) -> bool:
        return bool(self.capped - {Claim.Status.BELOW_THRESHOLD})


def review_queue_counts(filters: QueueFilters, user: AbstractBaseUser) -> StatusCounts:
    """Claims per status under every filter except the status itself, in one query whose cost
    does not grow with the table.

    - No filter: the counters that triggers keep (claims/counters.py).
    - Filters with an index per status (assignee, article, score range): each status counted up
      to QUEUE_COUNT_CAP + 1 rows off its index ("1,000+").
    - Text and kind filters, which no status index serves: up to QUEUE_COUNT_CAP + 1 matching
      rows read once in any order and split by status; past the cap only the total is known.
      Counting each status separately would read every claim of a status the text is rare in.
    """
    counts = dict.fromkeys(Claim.Status.values, 0)
    if not filters.narrows():
        counts.update(
            ClaimStatusCount.objects.filter(status__in=counts).values_list("status", "count")
        )
        return StatusCounts(counts=counts)
    claims = _queue_filtered(filters, user).order_by()
    if claims.query.is_empty():
        return StatusCounts(counts=counts)
    # The correction filter's claims are few and all published: read once, not per status.
    if filters.q or filters.speaker or filters.kind or filters.correction_waiting:
        return _counts_in_one_capped_read(claims, counts)
    return _counts_capped_per_status(claims, counts)


def _counts_capped_per_status(claims: QuerySet[Claim], counts: dict[str, int]) -> StatusCounts:
    parts, params = [], []
    for status in counts:
        capped = claims.filter(status=status).values("pk")[: QUEUE_COUNT_CAP + 1]
        sql, capped_params = capped.query.get_compiler(using=claims.db).as_sql()
        # Django's own SQL and parameters, wrapped; status values are the model's constants.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped_{status})")  # noqa: S608
        params.extend(capped_params)
    with connections[claims.db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    result = StatusCounts(counts=counts)
    for status, n in zip(list(counts), row, strict=True):
        if n > QUEUE_COUNT_CAP:
            result.capped.add(status)
        counts[status] = min(n, QUEUE_COUNT_CAP)
    return result


def _counts_in_one_capped_read(claims: QuerySet[Claim], counts: dict[str, int]) -> StatusCounts:
    capped = claims.values("status")[: QUEUE_COUNT_CAP + 1]
    sql, params = capped.query.get_compiler(using=claims.db).as_sql()
    with connections[claims.db].cursor() as cursor:
        # Django's own SQL and parameters, wrapped.
        cursor.execute(
            f"SELECT status, COUNT(*) FROM ({sql}) AS capped GROUP BY status",  # noqa: S608
            params,
        )
        found = dict(cursor.fetchall())
    if sum(found.values()) <= QUEUE_COUNT_CAP:
        counts.update((status, n) for status, n in found.items() if status in counts)
        return StatusCounts(counts=counts)
    counts = dict.fromkeys(counts, 0)
    counts[next(iter(counts))] = QUEUE_COUNT_CAP
    return StatusCounts(counts=counts, capped=set(counts), split_known=False)


def monitored_sources() -> QuerySet[Source]:
    """Sources whose feeds are ingested automatically, for the queue's feed filter."""
    return Source.objects.filter(auto_ingest=True).only("id", "name").order_by("name")


# The ingest form suggests this many outlet names at most; a name not among them still matches.
MAX_OUTLET_SUGGESTIONS = 500


def outlet_names() -> list[str]:
    """Names of the active sources, for the ingest form's outlet suggestions."""
    names = Source.objects.filter(active=True).order_by("name").values_list("name", flat=True)
    return list(names[:MAX_OUTLET_SUGGESTIONS])


def users_with_permission(codename: str) -> QuerySet:
    """Active people holding a claims permission, through a role, directly or as superusers."""
    perm = Q(groups__permissions__codename=codename) | Q(user_permissions__codename=codename)
    ids = get_user_model().objects.filter(perm | Q(is_superuser=True)).values("pk")
    return get_user_model().objects.filter(is_active=True, pk__in=ids).order_by("username")


def staff_users() -> QuerySet:
    """People who can be assigned claims: everyone with the reviewer permission."""
    return users_with_permission("review_claim")


def editors() -> QuerySet:
    """People who can approve verdicts."""
    return users_with_permission("approve_verdict")


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
            "feed_source",
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
                    "corrected_by", "decided_by", "previous_rating", "new_rating"
                ).order_by("created_at", "id"),
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
    corrections_waiting: int = 0


def dashboard_stats(weeks: int = 12) -> DashboardStats:
    """Counts for the dashboard: three small reads of the counters that triggers keep
    (claims/counters.py) and the capped count of corrections waiting (off its partial index),
    so the page costs the same at any size of data."""
    by_status = dict(ClaimStatusCount.objects.values_list("status", "count"))
    ratings = list(
        VerdictRating.objects.annotate(
            n=Coalesce(
                Subquery(
                    PublishedRatingCount.objects.filter(rating_id=OuterRef("pk")).values("count")
                ),
                0,
            )
        ).order_by("order")
    )
    today = timezone.localdate()
    first_week = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    since = timezone.make_aware(datetime.datetime.combine(first_week, datetime.time.min))
    per_week = (
        ActivityHour.objects.filter(hour__gte=since)
        .order_by()
        .annotate(week=TruncWeek("hour"))
        .values("week")
        .annotate(added=Sum("claims_added"), published=Sum("verdicts_published"))
        .values_list("week", "added", "published")
    )
    added: dict[datetime.date, int] = {}
    published: dict[datetime.date, int] = {}
    for week, week_added, week_published in per_week:
        day = week.date() if isinstance(week, datetime.datetime) else week
        added[day] = added.get(day, 0) + week_added
        published[day] = published.get(day, 0) + week_published
    week_starts = [first_week + datetime.timedelta(days=7 * i) for i in range(weeks)]
    return DashboardStats(
        claims_by_status=[
            (value, label, by_status.get(value, 0)) for value, label in Claim.Status.choices
        ],
        verdicts_by_rating=[(rating, rating.n) for rating in ratings],
        weeks=[(week, added.get(week, 0), published.get(week, 0)) for week in week_starts],
        corrections_waiting=corrections_waiting_count(),
    )


def review_articles() -> QuerySet[Article]:
    return Article.objects.select_related("outlet", "added_by", "feed_source")


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
    "published_evidence",
    "claim__sentence",
    "claim__via",
    "claim__article__text",
    "claim__article__raw_text",
)
# Lists offer pages down to this many verdicts (50 pages of 20; narrow by date or search to go
# further back) and, where the counters cannot give the number, say "more than …" past it: so
# that neither the count nor a deep page's offset grows with the number of published verdicts.
PUBLIC_COUNT_LIMIT = 1_000


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
        # The rating's id, looked up first, lets the planner read the rating's part of the
        # public index in order; joined by slug it read all of the rating's verdicts and sorted.
        rating = VerdictRating.objects.filter(slug=filters.rating).values_list("pk", flat=True)
        rating_id = rating.first()
        verdicts = verdicts.filter(published_rating_id=rating_id) if rating_id else verdicts.none()
    if filters.speaker:
        verdicts = _of_speaker(verdicts, slug=filters.speaker)
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


def rows_by_ids_first(queryset: QuerySet, start: int, stop: int) -> QuerySet:
    """Rows `start` to `stop` of the ordered `queryset`: their ids first, in a query that joins
    only what the filters need (the offset read off the index for the order), then the rows
    with every join for those ids alone. Two small queries; given as one (`pk__in` a sliced
    subquery) the planner would sometimes scan the whole table for the twenty ids."""
    ids = list(queryset.values_list("pk", flat=True)[start:stop])
    return queryset.filter(pk__in=ids)


def capped_count(queryset: QuerySet, limit: int | None = None) -> int:
    """The number of rows, counted up to `limit` (PUBLIC_COUNT_LIMIT) + 1 at most (one bounded
    query)."""
    limit = PUBLIC_COUNT_LIMIT if limit is None else limit
    return queryset.order_by()[: limit + 1].count()


def public_rating_counts(*, speaker: Speaker | None = None) -> list[tuple[VerdictRating, int]]:
    """Published verdicts per rating, every rating of the scale listed (zeros too), in order:
    read from the counters that triggers keep, so a record of any length costs one small query."""
    if speaker is None:
        rows = PublishedRatingCount.objects.values_list("rating_id", "count")
    else:
        rows = SpeakerRatingCount.objects.filter(speaker_id=speaker.pk).values_list(
            "rating_id", "count"
        )
    counts = dict(rows)
    return [(rating, counts.get(rating.pk, 0)) for rating in rating_scale()]


def public_verdict_total(filters: VerdictFilters | None = None) -> int | None:
    """How many published verdicts match, exactly, where the counters can say it without
    reading the verdicts: no filter, a rating, a speaker or both. None for the other filters."""
    filters = filters or VerdictFilters()
    if filters.q or filters.outlet or filters.date_from or filters.date_to:
        return None
    if filters.speaker:
        speaker = Speaker.objects.filter(slug=filters.speaker).values("pk")[:1]
        rows = SpeakerRatingCount.objects.filter(speaker_id=Subquery(speaker))
    else:
        rows = PublishedRatingCount.objects.all()
    if filters.rating:
        rating = VerdictRating.objects.filter(slug=filters.rating).values("pk")[:1]
        rows = rows.filter(rating_id=Subquery(rating))
    return rows.aggregate(n=Sum("count"))["n"] or 0


def public_other_verdicts(verdict: Verdict, limit: int = 5) -> QuerySet[Verdict]:
    """The speaker's other published verdicts, newest first, for "other checks of …"."""
    if not verdict.published_speaker_id:
        return Verdict.objects.none()
    return _of_speaker(
        public_verdict_list(VerdictFilters()), id=verdict.published_speaker_id
    ).exclude(pk=verdict.pk)[:limit]


def public_speakers(q: str = "", *, counted: bool = True) -> QuerySet[Speaker]:
    """Speakers with at least one published verdict, with how many, by name.

    Both read the per-speaker counters (claims/counters.py), a handful of rows per speaker, so
    that a page of 50 speakers costs the same however many verdicts they have.
    """
    speakers = Speaker.objects.filter(Exists(_public_record()))
    if q:
        speakers = speakers.filter(Q(name__icontains=q) | Q(role__icontains=q))
    if counted:
        count = (
            SpeakerRatingCount.objects.filter(speaker_id=OuterRef("pk"))
            .order_by()
            .values("speaker_id")
            .annotate(n=Sum("count"))
            .values("n")
        )
        speakers = speakers.annotate(verdict_count=Subquery(count))
    return speakers.defer("aliases").order_by("normalised_name", "id")


def public_speaker_total() -> int:
    """How many speakers have a public record: their rows in the per-speaker counters."""
    return SpeakerRatingCount.objects.filter(count__gt=0).values("speaker_id").distinct().count()


# The outlet filter offers the outlets of the latest this many fact-checks (a link may name
# any other): finding every outlet ever published would read every published verdict.
OUTLET_CHOICES_FROM = 500


def public_outlet_names(limit: int = 200) -> list[str]:
    """Outlets whose articles hold claims we have published verdicts on, for the outlet filter:
    the matched source's name, or the name the page gave when no source matched."""
    names = (
        published_verdicts()
        .select_related(None)
        .annotate(outlet=Coalesce("claim__article__outlet__name", "claim__article__outlet_name"))
        .values_list("outlet", flat=True)[:OUTLET_CHOICES_FROM]
    )
    return sorted({name for name in names if name}, key=str.lower)[:limit]


def public_corrections() -> QuerySet[VerdictCorrection]:
    """Corrections the public sees: those a second editor approved, in the order they were
    published. Proposed, rejected and pending-rework ones never leave the review area."""
    return (
        VerdictCorrection.objects.filter(status=VerdictCorrection.Status.APPLIED)
        .select_related("previous_rating", "new_rating")
        .order_by("decided_at", "id")
    )


@dataclass
class CorrectionEntry:
    """One line of a verdict's public corrections log."""

    when: datetime.datetime
    previous_rating: VerdictRating | None
    new_rating: VerdictRating | None
    reason: str
    explanation_changed: bool


def public_corrections_log(verdict: Verdict) -> list[CorrectionEntry]:
    """What changed and why, oldest first: each published correction's rating before and
    after, when it was published and why."""
    return [
        CorrectionEntry(
            when=correction.decided_at,
            previous_rating=correction.previous_rating,
            new_rating=correction.new_rating,
            reason=correction.reason,
            explanation_changed=bool(correction.new_explanation)
            and correction.new_explanation != correction.previous_explanation,
        )
        for correction in verdict.corrections.all()
        if correction.is_public
    ]


def last_public_correction(verdict: Verdict) -> datetime.datetime | None:
    """When the verdict was last corrected in public (its ClaimReview's dateModified)."""
    return max(
        (c.decided_at for c in verdict.corrections.all() if c.is_public and c.decided_at),
        default=None,
    )


def claim_review_feed_verdicts() -> QuerySet[Verdict]:
    """Every published verdict with what its ClaimReview needs, newest first; read it with
    `.iterator(chunk_size=…)` so that corrections are fetched per chunk and memory stays flat."""
    return public_verdict_list().prefetch_related(
        Prefetch("corrections", queryset=public_corrections())
    )


# Notifications (claims/services/notifications.py writes them).

NOTIFICATIONS_PAGE_SIZE = 50
# The bell shows "99+" from here: counting further would read every unread row.
UNREAD_COUNT_CAP = 99


def unread_notification_count(user: AbstractBaseUser) -> int:
    """Unread notifications under the bell, counted up to one past the cap (one query)."""
    return (
        Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True)
        .values("pk")[: UNREAD_COUNT_CAP + 1]
        .count()
    )


@dataclass
class NotificationPage:
    items: list[Notification]
    next_before: int | None = None


def notifications_page(
    user: AbstractBaseUser, *, before: int | None = None, size: int = NOTIFICATIONS_PAGE_SIZE
) -> NotificationPage:
    """A page of the person's notifications, newest first, with their claims and actors in the
    same query; `before` is the id the previous page ended at (a keyset page)."""
    rows = (
        Notification.objects.filter(recipient=user, in_app=True)
        .select_related("claim", "actor")
        .only(
            "id",
            "kind",
            "message",
            "read_at",
            "created_at",
            "claim__id",
            "claim__content",
            "claim__status",
            "actor__id",
            "actor__username",
            "actor__first_name",
            "actor__last_name",
        )
        .order_by("-id")
    )
    if before is not None:
        rows = rows.filter(pk__lt=before)
    items = list(rows[: size + 1])
    more = len(items) > size
    items = items[:size]
    return NotificationPage(items=items, next_before=items[-1].pk if more and items else None)


def notification_preferences(user: AbstractBaseUser) -> dict[str, tuple[bool, bool]]:
    """(in_app, email) for every kind, with both on where the person chose nothing."""
    chosen = {
        pref.kind: (pref.in_app, pref.email)
        for pref in NotificationPreference.objects.filter(user=user)
    }
    return {kind: chosen.get(kind, (True, True)) for kind in Notification.Kind.values}


def mention_candidates(prefix: str, *, limit: int = 8) -> list:
    """Staff to offer after "@" in a comment: usernames starting with `prefix` first, then
    names containing it."""
    people = staff_users().only("id", "username", "first_name", "last_name")
    if not prefix:
        return list(people[:limit])
    starting = list(people.filter(username__istartswith=prefix)[:limit])
    if len(starting) < limit:
        starting += list(
            people.filter(Q(first_name__icontains=prefix) | Q(last_name__icontains=prefix)).exclude(
                pk__in=[person.pk for person in starting]
            )[: limit - len(starting)]
        )
    return starting


# Saved views of the queue: presets everyone has, and the filters each person saved.


@dataclass
class QueueView:
    name: str
    query: str
    saved: SavedView | None = None


# The queue's filter parameters (the fields of claims.forms.review.QueueFilterForm), in the
# order a saved view writes them.
QUEUE_FILTER_KEYS = (
    "q",
    "status",
    "mine",
    "for_approval",
    "correction_waiting",
    "assignee",
    "kind",
    "article",
    "feed",
    "speaker",
    "score_min",
    "score_max",
    "added",
    "overdue",
    "priority",
    "sort",
)


def queue_filter_query(params) -> str:
    """The filters in a query (a QueryDict), without pages or anything else: what a saved view
    stores and what tells which view is open."""
    pairs = [(key, params.get(key, "").strip()) for key in QUEUE_FILTER_KEYS]
    return urlencode([(key, value) for key, value in pairs if value])


# A "high" check-worthiness score for the preset view of today's new claims.
HIGH_SCORE = 0.7
QUEUE_PRESETS = (
    ("My open claims", "mine=on&status=open", False),
    ("Awaiting my approval", "status=awaiting_approval&for_approval=on", True),
    ("Corrections waiting", "correction_waiting=on", True),
    ("High-score new claims today", f"status=new&score_min={HIGH_SCORE}&added=today", False),
)


def queue_views(user: AbstractBaseUser, *, is_editor: bool) -> list[QueueView]:
    """The presets the person can use (editors see the approval one), then their own."""
    views = [
        QueueView(name, queue_filter_query(QueryDict(query)))
        for name, query, editors_only in QUEUE_PRESETS
        if is_editor or not editors_only
    ]
    views += [
        QueueView(view.name, view.query, view)
        for view in SavedView.objects.filter(user=user).only("id", "name", "query")
    ]
    return views
