"""Writes on verdicts: submit for approval, approve and publish, return, withdraw, unpublish, and
corrections of published verdicts (proposed by one editor, approved by another)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from claims.corroboration.archive import archive_index_verdict
from claims.models import (
    VERDICT_SNAPSHOT_FIELDS,
    Claim,
    ClaimEvent,
    Evidence,
    Notification,
    Verdict,
    VerdictCorrection,
    VerdictRating,
)
from claims.services.errors import PermissionRefused, ServiceError
from claims.services.notifications import (
    notifications_retract,
    notify_awaiting_approval,
    notify_correction_decided,
    notify_correction_proposed,
    notify_published,
    notify_returned,
)
from claims.services.workflow import claim_transition, lock_claim, record_event, save_claim

Status = Claim.Status

OWN_VERDICT = "You wrote this verdict; another editor has to approve it."
NOT_AN_EDITOR = "Only editors can approve, return or correct verdicts."
NO_EXPLANATION = "Write a short explanation of the rating."
NO_REASON = "Say why the published verdict is corrected; the reason is shown publicly."
OWN_CORRECTION = "You proposed this correction; another editor has to approve it."
CORRECTION_PENDING = (
    "A correction of this verdict is already waiting for a second editor: approve or reject it "
    "first."
)
NOT_PROPOSED = "This correction is no longer waiting for approval."
ONLY_PUBLISHED = "Only a published verdict can be corrected."
NOTHING_CORRECTED = "Change the rating or the explanation, or both."
REJECT_NEEDS_COMMENT = "Tell the editor who proposed it why the correction is not published."
RETURN_NEEDS_COMMENT = "Tell the author what to change."
# The published version a verdict keeps: what the public site shows while the claim is
# reworked, until an editor approves the rework.
SNAPSHOT_FIELDS = list(VERDICT_SNAPSHOT_FIELDS)
# What an author writes and resubmits: the draft, which is not public until approved.
DRAFT_FIELDS = [
    "rating",
    "explanation",
    "evidence_note",
    "author",
    "approver",
    "return_comment",
    "submitted_at",
]
ONLY_AUTHOR_WITHDRAWS = "Only the verdict's author can withdraw it."
NOT_AWAITING = "Only a verdict that awaits approval can be withdrawn."
FAILED_EVIDENCE_NEEDS_NOTE = (
    "None of the links this verdict rests on could be fetched, so an editor cannot read them. "
    "Add a note on the evidence saying how you checked the claim, or choose evidence that was "
    "fetched."
)


def rests_only_on_failed_evidence(evidence: Iterable[Evidence]) -> bool:
    """Whether every chosen link failed to fetch: a verdict on pages nobody could read is
    unchecked, so it needs the author's word on how the claim was checked."""
    evidence = list(evidence)
    return bool(evidence) and all(
        item.fetch_status == Evidence.FetchStatus.FAILED for item in evidence
    )


def _require_editor(user: AbstractBaseUser) -> None:
    if not user.has_perm("claims.approve_verdict"):
        raise PermissionRefused(NOT_AN_EDITOR)


def _unique_slug(claim: Claim) -> str:
    base = slugify(claim.content)[:80].strip("-") or "claim"
    return f"{base}-{secrets.token_hex(3)}"


@transaction.atomic
def verdict_submit(
    *,
    claim: Claim,
    by: AbstractBaseUser,
    rating: VerdictRating,
    explanation: str,
    evidence: Iterable[Evidence] = (),
    evidence_note: str = "",
    expected_version: int | None = None,
) -> Verdict:
    """Write (or rewrite after a return or a withdrawal) the verdict and send the claim for
    approval. A verdict resting only on evidence that failed to fetch needs `evidence_note`."""
    explanation = explanation.strip()
    if not explanation:
        raise ServiceError(NO_EXPLANATION)
    evidence_note = evidence_note.strip()
    evidence = [e for e in evidence if e.claim_id == claim.pk]
    if rests_only_on_failed_evidence(evidence) and not evidence_note:
        raise ServiceError(FAILED_EVIDENCE_NEEDS_NOTE)
    fresh = claim_transition(
        claim=claim,
        to=Status.AWAITING_APPROVAL,
        by=by,
        expected_version=expected_version,
        note=f"Proposed rating: {rating.name}",
    )
    verdict = Verdict.objects.filter(claim=fresh).first()
    before = None
    if verdict is None:
        verdict = Verdict(claim=fresh, slug=_unique_slug(fresh))
    else:
        before = {"rating": verdict.rating.name, "explanation": verdict.explanation}
    verdict.rating = rating
    verdict.explanation = explanation
    verdict.evidence_note = evidence_note
    verdict.author = by
    verdict.approver = None
    verdict.return_comment = ""
    verdict.submitted_at = timezone.now()
    if verdict.pk is None:
        verdict.save()
    else:
        # The draft only: a reopened claim's published version stays as approved.
        verdict.save(update_fields=[*DRAFT_FIELDS, "updated_at"])
    verdict.evidence.set(evidence)
    record_event(
        fresh,
        by=by,
        action=ClaimEvent.Action.VERDICT_CHANGED,
        field="verdict",
        before=before,
        after={"rating": rating.name, "explanation": explanation},
        note=f"Note on the evidence: {evidence_note}" if evidence_note else "",
    )
    notify_awaiting_approval(claim=fresh, rating_name=rating.name, by=by)
    return verdict


