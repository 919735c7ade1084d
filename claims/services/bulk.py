"""Bulk actions of the queue: one action on many claims, each through its single-claim service.

Each claim gets its own transaction, so one refusal (a claim someone changed meanwhile, a move
the workflow does not allow) leaves the others done; the outcome lists what changed and what
was refused, with why, for the person to look at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import Truncator

from claims.models import Claim
from claims.services.claims import claim_accept, claim_assign, claim_dismiss
from claims.services.corroboration import corroboration_request
from claims.services.errors import ServiceError, StaleVersion

# A page of the queue is 25 claims; a request naming more than this is refused whole.
BULK_MAX_CLAIMS = 200
TOO_MANY = f"Choose at most {BULK_MAX_CLAIMS} claims at a time."
NO_CLAIMS = "Choose the claims first."
GONE = "The claim no longer exists."
CHANGED_MEANWHILE = "{who} changed it since you loaded the queue; open it to see what changed."
UNKNOWN_ACTION = "Unknown bulk action."


@dataclass
class Refusal:
    claim_id: int
    excerpt: str
    reason: str


@dataclass
class BulkOutcome:
    """What a bulk action did: the claims it changed and those it refused, with why."""

    action: str
    changed: list[int] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


# The actions, each as one call of the single-claim service. `version` is the claim's version
# as the queue showed it: a claim changed since is refused, as on the claim page.
Action = Callable[[Claim, int | None], object]


def _actions(
    *, by: AbstractBaseUser, assignee: AbstractBaseUser | None, reason: str, note: str
) -> dict[str, Action]:
    return {
        "assign": lambda claim, version: claim_assign(
            claim=claim, assignee=assignee, by=by, expected_version=version
        ),
        "take": lambda claim, version: claim_assign(
            claim=claim, assignee=by, by=by, expected_version=version
        ),
        "dismiss": lambda claim, version: claim_dismiss(
            claim=claim, by=by, reason=reason, note=note, expected_version=version
        ),
        "accept": lambda claim, version: claim_accept(claim=claim, by=by, expected_version=version),
        # Asking for a search changes nothing on the claim, so no version is checked.
        "corroborate": lambda claim, version: corroboration_request(
            claim=claim, by=by, note="Evidence search queued from the queue (bulk)."
        ),
    }


BULK_ACTIONS = ("assign", "take", "dismiss", "accept", "corroborate")


def claims_bulk_action(
    *,
    action: str,
    items: list[tuple[int, int | None]],
    by: AbstractBaseUser,
    assignee: AbstractBaseUser | None = None,
    reason: str = "",
    note: str = "",
) -> BulkOutcome:
    """Run `action` on each (claim id, version seen) in `items`, one transaction per claim."""
    if action not in BULK_ACTIONS:
        raise ServiceError(UNKNOWN_ACTION)
    if not items:
        raise ServiceError(NO_CLAIMS)
    if len(items) > BULK_MAX_CLAIMS:
        raise ServiceError(TOO_MANY)
    if action == "assign" and assignee is None:
        raise ServiceError("Choose whom to assign the claims to.")
    if action == "dismiss" and reason not in Claim.DismissalReason.values:
        raise ServiceError("Choose why the claims are dismissed.")
    if action == "dismiss" and reason == Claim.DismissalReason.DUPLICATE:
        raise ServiceError("Dismiss duplicates one at a time, naming the claim each duplicates.")
    run = _actions(by=by, assignee=assignee, reason=reason, note=note)[action]
    outcome = BulkOutcome(action=action)
    versions = dict(items)
    claims = {claim.pk: claim for claim in Claim.objects.filter(pk__in=list(versions))}
    for pk, version in items:
        claim = claims.get(pk)
        if claim is None:
            outcome.refused.append(Refusal(pk, "", GONE))
            continue
        try:
            with transaction.atomic():
                run(claim, version)
        except StaleVersion as exc:
            outcome.refused.append(
                Refusal(pk, _excerpt(claim), CHANGED_MEANWHILE.format(who=exc.changed_by))
            )
        except ServiceError as exc:
            outcome.refused.append(Refusal(pk, _excerpt(claim), exc.message))
        else:
            outcome.changed.append(pk)
    return outcome


def _excerpt(claim: Claim) -> str:
    return Truncator(" ".join(claim.content.split())).chars(70)
