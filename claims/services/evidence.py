"""Writes on evidence: add a link (by hand or from a provider) and set its stance."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from claims.models import Claim, ClaimEvent, Evidence, Source, SourceDomain, normalise_domain
from claims.services.errors import ServiceError
from claims.services.workflow import record_event
from claims.urls_normalise import normalise_url

DUPLICATE_EVIDENCE = "This link is already in the claim's evidence."
BAD_URL = "Enter a full web address starting with http:// or https://."


def source_for_url(url: str) -> Source | None:
    """The source whose domain (or a parent domain) matches the URL's host."""
    host = normalise_domain(urlsplit(url).hostname or "")
    if not host:
        return None
    parts = host.split(".")
    candidates = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    matches = {
        d.domain: d.source
        for d in SourceDomain.objects.filter(domain__in=candidates).select_related("source")
    }
    for candidate in candidates:  # most specific first
        if candidate in matches:
            return matches[candidate]
    return None


@transaction.atomic
def evidence_add(
    *,
    claim: Claim,
    url: str,
    by: AbstractBaseUser | None,
    origin: str = "manual",
    title: str = "",
    passage: str = "",
    score: float | None = None,
    stance: str = Evidence.Stance.UNREVIEWED,
    fetch_status: str = Evidence.FetchStatus.NOT_NEEDED,
) -> Evidence:
    try:
        url = normalise_url(url)
    except ValueError:
        raise ServiceError(BAD_URL) from None
    if Evidence.objects.filter(claim=claim, url=url).exists():
        raise ServiceError(DUPLICATE_EVIDENCE)
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                claim=claim,
                url=url,
                title=title[:500],
                passage=passage,
                score=score,
                origin=origin,
                stance=stance,
                outlet=source_for_url(url),
                added_by=by,
                fetch_status=fetch_status,
            )
    except IntegrityError:
        raise ServiceError(DUPLICATE_EVIDENCE) from None
    record_event(claim, by=by, action=ClaimEvent.Action.EVIDENCE_ADDED, after=url, note=title[:300])
    return evidence


@transaction.atomic
def evidence_set_stance(*, evidence: Evidence, stance: str, by: AbstractBaseUser) -> Evidence:
    if stance not in Evidence.Stance.values:
        raise ServiceError("Choose supports, refutes, context or irrelevant.")
    before = evidence.stance
    if before == stance:
        return evidence
    evidence.stance = stance
    evidence.save(update_fields=["stance", "updated_at"])
    record_event(
        evidence.claim,
        by=by,
        action=ClaimEvent.Action.EVIDENCE_CHANGED,
        field="stance",
        before=before,
        after=stance,
        note=evidence.url,
    )
    return evidence
