"""Writes on "already fact-checked" matches: match a claim against published fact-checks.

Runs as a background job when a claim is created (extraction, by hand, a split), when its
content is edited, and when it is accepted. Idempotent: a run replaces the claim's matches.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from claims.corroboration.matching import match_fact_checks
from claims.corroboration.passages import ClaimQuery
from claims.models import Claim, ClaimMatch, MatchingSettings, Verdict
from claims.services.notifications import notify_already_checked

# Kept per claim, whatever the threshold: an admin who lowers it sees more at once.
MATCHES_KEPT = 5
MIN_SCORE_KEPT = 0.2


@transaction.atomic
def claim_match_fact_checks(*, claim: Claim) -> list[ClaimMatch]:
    """Find the fact-checks that may already cover the claim and store them, best first."""
    own_verdicts = Verdict.objects.filter(claim=claim).values_list("pk", flat=True)
    query = ClaimQuery.for_claim(claim)
    found = match_fact_checks(
        query.text,
        speaker=query.speaker,
        top=MATCHES_KEPT,
        exclude_verdict_ids=list(own_verdicts),
    )
    threshold = MatchingSettings.current().threshold
    strong_before = set(
        ClaimMatch.objects.filter(claim=claim, score__gte=threshold).values_list(
            "document_id", flat=True
        )
    )
    ClaimMatch.objects.filter(claim=claim).delete()
    stored = ClaimMatch.objects.bulk_create(
        ClaimMatch(
            claim=claim,
            document=match.document,
            score=match.score,
            rank=rank,
            reasons=match.reasons[:10],
        )
        for rank, match in enumerate(found, 1)
        if match.score >= MIN_SCORE_KEPT
    )
    # Told once per fact-check: a run that finds the same ones again (an edit, an acceptance)
    # is no news.
    newly_strong = [
        match.document
        for match in stored
        if match.score >= threshold and match.document_id not in strong_before
    ]
    if newly_strong:
        notify_already_checked(
            claim=claim, titles=[document.title or document.url for document in newly_strong]
        )
    return stored


def claims_match_fact_checks(*, claim_ids: Iterable[int]) -> int:
    """Match each of the claims (those still there); the number matched."""
    done = 0
    for claim in Claim.objects.filter(pk__in=list(claim_ids)).select_related("speaker"):
        claim_match_fact_checks(claim=claim)
        done += 1
    return done
