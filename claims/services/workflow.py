"""The claim workflow: which status may follow which, and the one function that moves a claim.

The table is the single place the rules live; views only offer what it allows.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from claims.models import Claim, ClaimEvent, Verdict
from claims.services.errors import IllegalTransition, StaleVersion

Status = Claim.Status

# (from, to) -> what the move is called in messages and the timeline.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.NEW, Status.IN_REVIEW): "accept",
    (Status.NEW, Status.DISMISSED): "dismiss",
    (Status.IN_REVIEW, Status.DISMISSED): "dismiss",
    (Status.DISMISSED, Status.NEW): "restore",
    (Status.IN_REVIEW, Status.NEW): "send back to triage",
    (Status.IN_REVIEW, Status.AWAITING_APPROVAL): "submit for approval",
    (Status.AWAITING_APPROVAL, Status.IN_REVIEW): "return to the author",
    (Status.AWAITING_APPROVAL, Status.PUBLISHED): "approve and publish",
    (Status.PUBLISHED, Status.IN_REVIEW): "unpublish for rework",
    # Claims of monitored articles that scored under their source's threshold.
    (Status.BELOW_THRESHOLD, Status.NEW): "move into the queue",
    (Status.BELOW_THRESHOLD, Status.IN_REVIEW): "accept",
    (Status.BELOW_THRESHOLD, Status.DISMISSED): "dismiss",
}


def allowed_targets(status: str) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == status]


# A reopened claim's page stays up with the version last published; dismissing it or sending
# it back to triage would leave that page with no claim being worked on.
STILL_PUBLIC = (
    "This claim's fact-check is still on the public site while it is reworked: submit the "
    "rework for approval, or ask an editor to take the page down, before moving it to {to}."
)


def check_transition(claim: Claim, to: str) -> None:
    if (claim.status, to) not in TRANSITIONS:
        raise IllegalTransition(
            f"A claim that is {Status(claim.status).label.lower()} cannot be moved to "
            f"{Status(to).label.lower()}."
        )
    if (
        to in (Status.NEW, Status.DISMISSED)
        and Verdict.objects.filter(
            claim_id=claim.pk, published_at__isnull=False, taken_down_at=None
        ).exists()
    ):
        raise IllegalTransition(STILL_PUBLIC.format(to=Status(to).label.lower()))


def lock_claim(claim: Claim, expected_version: int | None) -> Claim:
    """Re-read the claim under a row lock and refuse if someone saved since `expected_version`.

    Must run inside a transaction. Returns the fresh row, which callers change and save with
    `save_claim` so the version goes up exactly once per action.
    """
    fresh = Claim.objects.select_for_update().get(pk=claim.pk)
    if expected_version is not None and fresh.version != expected_version:
        changer = fresh.last_changed_by
        raise StaleVersion(
            changed_by=(changer.get_full_name() or changer.get_username())
            if changer
            else "a background job",
            changed_at=fresh.updated_at,
            current_version=fresh.version,
        )
    return fresh


def save_claim(claim: Claim, *, by: AbstractBaseUser | None, fields: list[str]) -> None:
    claim.version += 1
    claim.last_changed_by = by
    if by is not None:
        claim.touched = True
    claim.save(update_fields=[*fields, "version", "touched", "last_changed_by", "updated_at"])


def record_event(
    claim: Claim,
    *,
    by: AbstractBaseUser | None,
    action: str,
    field: str = "",
    before: object = None,
    after: object = None,
    note: str = "",
) -> ClaimEvent:
    return ClaimEvent.objects.create(
        claim=claim,
        actor=by,
        action=action,
        field=field,
        before=before,
        after=after,
        note=note,
    )


@transaction.atomic
def claim_transition(
    *,
    claim: Claim,
    to: str,
    by: AbstractBaseUser | None,
    expected_version: int | None = None,
    note: str = "",
    extra_fields: dict[str, object] | None = None,
    action: str = ClaimEvent.Action.STATUS_CHANGED,
) -> Claim:
    """Move a claim to status `to` if the table allows it, and record who did it.

    `action` names the timeline entry when the move is a step of its own (a withdrawn verdict
    is shown as that, not as a bare change of status)."""
    fresh = lock_claim(claim, expected_version)
    check_transition(fresh, to)
    before = fresh.status
    fresh.status = to
    fields = ["status"]
    for name, value in (extra_fields or {}).items():
        setattr(fresh, name, value)
        fields.append(name)
    save_claim(fresh, by=by, fields=fields)
    record_event(
        fresh,
        by=by,
        action=action,
        field="status",
        before=before,
        after=to,
        note=note,
    )
    return fresh
