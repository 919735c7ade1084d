"""Reopening a published claim for rework: the public page keeps the version last published
(with a notice) until an editor other than the rework's author approves the new one; an editor
may instead take the page down when it must not stay up (a legal or safety reason)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from claims import counters
from claims.models import Claim, ClaimEvent, Verdict, VerdictCorrection, VerdictRating
from claims.services import verdicts as verdict_services
from claims.services.claims import claim_dismiss, claim_update
from claims.services.errors import IllegalTransition, PermissionRefused, ServiceError
from claims.services.workflow import claim_transition
from tests import factories

pytestmark = pytest.mark.django_db


def rating(slug: str) -> VerdictRating:
    return VerdictRating.objects.get(slug=slug)


def _reopen(verdict, by, **kwargs) -> Claim:
    verdict_services.verdict_unpublish(
        verdict=verdict, by=by, reason="The date of the strikes was wrong.", **kwargs
    )
    return Claim.objects.get(pk=verdict.claim_id)


def _rework(claim: Claim, by, *, explanation: str = "Redone with the new date.") -> Verdict:
    return verdict_services.verdict_submit(
        claim=claim, by=by, rating=rating("mostly-true"), explanation=explanation
    )


def test_reopening_keeps_the_page_as_published_and_says_so(published_verdict, editor_user):
    claim = _reopen(published_verdict, editor_user)
    assert claim.status == Claim.Status.IN_REVIEW
    verdict = Verdict.objects.get(pk=published_verdict.pk)
    assert verdict.is_public and verdict.in_rework and verdict.public
    event = ClaimEvent.objects.filter(claim=claim, field="status").latest("pk")
    assert "public page shows the published version" in event.note
    page = Client().get(verdict.get_absolute_url()).content.decode()
    assert "This fact-check is being reviewed again" in page
    assert "The Pentagon confirmed five targets" in page
    # The reason is public only once the rework is approved.
    assert "The date of the strikes was wrong." not in page
    call_command("recount", "--check")


def test_the_rework_cannot_be_approved_by_its_author(
    published_verdict, editor_user, other_editor_user
):
    claim = _reopen(published_verdict, editor_user)
    verdict = _rework(claim, other_editor_user, explanation="Approved by myself?")
    with pytest.raises(PermissionRefused):
        verdict_services.verdict_approve(verdict=verdict, by=other_editor_user)
    # A stale copy naming another author does not get around it either.
    stale = Verdict.objects.get(pk=verdict.pk)
    stale.author = editor_user
    with pytest.raises(PermissionRefused):
        verdict_services.verdict_approve(verdict=stale, by=other_editor_user)
    page = Client().get(verdict.get_absolute_url()).content.decode()
    assert "Approved by myself?" not in page and "being reviewed again" in page


def test_approving_the_rework_publishes_it_and_logs_the_change(
    published_verdict, reviewer_user, editor_user, other_editor_user
):
    first_published = published_verdict.published_at
    claim = _reopen(published_verdict, editor_user)
    claim = claim_update(
        claim=claim,
        by=reviewer_user,
        expected_version=claim.version,
        statement="The strikes hit two targets in Iraq and three in Syria",
    )
    verdict = _rework(claim, reviewer_user)
    assert Client().get(verdict.get_absolute_url()).status_code == 200
    verdict_services.verdict_approve(verdict=verdict, by=other_editor_user)
    verdict = Verdict.objects.get(pk=verdict.pk)
    assert (verdict.published_rating.slug, verdict.published_explanation) == (
        "mostly-true",
        "Redone with the new date.",
    )
    assert verdict.published_at == first_published and verdict.taken_down_at is None
    correction = verdict.corrections.get()
    assert correction.status == VerdictCorrection.Status.APPLIED
    assert (correction.previous_rating.slug, correction.new_rating.slug) == ("true", "mostly-true")
    assert correction.previous_explanation.startswith("The Pentagon confirmed")
    page = Client().get(verdict.get_absolute_url()).content.decode()
    assert "The strikes hit two targets in Iraq and three in Syria" in page
    assert "The date of the strikes was wrong." in page
    assert "being reviewed again" not in page
    call_command("recount", "--check")


def test_a_reopened_claim_still_public_is_not_dismissed_or_sent_to_triage(
    published_verdict, editor_user, reviewer_user
):
    claim = _reopen(published_verdict, editor_user)
    with pytest.raises(IllegalTransition, match="still on the public site"):
        claim_dismiss(claim=claim, by=reviewer_user, reason=Claim.DismissalReason.OTHER)
    with pytest.raises(IllegalTransition, match="still on the public site"):
        claim_transition(claim=claim, to=Claim.Status.NEW, by=reviewer_user)


def test_taking_the_page_down(published_verdict, editor_user, reviewer_user, other_editor_user):
    claim = _reopen(published_verdict, editor_user, take_down=True)
    url = published_verdict.get_absolute_url()
    assert Client().get(url).status_code == 404
    assert Client().get(f"/api/verdicts/{published_verdict.slug}").status_code == 404
    assert counters.drift() == {}
    # Down, it may leave the workflow like any claim in review.
    claim_dismiss(claim=claim, by=reviewer_user, reason=Claim.DismissalReason.OTHER)


def test_a_taken_down_page_comes_back_when_the_rework_is_approved(
    published_verdict, editor_user, reviewer_user, other_editor_user
):
    claim = _reopen(published_verdict, editor_user, take_down=True)
    verdict = _rework(claim, reviewer_user)
    verdict_services.verdict_approve(verdict=verdict, by=other_editor_user)
    page = Client().get(verdict.get_absolute_url()).content.decode()
    assert "Redone with the new date." in page
    call_command("recount", "--check")


def test_a_correction_is_not_proposed_while_the_claim_is_reworked(
    published_verdict, editor_user, other_editor_user
):
    _reopen(published_verdict, editor_user)
    with pytest.raises(ServiceError):
        verdict_services.correction_propose(
            verdict=published_verdict, by=other_editor_user, reason="Also", rating=rating("false")
        )


def test_the_review_page_reopens_and_takes_down(published_verdict, editor_client):
    claim = published_verdict.claim
    url = reverse("review:verdict_unpublish", args=[claim.pk])
    page = editor_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "Reopen for rework" in page and "Also take the public page down" in page
    response = editor_client.post(
        url, {"unpublish-version": claim.version, "unpublish-reason": "Wrong date."}
    )
    assert response.status_code == 302
    verdict = Verdict.objects.get(pk=published_verdict.pk)
    assert verdict.public and verdict.taken_down_at is None
    page = editor_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "Nothing changed here is public until another editor approves it" in page


def test_the_review_form_can_take_the_page_down(published_verdict, editor_client):
    claim = published_verdict.claim
    response = editor_client.post(
        reverse("review:verdict_unpublish", args=[claim.pk]),
        {
            "unpublish-version": claim.version,
            "unpublish-reason": "A court order.",
            "unpublish-take_down": "on",
        },
    )
    assert response.status_code == 302
    verdict = Verdict.objects.get(pk=published_verdict.pk)
    assert not verdict.public and verdict.taken_down_at is not None


class _SchemaEditor:
    """What the data migration uses of a schema editor: the connection, and running SQL."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_migration_keeps_the_published_versions(published_verdict, reviewer_user, editor_user):
    """Verdicts published before: each keeps what its page shows; one unpublished for rework
    under the old rules (off the site, its draft since changed) keeps its rework record's
    rating and explanation and stays down until approved."""
    legacy = factories.VerdictFactory(
        claim=factories.ClaimFactory(status=Claim.Status.IN_REVIEW),
        published_at=published_verdict.published_at,
        rating=rating("false"),
        explanation="A draft since.",
    )
    VerdictCorrection.objects.create(
        verdict=legacy,
        status=VerdictCorrection.Status.REWORK,
        reason="Redo",
        previous_rating=rating("mixed"),
        previous_explanation="As it was published.",
        corrected_by=editor_user,
    )
    # Blank the published versions (the rating cannot be: the constraint wants one).
    Verdict.objects.update(
        published_rating=rating("false"),
        published_explanation="",
        published_speaker=None,
        published_quote="",
    )
    migration = importlib.import_module("claims.migrations.0030_verdict_published_version")
    migration.keep_published_versions(apps, _SchemaEditor())
    published = Verdict.objects.get(pk=published_verdict.pk)
    assert (published.published_rating.slug, published.taken_down_at) == ("true", None)
    assert published.published_speaker_id == published.claim.speaker_id
    assert published.published_quote == "The strikes hit three targets in Iraq"
    reworked = Verdict.objects.get(pk=legacy.pk)
    assert reworked.published_rating.slug == "mixed"
    assert reworked.published_explanation == "As it was published."
    assert reworked.taken_down_at is not None and not reworked.public
    counters.recount()
    assert counters.drift() == {}


