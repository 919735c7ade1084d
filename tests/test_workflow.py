"""The claim workflow: every allowed transition works, every other one is refused."""

from __future__ import annotations

import pytest

from claims.models import Claim, ClaimEvent, VerdictRating
from claims.services import claims as claim_services
from claims.services import verdicts as verdict_services
from claims.services.errors import IllegalTransition, PermissionRefused, ServiceError, StaleVersion
from claims.services.workflow import TRANSITIONS, claim_transition
from tests import factories

pytestmark = pytest.mark.django_db

Status = Claim.Status
ALL_PAIRS = [(a, b) for a in Status.values for b in Status.values if a != b]


@pytest.mark.parametrize(("start", "to"), ALL_PAIRS)
def test_transition_table_is_enforced(start, to, reviewer_user):
    claim = factories.ClaimFactory(status=start)
    if (start, to) in TRANSITIONS:
        moved = claim_transition(claim=claim, to=to, by=reviewer_user)
        assert moved.status == to
        event = ClaimEvent.objects.get(claim=claim)
        assert (event.before, event.after, event.actor) == (start, to, reviewer_user)
    else:
        with pytest.raises(IllegalTransition):
            claim_transition(claim=claim, to=to, by=reviewer_user)
        claim.refresh_from_db()
        assert claim.status == start
        assert not ClaimEvent.objects.filter(claim=claim).exists()


def test_each_transition_raises_the_version(reviewer_user):
    claim = factories.ClaimFactory()
    claim = claim_services.claim_accept(claim=claim, by=reviewer_user, expected_version=1)
    assert claim.version == 2
    assert claim.touched


def test_stale_version_is_refused_and_names_who_changed_it(reviewer_user, editor_user):
    claim = factories.ClaimFactory()
    claim_services.claim_update(
        claim=claim, by=editor_user, expected_version=1, content="Edited by the editor"
    )
    with pytest.raises(StaleVersion) as excinfo:
        claim_services.claim_update(
            claim=claim, by=reviewer_user, expected_version=1, content="Reviewer's edit"
        )
    assert editor_user.get_full_name() in excinfo.value.message
    claim.refresh_from_db()
    assert claim.content == "Edited by the editor"


def test_dismiss_as_duplicate_links_the_other_claim(reviewer_user):
    original = factories.ClaimFactory()
    copy = factories.ClaimFactory(article=original.article)
    copy = claim_services.claim_dismiss(
        claim=copy, by=reviewer_user, reason=Claim.DismissalReason.DUPLICATE, duplicate_of=original
    )
    assert (copy.status, copy.duplicate_of) == (Status.DISMISSED, original)


def test_dismiss_as_duplicate_needs_the_other_claim(reviewer_user):
    claim = factories.ClaimFactory()
    with pytest.raises(ServiceError):
        claim_services.claim_dismiss(
            claim=claim, by=reviewer_user, reason=Claim.DismissalReason.DUPLICATE
        )


def _submitted(reviewer_user):
    claim = claim_services.claim_accept(claim=factories.ClaimFactory(), by=reviewer_user)
    return verdict_services.verdict_submit(
        claim=claim,
        by=reviewer_user,
        rating=VerdictRating.objects.get(slug="false"),
        explanation="The records say otherwise.",
    )


def test_full_flow_to_published(reviewer_user, editor_user):
    verdict = _submitted(reviewer_user)
    assert verdict.claim.status == Status.AWAITING_APPROVAL
    verdict = verdict_services.verdict_approve(verdict=verdict, by=editor_user)
    verdict.refresh_from_db()
    assert verdict.approver == editor_user
    assert verdict.published_at is not None
    assert verdict.claim.status == Status.PUBLISHED


def test_nobody_approves_their_own_verdict(editor_user):
    claim = claim_services.claim_accept(claim=factories.ClaimFactory(), by=editor_user)
    verdict = verdict_services.verdict_submit(
        claim=claim,
        by=editor_user,
        rating=VerdictRating.objects.get(slug="true"),
        explanation="Confirmed.",
    )
    with pytest.raises(PermissionRefused):
        verdict_services.verdict_approve(verdict=verdict, by=editor_user)
    verdict.claim.refresh_from_db()
    assert verdict.claim.status == Status.AWAITING_APPROVAL


def test_reviewer_cannot_approve(reviewer_user):
    verdict = _submitted(reviewer_user)
    other_reviewer = factories.reviewer()
    with pytest.raises(PermissionRefused):
        verdict_services.verdict_approve(verdict=verdict, by=other_reviewer)


def test_return_sends_back_with_comment(reviewer_user, editor_user):
    verdict = _submitted(reviewer_user)
    verdict_services.verdict_return(verdict=verdict, by=editor_user, comment="Cite the DoD.")
    verdict.refresh_from_db()
    assert verdict.claim.status == Status.IN_REVIEW
    assert verdict.return_comment == "Cite the DoD."


def test_correction_needs_a_second_editor_and_keeps_it_published(
    published_verdict, editor_user, other_editor_user
):
    """One editor proposes, another approves; until then the verdict is as last published."""
    proposal = verdict_services.correction_propose(
        verdict=published_verdict,
        by=other_editor_user,
        reason="The number of targets was wrong.",
        rating=VerdictRating.objects.get(slug="mostly-true"),
    )
    published_verdict.refresh_from_db()
    assert published_verdict.rating.slug == "true"
    with pytest.raises(PermissionRefused):
        verdict_services.correction_approve(correction=proposal, by=other_editor_user)
    correction = verdict_services.correction_approve(correction=proposal, by=editor_user)
    published_verdict.refresh_from_db()
    assert published_verdict.rating.slug == "mostly-true"
    assert correction.previous_rating.slug == "true"
    assert correction.decided_by == editor_user
    assert published_verdict.claim.status == Status.PUBLISHED
    actions = list(
        ClaimEvent.objects.filter(claim=published_verdict.claim).values_list("action", flat=True)
    )
    assert actions[-2:] == [
        ClaimEvent.Action.CORRECTION_PROPOSED,
        ClaimEvent.Action.VERDICT_CORRECTED,
    ]


def test_stale_message_names_who_saved_not_who_commented_last(reviewer_user, editor_user):
    claim = factories.ClaimFactory()
    claim_services.claim_update(
        claim=claim, by=editor_user, expected_version=1, content="The editor's wording"
    )
    commenter = factories.reviewer(first_name="Carla")
    claim_services.claim_comment(claim=claim, by=commenter, body="Looks right to me")
    with pytest.raises(StaleVersion) as excinfo:
        claim_services.claim_update(
            claim=claim, by=reviewer_user, expected_version=1, content="Reviewer's edit"
        )
    assert editor_user.get_full_name() in excinfo.value.message
    assert "Carla" not in excinfo.value.message
