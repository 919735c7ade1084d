"""Published verdicts for tests of the public site, made through the real workflow services
(accept, submit, approve), so that everything publishing does (the archive's search index,
the speaker as approved, caches) happens as in use."""

from __future__ import annotations

import datetime

from django.utils import timezone

from claims.models import Verdict, VerdictCorrection, VerdictRating
from claims.services.claims import claim_accept, claim_update
from claims.services.verdicts import (
    correction_approve,
    correction_propose,
    verdict_approve,
    verdict_submit,
)
from tests import factories


def publish(
    *,
    author,
    approver,
    rating: str = "false",
    explanation: str = "Records show otherwise.",
    statement: str = "",
    published_at: datetime.datetime | None = None,
    evidence_urls: tuple[str, ...] = (),
    **claim_fields,
) -> Verdict:
    claim = claim_accept(claim=factories.ClaimFactory(**claim_fields), by=author)
    evidence = [
        factories.EvidenceFactory(claim=claim, url=url, title=f"Source at {url}")
        for url in evidence_urls
    ]
    if statement:
        claim = claim_update(
            claim=claim, by=author, expected_version=claim.version, statement=statement
        )
    verdict = verdict_submit(
        claim=claim,
        by=author,
        rating=VerdictRating.objects.get(slug=rating),
        explanation=explanation,
        evidence=evidence,
    )
    verdict = verdict_approve(verdict=verdict, by=approver)
    if published_at is not None:
        Verdict.objects.filter(pk=verdict.pk).update(published_at=published_at)
        verdict.published_at = published_at
    return verdict


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def correct(
    verdict: Verdict,
    *,
    proposer,
    approver,
    reason: str,
    rating: VerdictRating | None = None,
    explanation: str | None = None,
) -> VerdictCorrection:
    """Correct a published verdict as the workflow does: one editor proposes, another approves."""
    proposal = correction_propose(
        verdict=verdict, by=proposer, reason=reason, rating=rating, explanation=explanation
    )
    correction = correction_approve(correction=proposal, by=approver)
    verdict.refresh_from_db()
    return correction
