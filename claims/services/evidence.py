"""Writes on evidence: add a link (by hand or from a provider), fetch it, and set its stance."""

from __future__ import annotations

import hashlib
import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from claims.corroboration.passages import best_passage as find_best_passage
from claims.jobs import enqueue_evidence_fetch
from claims.models import Claim, ClaimEvent, Evidence, Source
from claims.services.errors import ServiceError
from claims.services.sources import source_for_url
from claims.services.workflow import lock_claim, record_event, save_claim
from claims.urls_normalise import normalise_url

logger = logging.getLogger(__name__)

DUPLICATE_EVIDENCE = "This link is already in the claim's evidence."
BAD_URL = "Enter a full web address starting with http:// or https://."


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
def evidence_set_stance(
    *,
    evidence: Evidence,
    stance: str,
    by: AbstractBaseUser,
    expected_version: int | None = None,
) -> Evidence:
    """Mark evidence as supporting, refuting, context or irrelevant.

    With `expected_version` the claim is locked and its version raised, like every other edit
    a person makes on the claim page.
    """
    if stance not in Evidence.Stance.values:
        raise ServiceError("Choose supports, refutes, context or irrelevant.")
    claim = evidence.claim
    if expected_version is not None:
        claim = lock_claim(claim, expected_version)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    before = evidence.stance
    if before == stance:
        return evidence
    evidence.stance = stance
    evidence.save(update_fields=["stance", "updated_at"])
    if expected_version is not None:
        save_claim(claim, by=by, fields=[])
    record_event(
        claim,
        by=by,
        action=ClaimEvent.Action.EVIDENCE_CHANGED,
        field="stance",
        before=before,
        after=stance,
        note=evidence.url,
    )
    return evidence


@transaction.atomic
def evidence_add_by_hand(
    *, claim: Claim, url: str, by: AbstractBaseUser, expected_version: int | None = None
) -> Evidence:
    """Add a link a reviewer found; a background job fetches its title and best passage."""
    fresh = lock_claim(claim, expected_version)
    evidence = evidence_add(
        claim=fresh, url=url, by=by, origin="manual", fetch_status=Evidence.FetchStatus.PENDING
    )
    save_claim(fresh, by=by, fields=[])
    enqueue_evidence_fetch(evidence.pk)
    return evidence


def best_passage(claim_text: str, page_text: str) -> tuple[str, float]:
    """The passage of the page that best matches the claim, and its score (0 to 1); see
    `claims.corroboration.passages.best_passage`."""
    passage = find_best_passage(claim_text, page_text)
    return passage.text, round(passage.score, 3)


def evidence_fetch(evidence_id: int) -> Evidence | None:
    """Fetch the evidence page and store its title, text snapshot and best-matching passage.

    Safe to run twice. Raises FetchError when retryable so that the task can retry; records a
    failure reason a person can act on otherwise.
    """
    from claims.fetching import FetchError, fetch_url
    from claims.webtext import html_to_article

    evidence = Evidence.objects.select_related("claim").filter(pk=evidence_id).first()
    if evidence is None or evidence.fetch_status == Evidence.FetchStatus.READY:
        return evidence
    try:
        page = fetch_url(evidence.url)
    except FetchError as exc:
        if getattr(exc, "retryable", False):
            raise
        return _evidence_fetch_failed(evidence, str(getattr(exc, "reason", "") or exc))
    content_type = (page.content_type or "").lower()
    title, text = "", ""
    if "html" in content_type or not content_type:
        web = html_to_article(page.text, page.url)
        if web is not None:
            title, text = web.title or "", web.text or ""
    elif content_type.startswith("text/"):
        text = page.text
    else:
        return _evidence_fetch_failed(
            evidence, f"The link is not a web page ({content_type}); add the passage by hand."
        )
    if not text.strip():
        return _evidence_fetch_failed(evidence, "No readable text found on the page.")
    passage, score = best_passage(evidence.claim.content, text)
    with transaction.atomic():
        evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
        evidence.title = evidence.title or title[:500]
        evidence.passage = evidence.passage or passage
        evidence.score = score if evidence.score is None else evidence.score
        evidence.snapshot = text
        evidence.snapshot_sha256 = hashlib.sha256(text.encode()).hexdigest()
        evidence.fetch_status = Evidence.FetchStatus.READY
        evidence.failure_reason = ""
        evidence.save()
        record_event(
            evidence.claim,
            by=None,
            action=ClaimEvent.Action.EVIDENCE_CHANGED,
            field="fetch",
            after=evidence.fetch_status,
            note=f"Fetched {evidence.url}",
        )
    return evidence