def _public_answers(verdict: Verdict) -> dict[str, str]:
    """What the machine-readable surfaces say of the public site, as text."""
    answers = {}
    for url in (
        "/claimreview.json",
        "/sitemap-verdicts.xml",
        "/verdicts/feed/",
        "/verdicts/feed/atom/",
        "/api/verdicts",
        f"/api/verdicts/{verdict.slug}",
        "/api/ratings",
        "/api/claimreview",
    ):
        response = Client().get(url)
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        answers[url] = body.replace('"under_review": true', '"under_review": false')
    return answers


def test_rework_changes_nothing_public_until_approved(
    published_verdict, reviewer_user, editor_user, other_editor_user
):
    """Byte for byte: the feeds, the sitemap, the ClaimReview data feed and the public API say
    the same before the claim is reopened and all through its rework (the API adds only that
    it is under review), until a second editor approves the rework."""
    before = _public_answers(published_verdict)
    claim = _reopen(published_verdict, editor_user)
    claim = claim_update(
        claim=claim,
        by=reviewer_user,
        expected_version=claim.version,
        statement="Reworded while reworked",
        content="The strikes hit three targets in Syria",
    )
    verdict = _rework(claim, reviewer_user, explanation="Reworked explanation.")
    verdict_services.verdict_return(verdict=verdict, by=other_editor_user, comment="Again.")
    verdict = _rework(Claim.objects.get(pk=claim.pk), reviewer_user)
    assert _public_answers(published_verdict) == before
    verdict_services.verdict_approve(verdict=verdict, by=other_editor_user)
    after = _public_answers(published_verdict)
    assert "Reworded while reworked" in after["/claimreview.json"]
    assert "Mostly true" in after[f"/api/verdicts/{published_verdict.slug}"]
