"""Writes on claims during triage: accept, dismiss, restore, assign, edit, speaker, comment."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from claims.models import Claim, ClaimEvent, Comment, Speaker
from claims.services.errors import ServiceError
from claims.services.workflow import claim_transition, lock_claim, record_event, save_claim

Status = Claim.Status

DUPLICATE_NEEDS_TARGET = "Choose the claim this one duplicates."
DUPLICATE_OF_ITSELF = "A claim cannot be a duplicate of itself."
EMPTY_CONTENT = "The claim's content cannot be empty."
EMPTY_COMMENT = "A comment cannot be empty."


def claim_accept(
    *, claim: Claim, by: AbstractBaseUser, expected_version: int | None = None
) -> Claim:
    """Take a claim into research; the corroboration job is started by the caller's view."""
    return claim_transition(
        claim=claim, to=Status.IN_REVIEW, by=by, expected_version=expected_version
    )


def claim_dismiss(
    *,
    claim: Claim,
    by: AbstractBaseUser,
    reason: str,
    duplicate_of: Claim | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Claim:
    if reason not in Claim.DismissalReason.values:
        raise ServiceError("Choose why the claim is dismissed.")
    if reason == Claim.DismissalReason.DUPLICATE:
        if duplicate_of is None:
            raise ServiceError(DUPLICATE_NEEDS_TARGET)
        if duplicate_of.pk == claim.pk:
            raise ServiceError(DUPLICATE_OF_ITSELF)
    else:
        duplicate_of = None
    label = Claim.DismissalReason(reason).label
    return claim_transition(
        claim=claim,
        to=Status.DISMISSED,
        by=by,
        expected_version=expected_version,
        note=f"{label}. {note}".strip(),
        extra_fields={"dismissal_reason": reason, "duplicate_of": duplicate_of},
    )


def claim_restore(
    *, claim: Claim, by: AbstractBaseUser, expected_version: int | None = None
) -> Claim:
    return claim_transition(
        claim=claim,
        to=Status.NEW,
        by=by,
        expected_version=expected_version,
        extra_fields={"dismissal_reason": "", "duplicate_of": None},
    )


@transaction.atomic
def claim_assign(
    *,
    claim: Claim,
    assignee: AbstractBaseUser | None,
    by: AbstractBaseUser,
    expected_version: int | None = None,
) -> Claim:
    fresh = lock_claim(claim, expected_version)
    before = fresh.assignee.get_username() if fresh.assignee_id else None
    fresh.assignee = assignee
    save_claim(fresh, by=by, fields=["assignee"])
    record_event(
        fresh,
        by=by,
        action=ClaimEvent.Action.ASSIGNED,
        field="assignee",
        before=before,
        after=assignee.get_username() if assignee else None,
    )
    return fresh


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    by: AbstractBaseUser,
    expected_version: int | None,
    content: str | None = None,
    kind: str | None = None,
) -> Claim:
    """Edit the content or kind; refused if someone else saved the claim in the meantime."""
    fresh = lock_claim(claim, expected_version)
    changed: list[str] = []
    if content is not None:
        content = content.strip()
        if not content:
            raise ServiceError(EMPTY_CONTENT)
        if content != fresh.content:
            record_event(
                fresh,
                by=by,
                action=ClaimEvent.Action.EDITED,
                field="content",
                before=fresh.content,
                after=content,
            )
            fresh.content = content
            changed.append("content")
    if kind is not None and kind != fresh.kind:
        if kind not in Claim.Kind.values:
            raise ServiceError("Unknown kind of claim.")
        record_event(
            fresh,
            by=by,
            action=ClaimEvent.Action.EDITED,
            field="kind",
            before=fresh.kind,
            after=kind,
        )
        fresh.kind = kind
        changed.append("kind")
    if changed:
        save_claim(fresh, by=by, fields=changed)
    return fresh


def speaker_get_or_create(
    *, name: str, role: str = "", kind: str = Speaker.Kind.UNKNOWN
) -> Speaker:
    """The speaker with this name, created if new; names are matched case-blind."""
    name = " ".join(name.split())
    if not name:
        raise ServiceError("A speaker needs a name.")
    normalised = Speaker.normalise(name)
    speaker = Speaker.objects.filter(normalised_name=normalised).first()
    if speaker is not None:
        return speaker
    base = slugify(name)[:180] or "speaker"
    slug, n = base, 2
    while Speaker.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    speaker, _ = Speaker.objects.get_or_create(
        normalised_name=normalised,
        defaults={"name": name, "role": role[:300], "kind": kind, "slug": slug},
    )
    return speaker


@transaction.atomic
def claim_set_speaker(
    *,
    claim: Claim,
    by: AbstractBaseUser,
    speaker: Speaker | None,
    expected_version: int | None,
    role: str | None = None,
) -> Claim:
    """Attribute the claim to another speaker (None: the outlet's own statement)."""
    fresh = lock_claim(claim, expected_version)
    before = fresh.speaker.name if fresh.speaker_id else None
    fresh.speaker = speaker
    fields = ["speaker"]
    if speaker is None:
        fresh.kind = Claim.Kind.UNATTRIBUTED
        fields.append("kind")
    elif fresh.kind == Claim.Kind.UNATTRIBUTED:
        fresh.kind = Claim.Kind.INDIRECT
        fields.append("kind")
    save_claim(fresh, by=by, fields=fields)
    record_event(
        fresh,
        by=by,
        action=ClaimEvent.Action.SPEAKER_CHANGED,
        field="speaker",
        before=before,
        after=speaker.name if speaker else None,
    )
    if speaker is not None and role is not None and role.strip() != speaker.role:
        speaker.role = role.strip()[:300]
        speaker.save(update_fields=["role"])
    return fresh


@transaction.atomic
def claim_comment(*, claim: Claim, by: AbstractBaseUser, body: str) -> Comment:
    body = body.strip()
    if not body:
        raise ServiceError(EMPTY_COMMENT)
    comment = Comment.objects.create(claim=claim, author=by, body=body)
    record_event(claim, by=by, action=ClaimEvent.Action.COMMENTED, note=body[:500])
    return comment
