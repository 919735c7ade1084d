"""Verdict workflow gaps: the author withdraws a submitted verdict, and a verdict that rests
only on evidence that failed to fetch needs a note."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ClaimEvent, Evidence, VerdictRating
from claims.services import verdicts as verdict_services
from claims.services.claims import claim_accept
from claims.services.errors import PermissionRefused, ServiceError, StaleVersion
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _rating(slug: str = "false") -> VerdictRating:
    return VerdictRating.objects.get(slug=slug)


def _submitted(author) -> Claim:
    claim = claim_accept(claim=factories.ClaimFactory(), by=author)
    verdict_services.verdict_submit(
        claim=claim, by=author, rating=_rating(), explanation="The records say otherwise."
    )
    return Claim.objects.get(pk=claim.pk)


# Withdraw


def test_author_withdraws_before_approval_and_keeps_the_draft(reviewer_user):
    claim = _submitted(reviewer_user)
    verdict = verdict_services.verdict_withdraw(
        verdict=claim.verdict,
        by=reviewer_user,
        reason="A new report came in.",
        expected_version=claim.version,
    )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    assert claim.version == verdict.claim.version
    verdict.refresh_from_db()
    assert verdict.submitted_at is None
    assert (verdict.rating.slug, verdict.explanation) == ("false", "The records say otherwise.")
    event = claim.events.latest("id")
    assert event.action == ClaimEvent.Action.VERDICT_WITHDRAWN
    assert (event.before, event.after) == ("awaiting_approval", "in_review")
    assert event.actor == reviewer_user
    assert event.note == "A new report came in."


def test_withdrawn_verdict_can_be_submitted_again(reviewer_user, editor_user):
    claim = _submitted(reviewer_user)
    verdict_services.verdict_withdraw(verdict=claim.verdict, by=reviewer_user)
    claim.refresh_from_db()
    verdict = verdict_services.verdict_submit(
        claim=claim, by=reviewer_user, rating=_rating("true"), explanation="Checked again."
    )
    verdict_services.verdict_approve(verdict=verdict, by=editor_user)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED
    assert claim.verdict.rating.slug == "true"


def test_only_the_author_can_withdraw(reviewer_user, editor_user):
    claim = _submitted(reviewer_user)
    with pytest.raises(PermissionRefused):
        verdict_services.verdict_withdraw(verdict=claim.verdict, by=editor_user)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.AWAITING_APPROVAL
    assert not claim.events.filter(action=ClaimEvent.Action.VERDICT_WITHDRAWN).exists()


def test_a_published_verdict_cannot_be_withdrawn(reviewer_user, editor_user):
    claim = _submitted(reviewer_user)
    verdict_services.verdict_approve(verdict=claim.verdict, by=editor_user)
    claim.refresh_from_db()
    with pytest.raises(ServiceError, match="awaits approval"):
        verdict_services.verdict_withdraw(verdict=claim.verdict, by=reviewer_user)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED


def test_withdraw_after_the_editor_acted_is_refused_by_version(reviewer_user, editor_user):
    claim = _submitted(reviewer_user)
    seen = claim.version
    verdict_services.verdict_return(verdict=claim.verdict, by=editor_user, comment="Cite it.")
    with pytest.raises(StaleVersion):
        verdict_services.verdict_withdraw(
            verdict=claim.verdict, by=reviewer_user, expected_version=seen
        )


def test_withdraw_button_is_offered_to_the_author_only(
    reviewer_user, reviewer_client, other_editor_user
):
    claim = _submitted(reviewer_user)
    url = reverse("review:claim", args=[claim.pk])
    withdraw = reverse("review:verdict_withdraw", args=[claim.pk])
    assert withdraw in reviewer_client.get(url).content.decode()
    other = Client()
    other.force_login(other_editor_user)
    assert withdraw not in other.get(url).content.decode()
    # A non-author reviewer posting anyway is refused, and the claim is unchanged.
    response = other.post(withdraw, {"withdraw-version": claim.version}, **HTMX)
    assert response.status_code == 403
    assert "author can withdraw it" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.AWAITING_APPROVAL


def test_withdrawal_is_on_the_timeline(reviewer_user, reviewer_client):
    claim = _submitted(reviewer_user)
    reviewer_client.post(
        reverse("review:verdict_withdraw", args=[claim.pk]),
        {"withdraw-version": claim.version, "withdraw-reason": "Second thoughts"},
    )
    body = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "Verdict withdrawn" in body
    assert "Second thoughts" in body


# Evidence that failed to fetch


def _in_review_with_evidence(reviewer, *statuses: str) -> tuple[Claim, list[Evidence]]:
    claim = claim_accept(claim=factories.ClaimFactory(), by=reviewer)
    evidence = [factories.EvidenceFactory(claim=claim, fetch_status=status) for status in statuses]
    return Claim.objects.get(pk=claim.pk), evidence


def test_verdict_on_failed_evidence_only_needs_a_note(reviewer_user):
    claim, evidence = _in_review_with_evidence(reviewer_user, "failed", "failed")
    with pytest.raises(ServiceError, match="could be fetched"):
        verdict_services.verdict_submit(
            claim=claim, by=reviewer_user, rating=_rating(), explanation="x", evidence=evidence
        )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    verdict = verdict_services.verdict_submit(
        claim=claim,
        by=reviewer_user,
        rating=_rating(),
        explanation="x",
        evidence=evidence,
        evidence_note="Read the archived copy of both pages.",
    )
    assert verdict.evidence_note == "Read the archived copy of both pages."
    event = claim.events.filter(action=ClaimEvent.Action.VERDICT_CHANGED).get()
    assert "archived copy" in event.note


@pytest.mark.parametrize(
    "statuses", [("failed", "ready"), ("ready",), ("not_needed",), ("pending", "failed"), ()]
)
def test_verdict_with_some_readable_evidence_needs_no_note(reviewer_user, statuses):
    claim, evidence = _in_review_with_evidence(reviewer_user, *statuses)
    verdict = verdict_services.verdict_submit(
        claim=claim, by=reviewer_user, rating=_rating(), explanation="x", evidence=evidence
    )
    assert verdict.evidence_note == ""


def test_verdict_form_warns_about_failed_evidence_and_requires_the_note(
    reviewer_user, reviewer_client
):
    claim, (failed,) = _in_review_with_evidence(reviewer_user, "failed")
    page = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "1 link could not be fetched" in page
    assert "could not be fetched</span>" in page
    assert 'name="verdict-evidence_note"' in page
    url = reverse("review:verdict_submit", args=[claim.pk])
    data = {
        "verdict-version": claim.version,
        "verdict-rating": _rating().pk,
        "verdict-explanation": "The page said so.",
        "verdict-evidence": [failed.pk],
    }
    response = reviewer_client.post(url, data, **HTMX)
    assert response.status_code == 422
    assert "Add a note on the evidence" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.IN_REVIEW
    data["verdict-evidence_note"] = "Called the ministry, who confirmed it."
    assert reviewer_client.post(url, data, **HTMX).status_code == 200
    claim.refresh_from_db()
    assert claim.status == Claim.Status.AWAITING_APPROVAL
    # The editor sees the note beside the verdict.
    editor_page = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "Called the ministry, who confirmed it." in editor_page


def test_no_warning_when_all_evidence_was_fetched(reviewer_user, reviewer_client):
    claim, _ = _in_review_with_evidence(reviewer_user, "ready")
    page = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "could not be fetched" not in page
    assert 'name="verdict-evidence_note"' not in page
