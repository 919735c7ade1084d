"""The extractor measured by its reviewers: precision and recall per week and per source.

Read from `ExtractionReview` (one row per claim a reviewer has acted on; see
claims/services/extraction_feedback.py) over the dashboard's last weeks only, with two
grouped counts that the window index answers without reading the table, whatever its size.

- Precision: of the extracted claims reviewers judged, the share kept as extracted or only
  lightly edited; corrected (span, speaker, split, merge) and "not a claim" count against it.
- Recall: of the real claims reviewers saw (extracted and not dismissed as "not a claim", plus
  those added by hand), the share the extractor found.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone

from claims.models import ExtractionReview, Source

Outcome = ExtractionReview.Outcome


@dataclass
class ExtractorCounts:
    """Reviewers' judgements of the extractor in one week or for one source."""

    label: str = ""
    kept: int = 0
    lightly_edited: int = 0
    corrected: int = 0
    not_a_claim: int = 0
    added: int = 0

    def add(self, outcome: str, extracted: bool, n: int) -> None:
        if not extracted:
            # Claims people added; one later judged "not a claim" was no miss after all.
            if outcome == Outcome.ADDED:
                self.added += n
        elif outcome == Outcome.KEPT:
            self.kept += n
        elif outcome == Outcome.LIGHTLY_EDITED:
            self.lightly_edited += n
        elif outcome in (Outcome.CORRECTED, Outcome.MERGED):
            self.corrected += n
        elif outcome == Outcome.NOT_A_CLAIM:
            self.not_a_claim += n
        # A split-off part is its claim's correction, already counted with it.

    @property
    def judged(self) -> int:
        return self.kept + self.lightly_edited + self.corrected + self.not_a_claim

    @property
    def found(self) -> int:
        return self.kept + self.lightly_edited + self.corrected

    @property
    def precision(self) -> float | None:
        return (self.kept + self.lightly_edited) / self.judged if self.judged else None

    @property
    def recall(self) -> float | None:
        real = self.found + self.added
        return self.found / real if real else None


@dataclass
class ExtractorQuality:
    weeks: list[tuple[datetime.date, ExtractorCounts]]
    sources: list[ExtractorCounts]
    total: ExtractorCounts
    since: datetime.date


def window_start(weeks: int) -> datetime.datetime:
    """Midnight starting the Monday `weeks - 1` weeks before this one, in the site's zone."""
    today = timezone.localdate()
    first_week = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    return timezone.make_aware(datetime.datetime.combine(first_week, datetime.time.min))


def extractor_quality(weeks: int = 12, *, max_sources: int = 20) -> ExtractorQuality:
    """Counts of reviewers' judgements over the last `weeks` weeks of articles, per week and per
    source (the sources with most judged claims first), in three queries."""
    since = window_start(weeks)
    window = ExtractionReview.objects.filter(article_added_at__gte=since).order_by()
    per_week = (
        window.annotate(week=TruncWeek("article_added_at"))
        .values_list("week", "outcome", "extracted")
        .annotate(n=Count("pk"))
    )
    per_source = window.values_list("source_id", "outcome", "extracted").annotate(n=Count("pk"))
    first_week = since.date()
    week_starts = [first_week + datetime.timedelta(days=7 * i) for i in range(weeks)]
    by_week = {week: ExtractorCounts(label=f"{week:%-d %b}") for week in week_starts}
    total = ExtractorCounts(label="All")
    for week, outcome, extracted, n in per_week:
        day = timezone.localtime(week).date() if isinstance(week, datetime.datetime) else week
        by_week.setdefault(day, ExtractorCounts(label=f"{day:%-d %b}")).add(outcome, extracted, n)
        total.add(outcome, extracted, n)
    by_source: dict[int | None, ExtractorCounts] = {}
    for source_id, outcome, extracted, n in per_source:
        by_source.setdefault(source_id, ExtractorCounts()).add(outcome, extracted, n)
    names = dict(
        Source.objects.filter(pk__in=[pk for pk in by_source if pk]).values_list("pk", "name")
    )
    for source_id, counts in by_source.items():
        counts.label = names.get(source_id, "Outlet not known") if source_id else "Outlet not known"
    sources = sorted(by_source.values(), key=lambda c: (-(c.judged + c.added), c.label))
    return ExtractorQuality(
        weeks=sorted(by_week.items()),
        sources=sources[:max_sources],
        total=total,
        since=first_week,
    )