@transaction.atomic
def verdict_withdraw(
    *,
    verdict: Verdict,
    by: AbstractBaseUser,
    reason: str = "",
    expected_version: int | None = None,
) -> Verdict:
    """Take a submitted verdict back before an editor acts on it: the claim returns to
    research and the verdict stays as the author's draft, to change and submit again.

    Only the author may do it, and only while it awaits approval; an editor approving or
    returning it at the same moment is caught by the claim's version. The editors' unread
    "awaiting approval" notices of this submission are taken back (`notifications_retract`).
    """
    if verdict.author_id != by.pk:
        raise PermissionRefused(ONLY_AUTHOR_WITHDRAWS)
    fresh = lock_claim(verdict.claim, expected_version)
    if fresh.status != Status.AWAITING_APPROVAL:
        raise ServiceError(NOT_AWAITING)
    reason = reason.strip()
    verdict.claim = claim_transition(
        claim=fresh,
        to=Status.IN_REVIEW,
        by=by,
        note=reason or "Withdrawn by its author before approval.",
        action=ClaimEvent.Action.VERDICT_WITHDRAWN,
    )
    _retract_approval_requests(verdict=verdict, claim=fresh)
    verdict.submitted_at = None
    verdict.return_comment = ""
    verdict.save(update_fields=["submitted_at", "return_comment", "updated_at"])
    return verdict


def _retract_approval_requests(*, verdict: Verdict, claim: Claim) -> None:
    """The editors' unread "awaiting approval" notices of the verdict's submission no longer
    wait for anyone once it is withdrawn, approved or returned (`notifications_retract`)."""
    submitted_at = Verdict.objects.filter(pk=verdict.pk).values_list("submitted_at", flat=True)[0]
    if submitted_at is not None:
        notifications_retract(
            claim=claim, kind=Notification.Kind.AWAITING_APPROVAL, since=submitted_at
        )


@transaction.atomic
def verdict_approve(
    *, verdict: Verdict, by: AbstractBaseUser, expected_version: int | None = None
) -> Verdict:
    """Publish the verdict; the approver must be an editor other than the author (four eyes)."""
    _require_editor(by)
    # The draft as it stands under the claim's lock, not as the caller last read it: what is
    # approved is what becomes public, and its author is who may not approve it.
    lock_claim(verdict.claim, expected_version)
    verdict = Verdict.objects.select_related("rating").get(pk=verdict.pk)
    if verdict.author_id == by.pk:
        raise PermissionRefused(OWN_VERDICT)
    verdict.claim = claim_transition(
        claim=verdict.claim,
        to=Status.PUBLISHED,
        by=by,
        expected_version=expected_version,
        note=f"Published as {verdict.rating.name}",
    )
    # What the public saw until now (a reopened claim's page), which the log compares with.
    previous_rating_id = verdict.published_rating_id
    previous_explanation = verdict.published_explanation
    verdict.approver = by
    verdict.published_at = verdict.published_at or timezone.now()
    verdict.taken_down_at = None
    verdict.take_snapshot()
    verdict.save(
        update_fields=["approver", "published_at", "taken_down_at", *SNAPSHOT_FIELDS, "updated_at"]
    )
    # Published again after rework: the reason it was reopened joins the public log, with the
    # rating before and as now approved.
    previous = (
        {"previous_rating_id": previous_rating_id, "previous_explanation": previous_explanation}
        if previous_rating_id is not None
        else {}
    )
    verdict.corrections.filter(status=VerdictCorrection.Status.REWORK).update(
        **previous,
        status=VerdictCorrection.Status.APPLIED,
        new_rating=verdict.rating,
        new_explanation=verdict.explanation,
        decided_by=by,
        decided_at=timezone.now(),
    )
    archive_index_verdict(verdict=verdict)
    _retract_approval_requests(verdict=verdict, claim=verdict.claim)
    notify_published(
        claim=verdict.claim, author=verdict.author, rating_name=verdict.rating.name, by=by
    )
    return verdict


