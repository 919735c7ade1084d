"""Corrections of published verdicts need a second editor: one proposes (new rating,
explanation, reason), another approves; the public side shows the verdict as last published
until then, and afterwards lists what changed: the rating before and after, when and why."""

from __future__ import annotations

import importlib
import json
import re

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ClaimEvent, VerdictCorrection, VerdictRating
from claims.services import verdicts as verdict_services
from claims.services.errors import PermissionRefused, ServiceError
from tests import factories

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
HTMX = {"HTTP_HX_REQUEST": "true"}


def rating(slug: str) -> VerdictRating:
    return VerdictRating.objects.get(slug=slug)


def _public(verdict) -> dict:
    client = Client()
    page = client.get(verdict.get_absolute_url()).content.decode()
    return {
        "page": page,
        "claim_review": json.loads(LD_JSON.findall(page)[0]),
        "api": client.get(f"/api/verdicts/{verdict.slug}").json(),
        "feed": client.get(reverse("public:feed_atom")).content.decode(),
    }


@pytest.fixture
def proposal(published_verdict, other_editor_user):
    return verdict_services.correction_propose(
        verdict=published_verdict,
        by=other_editor_user,
        reason="The Pentagon later confirmed a fourth target.",
        rating=rating("mostly-true"),
        explanation="Four targets were hit, three of them in Iraq.",
    )


def test_a_proposal_changes_nothing_public_until_another_editor_approves(
    published_verdict, proposal, editor_user
):
    before = _public(published_verdict)
    assert before["claim_review"]["reviewRating"]["alternateName"] == "True"
    assert "Corrections" not in before["page"]
    assert "dateModified" not in before["claim_review"]
    assert "fourth target" not in before["feed"]
    assert before["api"]["rating"]["slug"] == "true"

    verdict_services.correction_approve(correction=proposal, by=editor_user)
    after = _public(published_verdict)
    assert after["claim_review"]["reviewRating"]["alternateName"] == "Mostly true"
    assert "dateModified" in after["claim_review"]
    assert after["api"]["rating"]["slug"] == "mostly-true"
    assert after["api"]["explanation"] == "Four targets were hit, three of them in Iraq."
    log = re.search(r'<ol class="corrections-log">.*?</ol>', after["page"], re.S).group(0)
    assert re.search(
        r"rating changed from <span[^>]*>True</span>\s*to <span[^>]*>Mostly true</span>", log
    )
    assert "Explanation revised." in log
    assert "Why: The Pentagon later confirmed a fourth target." in log
    assert "<time datetime=" in log


def test_the_editor_who_proposed_it_cannot_approve_it(published_verdict, proposal):
    with pytest.raises(PermissionRefused):
        verdict_services.correction_approve(correction=proposal, by=proposal.corrected_by)
    client = Client()
    client.force_login(proposal.corrected_by)
    claim = Claim.objects.get(pk=published_verdict.claim_id)
    response = client.post(
        reverse("review:verdict_correction_approve", args=[claim.pk]),
        {"correction_approve-version": claim.version},
        **HTMX,
    )
    assert response.status_code == 403
    assert "another editor has to approve it" in response.content.decode()
    published_verdict.refresh_from_db()
    assert published_verdict.rating.slug == "true"


def test_the_panel_offers_approval_to_another_editor_only(
    published_verdict, proposal, editor_client, other_editor_user
):
    url = reverse("review:claim", args=[published_verdict.claim_id])
    body = editor_client.get(url).content.decode()
    assert "Correction waiting for a second editor" in body
    assert "Approve and publish the correction" in body
    proposer = Client()
    proposer.force_login(other_editor_user)
    body = proposer.get(url).content.decode()
    assert "Correction waiting for a second editor" in body
    assert "Approve and publish the correction" not in body
    assert "Withdraw the correction" in body


