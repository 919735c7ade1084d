"""Reviewers' corrections as gold attributions, in the format of our extraction evaluation data.

One document per article that reviewers have worked on: `{"id", "text", "attributions":
[{"source": {"start", "end", "text"} | None, "cue": {...} | None, "content": {...}, "kind"}],
"unattributed": [...], "noise": [...]}`, offsets into the article's cleaned text (the text the
extractor reads). Attributions are the claims reviewers kept, corrected, split off or added by
hand, as they stand now; claims dismissed as "not a claim" are `noise` (the extractor's span);
claims merged into another are covered by it. Claims nobody has looked at are left out, so an
article's gold is what its reviewers saw.

`original_predictions` gives the extractor's own output for the same claims, in the
`python -m claims.extraction --jsonl` format, so that the scorer in
`claims.extraction.evaluation` measures the extractor against its reviewers.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Prefetch

from claims.models import Article, Claim, ExtractionReview
from claims.services.extraction_feedback import corrected_spans

Outcome = ExtractionReview.Outcome

# Outcomes whose claim is a real claim, as it stands now.
GOLD_OUTCOMES = frozenset(
    {Outcome.KEPT, Outcome.LIGHTLY_EDITED, Outcome.CORRECTED, Outcome.ADDED, Outcome.SPLIT_PART}
)
ARTICLES_PER_QUERY = 100


@dataclass
class ExportTally:
    """What an export wrote, and the attributions it had to leave out (and why)."""

    documents: int = 0
    attributions: int = 0
    unattributed: int = 0
    noise: int = 0
    no_speaker_mention: list[int] = field(default_factory=list)


def _span(text: str, span: tuple[int, int] | None) -> dict | None:
    if span is None:
        return None
    start, end = span
    return {"start": start, "end": end, "text": text[start:end]}


def _reviewed_articles(since: datetime.datetime | None) -> Iterator[Article]:
    """Articles with reviews, a page of them at a time, each with its reviewed claims."""
    reviews = ExtractionReview.objects.order_by()
    if since is not None:
        reviews = reviews.filter(article_added_at__gte=since)
    article_ids = reviews.values_list("article_id", flat=True).distinct().order_by("article_id")
    claims = Claim.objects.select_related("speaker", "extraction_review").filter(
        extraction_review__isnull=False
    )
    last = 0
    while True:
        page = list(article_ids.filter(article_id__gt=last)[:ARTICLES_PER_QUERY])
        if not page:
            return
        yield from (
            Article.objects.filter(pk__in=page)
            .order_by("pk")
            .prefetch_related(
                Prefetch(
                    "claims", queryset=claims.order_by("start", "end", "pk"), to_attr="reviewed"
                )
            )
        )
        last = page[-1]


def document_id(article: Article) -> str:
    return f"factcheck/article/{article.pk}"


def gold_documents(
    *, since: datetime.datetime | None = None, tally: ExportTally | None = None
) -> Iterator[dict]:
    """The gold document of each article reviewers have worked on, oldest article first."""
    tally = tally if tally is not None else ExportTally()
    for article in _reviewed_articles(since):
        text = article.text
        document: dict = {
            "id": document_id(article),
            "text": text,
            "headline": article.headline,
            "outlet": article.outlet_name,
            "attributions": [],
            "unattributed": [],
            "noise": [],
        }
        for claim in article.reviewed:
            review = claim.extraction_review
            not_a_claim = claim.dismissal_reason == Claim.DismissalReason.NOT_A_CLAIM
            if review.outcome == Outcome.NOT_A_CLAIM or (
                not_a_claim and claim.status == Claim.Status.DISMISSED
            ):
                if review.extracted and review.content_start is not None:
                    document["noise"].append(
                        _span(text, (review.content_start, review.content_end))
                    )
                continue
            if review.outcome not in GOLD_OUTCOMES:
                continue
            spans = corrected_spans(claim, review)
            content = _span(text, spans["content"])
            if claim.kind == Claim.Kind.UNATTRIBUTED:
                document["unattributed"].append(content)
                continue
            if spans["speaker"] is None:
                tally.no_speaker_mention.append(claim.pk)
                continue
            document["attributions"].append(
                {
                    "source": _span(text, spans["speaker"]),
                    "cue": _span(text, spans["cue"]),
                    "content": content,
                    "kind": claim.kind,
                }
            )
        tally.documents += 1
        tally.attributions += len(document["attributions"])
        tally.unattributed += len(document["unattributed"])
        tally.noise += len(document["noise"])
        yield document


def original_predictions(*, since: datetime.datetime | None = None) -> Iterator[dict]:
    """What the extractor said about the same claims, as its `--jsonl` output would."""
    for article in _reviewed_articles(since):
        claims = []
        for claim in article.reviewed:
            review = claim.extraction_review
            if not review.extracted or review.outcome == Outcome.SPLIT_PART:
                continue
            has_speaker = review.speaker_start is not None and review.speaker_end is not None
            has_cue = review.cue_start is not None and review.cue_end is not None
            claims.append(
                {
                    "kind": review.kind,
                    "speaker": review.speaker_text or review.speaker_name or None,
                    "speaker_span": [review.speaker_start, review.speaker_end]
                    if has_speaker
                    else None,
                    "cue_span": [review.cue_start, review.cue_end] if has_cue else None,
                    "content_span": [review.content_start, review.content_end],
                }
            )
        yield {"id": document_id(article), "claims": claims}