@transaction.atomic
def verdict_return(
    *, verdict: Verdict, by: AbstractBaseUser, comment: str, expected_version: int | None = None
) -> Verdict:
    """Send the verdict back to its author with what to change."""
    _require_editor(by)
    comment = comment.strip()
    if not comment:
        raise ServiceError(RETURN_NEEDS_COMMENT)
    if verdict.author_id == by.pk:
        raise PermissionRefused(OWN_VERDICT)
    verdict.claim = claim_transition(
        claim=verdict.claim,
        to=Status.IN_REVIEW,
        by=by,
        expected_version=expected_version,
        note=comment,
    )
    _retract_approval_requests(verdict=verdict, claim=verdict.claim)
    verdict.return_comment = comment
    verdict.save(update_fields=["return_comment", "updated_at"])
    notify_returned(claim=verdict.claim, author=verdict.author, comment=comment, by=by)
    return verdict


def _pending_proposal(verdict: Verdict) -> VerdictCorrection | None:
    return (
        VerdictCorrection.objects.select_for_update()
        .filter(verdict=verdict, status=VerdictCorrection.Status.PROPOSED)
        .first()
    )


def _as_shown(rating: VerdictRating, explanation: str) -> dict[str, str]:
    return {"rating": rating.name, "explanation": explanation}


@transaction.atomic
def correction_propose(
    *,
    verdict: Verdict,
    by: AbstractBaseUser,
    reason: str,
    rating: VerdictRating | None = None,
    explanation: str | None = None,
    expected_version: int | None = None,
) -> VerdictCorrection:
    """Propose a correction of a published verdict: a new rating, explanation, or both, and
    the reason shown publicly. The public page is unchanged until another editor approves it
    (`correction_approve`), as a verdict is published only by an editor other than its author.
    """
    _require_editor(by)
    reason = reason.strip()
    if not reason:
        raise ServiceError(NO_REASON)
    claim = lock_claim(verdict.claim, expected_version)
    verdict = Verdict.objects.select_related("rating").get(pk=verdict.pk)
    if claim.status != Status.PUBLISHED or not verdict.is_public:
        raise ServiceError(ONLY_PUBLISHED)
    if _pending_proposal(verdict) is not None:
        raise ServiceError(CORRECTION_PENDING)
    shown_rating, shown_explanation = verdict.published_rating, verdict.published_explanation
    new_rating = rating or shown_rating
    new_explanation = (explanation or "").strip() or shown_explanation
    if new_rating == shown_rating and new_explanation == shown_explanation:
        raise ServiceError(NOTHING_CORRECTED)
    correction = VerdictCorrection.objects.create(
        verdict=verdict,
        status=VerdictCorrection.Status.PROPOSED,
        reason=reason,
        previous_rating=shown_rating,
        previous_explanation=shown_explanation,
        new_rating=new_rating,
        new_explanation=new_explanation,
        corrected_by=by,
    )
    save_claim(claim, by=by, fields=[])
    record_event(
        claim,
        by=by,
        action=ClaimEvent.Action.CORRECTION_PROPOSED,
        field="verdict",
        before=_as_shown(shown_rating, shown_explanation),
        after=_as_shown(new_rating, new_explanation),
        note=reason,
    )
    notify_correction_proposed(claim=claim, rating_name=new_rating.name, reason=reason, by=by)
    return correction


@transaction.atomic
def correction_approve(
    *, correction: VerdictCorrection, by: AbstractBaseUser, expected_version: int | None = None
) -> VerdictCorrection:
    """Publish a proposed correction: only an editor other than the one who proposed it. The
    verdict takes the new rating and explanation, and its public page lists the correction."""
    _require_editor(by)
    claim = lock_claim(correction.verdict.claim, expected_version)
    correction = (
        VerdictCorrection.objects.select_for_update(of=("self",))
        .select_related("verdict__published_rating", "new_rating")
        .get(pk=correction.pk)
    )
    if correction.status != VerdictCorrection.Status.PROPOSED:
        raise ServiceError(NOT_PROPOSED)
    if correction.corrected_by_id == by.pk:
        raise PermissionRefused(OWN_CORRECTION)
    verdict = correction.verdict
    if claim.status != Status.PUBLISHED:
        raise ServiceError(ONLY_PUBLISHED)
    before = _as_shown(verdict.published_rating, verdict.published_explanation)
    # What the public saw just before, which is what the log compares with.
    correction.previous_rating = verdict.published_rating
    correction.previous_explanation = verdict.published_explanation
    # The draft and the published version change together: the claim is not being reworked.
    verdict.rating = verdict.published_rating = correction.new_rating or verdict.published_rating
    verdict.explanation = verdict.published_explanation = (
        correction.new_explanation or verdict.published_explanation
    )
    verdict.save(
        update_fields=[
            "rating",
            "explanation",
            "published_rating",
            "published_explanation",
            "updated_at",
        ]
    )
    correction.status = VerdictCorrection.Status.APPLIED
    correction.decided_by = by
    correction.decided_at = timezone.now()
    correction.save()
    save_claim(claim, by=by, fields=[])
    verdict.claim = claim
    archive_index_verdict(verdict=verdict)
    record_event(
        claim,
        by=by,
        action=ClaimEvent.Action.VERDICT_CORRECTED,
        field="verdict",
        before=before,
        after=_as_shown(verdict.rating, verdict.explanation),
        note=correction.reason,
    )
    notify_correction_decided(
        claim=claim, proposer=correction.corrected_by, approved=True, comment="", by=by
    )
    return correction


