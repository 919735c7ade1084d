"""A verdict withdrawn by its author, or returned or approved by an editor, (and a correction
withdrawn by its proposer) takes back the editors' "awaiting approval" notices they have not
read, so nobody opens a request that no longer waits; notices already read, and every other
notice, stay."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from claims.models import Claim, Notification, VerdictRating
from claims.services import verdicts as verdict_services
from claims.services.claims import claim_accept, claim_assign
from claims.services.notifications import notifications_mark_read
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _rating(slug: str = "false") -> VerdictRating:
    return VerdictRating.objects.get(slug=slug)


def _submit(claim: Claim, author) -> Claim:
    verdict_services.verdict_submit(
        claim=claim, by=author, rating=_rating(), explanation="The records say otherwise."
    )
    return Claim.objects.get(pk=claim.pk)


def _awaiting(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=Kind.AWAITING_APPROVAL))


def test_withdrawing_takes_back_unread_notices_and_keeps_read_ones(
    reviewer_user, editor_user, other_editor_user
):
    claim = claim_accept(claim=factories.ClaimFactory(), by=reviewer_user)
    claim_assign(claim=claim, assignee=reviewer_user, by=editor_user)
    claim = _submit(Claim.objects.get(pk=claim.pk), reviewer_user)
    elsewhere = _submit(
        claim_accept(claim=factories.ClaimFactory(), by=reviewer_user), reviewer_user
    )
    (read,) = [n for n in _awaiting(editor_user) if n.claim_id == claim.pk]
    notifications_mark_read(user=editor_user, ids=[read.pk])
    assert len(_awaiting(other_editor_user)) == 2

    verdict_services.verdict_withdraw(verdict=claim.verdict, by=reviewer_user)

    # Eve had not opened hers: gone. Ed had: kept, as he saw it.
    assert [n.claim_id for n in _awaiting(other_editor_user)] == [elsewhere.pk]
    assert {n.pk for n in _awaiting(editor_user) if n.claim_id == claim.pk} == {read.pk}
    # Other kinds of notice about the claim stay (Rita was assigned it).
    assert Notification.objects.filter(claim=claim, kind=Kind.ASSIGNED).count() == 1


def test_an_email_not_sent_yet_is_cancelled_with_its_notice(
    reviewer_user, editor_user, other_editor_user
):
    from claims.tasks import send_notification_email

    claim = _submit(claim_accept(claim=factories.ClaimFactory(), by=reviewer_user), reviewer_user)
    # Inside the test's transaction the e-mail jobs have not run: both e-mails are pending.
    pending = [n.pk for n in Notification.objects.filter(claim=claim)]
    assert len(pending) == 2
    verdict_services.verdict_withdraw(verdict=claim.verdict, by=reviewer_user)
    for notification_id in pending:  # the jobs arrive late, after the withdrawal
        send_notification_email.delay(notification_id)
    assert mail.outbox == []


def test_submitting_again_tells_the_editors_again(reviewer_user, editor_user, other_editor_user):
    claim = _submit(claim_accept(claim=factories.ClaimFactory(), by=reviewer_user), reviewer_user)
    verdict_services.verdict_withdraw(verdict=claim.verdict, by=reviewer_user)
    assert not Notification.objects.filter(claim=claim).exists()
    _submit(Claim.objects.get(pk=claim.pk), reviewer_user)
    assert len(_awaiting(editor_user)) == len(_awaiting(other_editor_user)) == 1
    # A second withdrawal takes back the second round only: nothing older is left to take.
    claim = Claim.objects.get(pk=claim.pk)
    verdict_services.verdict_withdraw(verdict=claim.verdict, by=reviewer_user)
    assert not Notification.objects.filter(claim=claim).exists()


@pytest.mark.parametrize("decision", ["return", "approve"])
def test_a_decided_request_is_taken_back_from_the_other_editors(
    decision, reviewer_user, editor_user, other_editor_user
):
    """Once one editor returns or approves the verdict, the other editors' unread requests no
    longer wait for anyone; read ones stay, and the author's own notice of the decision stays."""
    third = factories.editor(username="tia-editor")
    claim = _submit(claim_accept(claim=factories.ClaimFactory(), by=reviewer_user), reviewer_user)
    assert len(_awaiting(other_editor_user)) == 1 and len(_awaiting(third)) == 1
    notifications_mark_read(user=third)
    if decision == "return":
        verdict_services.verdict_return(verdict=claim.verdict, by=editor_user, comment="Cite it.")
        told = Kind.RETURNED
    else:
        verdict_services.verdict_approve(verdict=claim.verdict, by=editor_user)
        told = Kind.PUBLISHED
    assert _awaiting(other_editor_user) == []
    assert len(_awaiting(third)) == 1  # read before: kept
    assert Notification.objects.filter(recipient=reviewer_user, kind=told).count() == 1


def test_the_editors_bell_drops_when_the_author_withdraws_in_the_workspace(
    reviewer_client, reviewer_user, editor_user
):
    claim = _submit(claim_accept(claim=factories.ClaimFactory(), by=reviewer_user), reviewer_user)
    editor = Client()
    editor.force_login(editor_user)
    bell = reverse("review:notification_bell")
    assert 'data-unread="1"' in editor.get(bell, **HTMX).content.decode()
    response = reviewer_client.post(
        reverse("review:verdict_withdraw", args=[claim.pk]),
        {"withdraw-version": claim.version, "withdraw-reason": "A new report came in."},
        **HTMX,
    )
    assert response.status_code == 200
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.IN_REVIEW
    assert 'data-unread="' not in editor.get(bell, **HTMX).content.decode()
    listing = editor.get(reverse("review:notifications")).content.decode()
    assert "asks for approval" not in listing


def test_a_correction_withdrawn_by_its_proposer_takes_back_the_other_editors_notices(
    published_verdict, editor_user, other_editor_user
):
    third = factories.editor(username="tia-editor")
    # Ed's request to approve the verdict itself, unread, was taken back when it was approved.
    assert _awaiting(editor_user) == []
    proposal = verdict_services.correction_propose(
        verdict=published_verdict,
        by=other_editor_user,
        reason="A fourth target was confirmed.",
        rating=_rating("mostly-true"),
    )
    claim = published_verdict.claim
    assert len(_awaiting(editor_user)) == 1 and len(_awaiting(third)) == 1
    notifications_mark_read(user=third)
    verdict_services.correction_reject(correction=proposal, by=other_editor_user)
    assert _awaiting(editor_user) == []
    assert len(_awaiting(third)) == 1  # read before: kept
    # The verdict's own history (its publication) is untouched.
    assert Notification.objects.filter(claim=claim, kind=Kind.PUBLISHED).exists()