def test_one_proposal_at_a_time(published_verdict, proposal, editor_user):
    with pytest.raises(ServiceError, match="already waiting"):
        verdict_services.correction_propose(
            verdict=published_verdict, by=editor_user, reason="Other", rating=rating("false")
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        VerdictCorrection.objects.create(
            verdict=published_verdict,
            status=VerdictCorrection.Status.PROPOSED,
            reason="Around the service",
            corrected_by=editor_user,
        )


def test_a_correction_must_change_something(published_verdict, other_editor_user):
    with pytest.raises(ServiceError, match="Change the rating or the explanation"):
        verdict_services.correction_propose(
            verdict=published_verdict, by=other_editor_user, reason="Nothing really"
        )


def test_rejecting_says_why_and_never_reaches_the_public(published_verdict, proposal, editor_user):
    with pytest.raises(ServiceError, match="why the correction is not published"):
        verdict_services.correction_reject(correction=proposal, by=editor_user)
    verdict_services.correction_reject(
        correction=proposal, by=editor_user, comment="The fourth target is unconfirmed."
    )
    proposal.refresh_from_db()
    assert proposal.status == VerdictCorrection.Status.REJECTED
    assert proposal.decided_by == editor_user
    public = _public(published_verdict)
    assert "Corrections" not in public["page"] and "fourth target" not in public["page"]
    assert "dateModified" not in public["claim_review"]
    with pytest.raises(ServiceError, match="no longer waiting"):
        verdict_services.correction_approve(correction=proposal, by=editor_user)
    assert ClaimEvent.objects.filter(
        claim=published_verdict.claim,
        action=ClaimEvent.Action.CORRECTION_REJECTED,
        note="The fourth target is unconfirmed.",
    ).exists()


def test_the_proposer_may_withdraw_it(published_verdict, proposal, other_editor_user):
    verdict_services.correction_reject(correction=proposal, by=other_editor_user)
    proposal.refresh_from_db()
    assert proposal.status == VerdictCorrection.Status.REJECTED
    # And may propose another.
    verdict_services.correction_propose(
        verdict=published_verdict, by=other_editor_user, reason="Better", rating=rating("mixed")
    )


def test_unpublishing_supersedes_a_proposal_and_is_listed_once_published_again(
    published_verdict, proposal, reviewer_user, editor_user, other_editor_user
):
    verdict_services.verdict_unpublish(
        verdict=published_verdict, by=editor_user, reason="The date of the strikes was wrong."
    )
    proposal.refresh_from_db()
    assert proposal.status == VerdictCorrection.Status.REJECTED
    rework = published_verdict.corrections.get(status=VerdictCorrection.Status.REWORK)
    claim = Claim.objects.get(pk=published_verdict.claim_id)
    verdict = verdict_services.verdict_submit(
        claim=claim, by=reviewer_user, rating=rating("mixed"), explanation="Redone."
    )
    verdict_services.verdict_approve(verdict=verdict, by=other_editor_user)
    rework.refresh_from_db()
    assert rework.status == VerdictCorrection.Status.APPLIED
    assert (rework.previous_rating.slug, rework.new_rating.slug) == ("true", "mixed")
    assert rework.decided_by == other_editor_user
    page = _public(verdict)["page"]
    log = re.search(r'<ol class="corrections-log">.*?</ol>', page, re.S).group(0)
    assert re.search(r"from <span[^>]*>True</span>\s*to <span[^>]*>Mixed</span>", log)
    assert "The date of the strikes was wrong." in log
    assert "fourth target" not in page


def test_the_migration_marks_corrections_made_before_as_published(
    published_verdict, reviewer_user, editor_user
):
    """Rows as the one-editor corrections left them: each applied at once, in place (made here
    with a status the constraints allow for undecided rows; the migration sets each one's)."""
    legacy = VerdictCorrection.Status.REWORK
    first = VerdictCorrection.objects.create(
        verdict=published_verdict,
        reason="First",
        status=legacy,
        previous_rating=rating("false"),
        previous_explanation="Old one",
        corrected_by=editor_user,
    )
    second = VerdictCorrection.objects.create(
        verdict=published_verdict,
        reason="Second",
        status=legacy,
        previous_rating=rating("mixed"),
        previous_explanation="Middle one",
        corrected_by=editor_user,
    )
    unpublished = factories.VerdictFactory(
        claim=factories.ClaimFactory(status=Claim.Status.IN_REVIEW),
        published_at=published_verdict.published_at,
    )
    rework = VerdictCorrection.objects.create(
        verdict=unpublished,
        reason="Taken down",
        status=legacy,
        previous_rating=rating("false"),
        corrected_by=editor_user,
    )
    migration = importlib.import_module("claims.migrations.0025_corrections_need_a_second_editor")
    migration.mark_existing_corrections(apps, None)
    for row in (first, second, rework):
        row.refresh_from_db()
    assert (first.status, first.new_rating.slug, first.new_explanation) == (
        "applied",
        "mixed",
        "Middle one",
    )
    assert (second.status, second.new_rating.slug) == ("applied", "true")
    assert second.new_explanation == published_verdict.explanation
    assert first.decided_at == first.created_at
    assert rework.status == "rework" and rework.decided_at is None
    page = _public(published_verdict)["page"]
    log = re.search(r'<ol class="corrections-log">.*?</ol>', page, re.S).group(0)
    assert log.index("First") < log.index("Second")
    assert re.search(r"from <span[^>]*>False</span>\s*to <span[^>]*>Mixed</span>", log)


def test_editors_are_told_of_a_proposal_and_the_proposer_of_the_decision(
    published_verdict, proposal, editor_user, other_editor_user
):
    from claims.models import Notification

    proposals = Notification.objects.filter(
        kind="awaiting_approval", message__contains="proposes a correction"
    )
    # Every editor but the one who proposed it: nobody is told of what they did themselves.
    assert list(proposals.values_list("recipient", flat=True)) == [editor_user.pk]
    verdict_services.correction_approve(correction=proposal, by=editor_user)
    assert Notification.objects.filter(
        recipient=other_editor_user, kind="published", message__contains="published your correction"
    ).exists()