def _evidence_fetch_failed(evidence: Evidence, reason: str) -> Evidence:
    Evidence.objects.filter(pk=evidence.pk).update(
        fetch_status=Evidence.FetchStatus.FAILED, failure_reason=reason[:1000]
    )
    evidence.refresh_from_db()
    return evidence


def evidence_fetch_gave_up(evidence_id: int, reason: str) -> None:
    """Called by the task when its retries are used up."""
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is not None and evidence.fetch_status == Evidence.FetchStatus.PENDING:
        _evidence_fetch_failed(evidence, reason)


# Evidence the search proposes (claims/corroboration/): stored, updated on a re-run, grouped.


@transaction.atomic
def evidence_store_candidate(*, claim: Claim, proposal) -> tuple[Evidence, bool]:
    """Store a proposal of the evidence search as a candidate; (evidence, created).

    Unique per claim and address: a re-run updates the row. What a person decided is never
    touched (stance, origin, who added it), and the snapshot stays as first found: if the page
    has changed since, link health says so instead of the snapshot silently changing.
    """
    url = normalise_url(proposal.url)
    suggestion = proposal.suggestion
    fields = {
        "title": proposal.title[:500],
        "passage": proposal.passage,
        "score": round(proposal.score, 4),
        "suggested_stance": suggestion.stance if suggestion else "",
        "suggestion_reason": suggestion.reason[:300] if suggestion else "",
        "published_on": proposal.published_on,
    }
    evidence = Evidence.objects.select_for_update().filter(claim=claim, url=url).first()
    if evidence is None:
        try:
            with transaction.atomic():
                evidence = Evidence.objects.create(
                    claim=claim,
                    url=url,
                    origin=proposal.provider[:50],
                    outlet=source_for_url(url) or _source(proposal.outlet_id),
                    snapshot=proposal.snapshot,
                    snapshot_sha256=proposal.snapshot_sha256,
                    page_sha256=proposal.page_sha256,
                    fetch_status=Evidence.FetchStatus.FAILED
                    if proposal.failure
                    else Evidence.FetchStatus.READY,
                    failure_reason=proposal.failure[:1000],
                    **fields,
                )
            return evidence, True
        except IntegrityError:  # stored meanwhile by another run: update that row instead
            evidence = Evidence.objects.select_for_update().get(claim=claim, url=url)
    same_text = not evidence.snapshot or evidence.snapshot_sha256 == proposal.snapshot_sha256
    changed = []
    if same_text:
        for name, value in fields.items():
            if name == "title" and evidence.title:
                continue
            if getattr(evidence, name) != value:
                setattr(evidence, name, value)
                changed.append(name)
    if not evidence.snapshot and proposal.snapshot:
        evidence.snapshot = proposal.snapshot
        evidence.snapshot_sha256 = proposal.snapshot_sha256
        evidence.fetch_status = Evidence.FetchStatus.READY
        evidence.failure_reason = ""
        changed += ["snapshot", "snapshot_sha256", "fetch_status", "failure_reason"]
    if not evidence.page_sha256 and proposal.page_sha256:
        evidence.page_sha256 = proposal.page_sha256
        changed.append("page_sha256")
    if changed:
        evidence.save(update_fields=[*changed, "updated_at"])
    return evidence, False


def _source(pk: int | None) -> Source | None:
    return Source.objects.filter(pk=pk).first() if pk else None


def evidence_group_copies(*, claim: Claim) -> None:
    """Mark the claim's evidence that carries the same text (wire copies) with one group."""
    from claims.corroboration.copies import group_copies

    texts = {
        pk: snapshot or passage
        for pk, snapshot, passage in claim.evidence.values_list("pk", "snapshot", "passage")
    }
    groups = group_copies(texts)
    current = dict(claim.evidence.values_list("pk", "copy_group"))
    by_group: dict[int | None, list[int]] = {}
    for pk, group in groups.items():
        # A piece that is nobody's copy has no group.
        value = group if sum(1 for g in groups.values() if g == group) > 1 else None
        if current.get(pk) != value:
            by_group.setdefault(value, []).append(pk)
    for value, pks in by_group.items():
        Evidence.objects.filter(pk__in=pks).update(copy_group=value)