@transaction.atomic
def correction_reject(
    *,
    correction: VerdictCorrection,
    by: AbstractBaseUser,
    comment: str = "",
    expected_version: int | None = None,
) -> VerdictCorrection:
    """Close a proposed correction without publishing it: another editor rejects it (saying
    why), or the editor who proposed it withdraws it, which takes back the other editors'
    unread notices of it. The public page never showed it."""
    _require_editor(by)
    claim = lock_claim(correction.verdict.claim, expected_version)
    correction = VerdictCorrection.objects.select_for_update().get(pk=correction.pk)
    if correction.status != VerdictCorrection.Status.PROPOSED:
        raise ServiceError(NOT_PROPOSED)
    comment = comment.strip()
    withdrawn = correction.corrected_by_id == by.pk
    if not comment and not withdrawn:
        raise ServiceError(REJECT_NEEDS_COMMENT)
    correction.status = VerdictCorrection.Status.REJECTED
    correction.decided_by = by
    correction.decided_at = timezone.now()
    correction.decision_comment = comment
    correction.save()
    save_claim(claim, by=by, fields=[])
    record_event(
        claim,
        by=by,
        action=ClaimEvent.Action.CORRECTION_REJECTED,
        field="verdict",
        note=comment or "Withdrawn by the editor who proposed it.",
    )
    if withdrawn:
        # The other editors' notices of this proposal no longer wait for anyone.
        notifications_retract(
            claim=claim, kind=Notification.Kind.AWAITING_APPROVAL, since=correction.created_at
        )
    else:
        notify_correction_decided(
            claim=claim, proposer=correction.corrected_by, approved=False, comment=comment, by=by
        )
    return correction


@transaction.atomic
def verdict_unpublish(
    *,
    verdict: Verdict,
    by: AbstractBaseUser,
    reason: str,
    take_down: bool = False,
    expected_version: int | None = None,
) -> VerdictCorrection:
    """Reopen a published verdict for rework: the claim goes back to review, and the reason is
    recorded as a correction, which the public log lists once the rework is approved.

    The public page, feeds, counts and ClaimReview keep the version last published (the
    verdict's published_* fields) while reviewers change the draft, and say that it is being
    reviewed again; nothing of the draft is public until an editor other than its author
    approves it. `take_down` also takes the page off the public site at once, for what must not
    stay up meanwhile (a legal or safety reason); it comes back when the rework is approved.
    """
    _require_editor(by)
    reason = reason.strip()
    if not reason:
        raise ServiceError(NO_REASON)
    claim = claim_transition(
        claim=verdict.claim,
        to=Status.IN_REVIEW,
        by=by,
        expected_version=expected_version,
        note=(
            f"Taken off the public site and reopened for rework: {reason}"
            if take_down
            else f"Reopened for rework (the public page shows the published version): {reason}"
        ),
    )
    verdict = Verdict.objects.select_related("published_rating").get(pk=verdict.pk)
    verdict.claim = claim
    if take_down:
        verdict.taken_down_at = timezone.now()
        verdict.save(update_fields=["taken_down_at", "updated_at"])
        archive_index_verdict(verdict=verdict)  # takes it out of the archive
    # A correction still waiting is moot: the verdict is reworked and approved again.
    VerdictCorrection.objects.filter(
        verdict=verdict, status=VerdictCorrection.Status.PROPOSED
    ).update(
        status=VerdictCorrection.Status.REJECTED,
        decided_by=by,
        decided_at=timezone.now(),
        decision_comment="Superseded: the verdict was reopened for rework.",
    )
    return VerdictCorrection.objects.create(
        verdict=verdict,
        status=VerdictCorrection.Status.REWORK,
        reason=reason,
        previous_rating=verdict.published_rating,
        previous_explanation=verdict.published_explanation,
        corrected_by=by,
    )
