"""The queue's bulk actions: each claim through its own service in its own transaction, a claim
changed meanwhile refused by its version, and an answer that says what changed and what not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimEvent, CorroborationRun, Notification
from claims.services.bulk import BULK_MAX_CLAIMS, claims_bulk_action
from claims.services.claims import claim_dismiss, claim_update
from claims.services.errors import ServiceError
from tests import factories

pytestmark = pytest.mark.django_db

BULK = reverse("review:queue_bulk")
HTMX = {"HTTP_HX_REQUEST": "true"}
Status = Claim.Status


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _ticked(claims) -> list[str]:
    """The checkbox values the queue rendered for these claims: id and version seen."""
    return [f"{claim.pk}:{claim.version}" for claim in claims]


def test_one_stale_claim_among_ten_is_refused_and_the_nine_are_dismissed(
    reviewer_client, reviewer_user, editor_user
):
    claims = factories.ClaimFactory.create_batch(10)
    seen = _ticked(claims)  # the queue as the reviewer loaded it
    stale = claims[4]
    claim_update(claim=stale, by=editor_user, expected_version=stale.version, content="Edited")
    response = reviewer_client.post(
        BULK,
        {"action": "dismiss", "reason": "not_checkable", "note": "Sweep", "claims": seen},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "9 claims dismissed; 1 refused." in body
    assert f"#{stale.pk}" in body
    assert "changed it since you loaded the queue" in body
    assert response["HX-Trigger"] == "queue-changed"
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses[stale.pk] == Status.NEW
    assert [statuses[c.pk] for c in claims if c != stale] == [Status.DISMISSED] * 9
    # Through the same service as one dismissal: reason, note and a timeline entry each.
    dismissed = Claim.objects.get(pk=claims[0].pk)
    assert dismissed.dismissal_reason == "not_checkable"
    event = ClaimEvent.objects.filter(claim=dismissed, field="status").get()
    assert event.actor == reviewer_user and event.note == "Not checkable. Sweep"
    assert not ClaimEvent.objects.filter(claim=stale, field="status").exists()


def test_a_refused_move_leaves_the_others_done(reviewer_user):
    claims = factories.ClaimFactory.create_batch(3)
    claim_dismiss(claim=claims[1], by=reviewer_user, reason="opinion")
    claims[1].refresh_from_db()
    outcome = claims_bulk_action(action="accept", items=_items(claims), by=reviewer_user)
    assert outcome.changed == [claims[0].pk, claims[2].pk]
    (refusal,) = outcome.refused
    assert refusal.claim_id == claims[1].pk
    assert "dismissed cannot be moved to in review" in refusal.reason
    assert Claim.objects.filter(status=Status.IN_REVIEW).count() == 2


def _items(claims):
    return [(claim.pk, claim.version) for claim in claims]


def test_assigning_many_tells_the_assignee_once_per_claim(reviewer_user, editor_user):
    claims = factories.ClaimFactory.create_batch(4)
    outcome = claims_bulk_action(
        action="assign", items=_items(claims), by=editor_user, assignee=reviewer_user
    )
    assert len(outcome.changed) == 4 and not outcome.refused
    assert Claim.objects.filter(assignee=reviewer_user).count() == 4
    assert Notification.objects.filter(recipient=reviewer_user, kind="assigned").count() == 4


def test_take_assigns_to_the_person_acting(reviewer_client, reviewer_user):
    claims = factories.ClaimFactory.create_batch(2)
    response = reviewer_client.post(BULK, {"action": "take", "claims": _ticked(claims)}, **HTMX)
    assert "2 claims taken." in response.content.decode()
    assert Claim.objects.filter(assignee=reviewer_user).count() == 2


def test_start_evidence_search_queues_one_run_per_searchable_claim(reviewer_user):
    claims = factories.ClaimFactory.create_batch(3)
    claim_dismiss(claim=claims[2], by=reviewer_user, reason="opinion")
    outcome = claims_bulk_action(action="corroborate", items=_items(claims), by=reviewer_user)
    assert outcome.changed == [claims[0].pk, claims[1].pk]
    assert "not searched" in outcome.refused[0].reason
    assert CorroborationRun.objects.count() == 2


def test_a_claim_deleted_meanwhile_is_refused(reviewer_user):
    claims = factories.ClaimFactory.create_batch(2)
    items = _items(claims)
    Claim.objects.filter(pk=claims[0].pk).delete()
    outcome = claims_bulk_action(action="take", items=items, by=reviewer_user)
    assert outcome.changed == [claims[1].pk]
    assert outcome.refused[0].reason == "The claim no longer exists."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "take"}, "Choose the claims first."),
        ({"action": "dismiss", "claims": ["1:1"]}, "Choose why the claims are dismissed."),
        ({"action": "dismiss", "reason": "duplicate", "claims": ["1:1"]}, "Select a valid"),
        ({"action": "assign", "claims": ["1:1"]}, "Choose whom to assign"),
        ({"action": "assign", "assignee": 999999, "claims": ["1:1"]}, "cannot be assigned"),
        ({"action": "explode", "claims": ["1:1"]}, "Select a valid choice"),
        ({"action": "take", "claims": ["one"]}, "were not understood"),
    ],
)
def test_bad_requests_are_refused_whole_with_a_message(reviewer_client, data, message):
    factories.ClaimFactory()
    response = reviewer_client.post(BULK, data, **HTMX)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert "HX-Trigger" not in response
    assert not ClaimEvent.objects.exists()


def test_assigning_to_someone_without_a_role_is_refused(reviewer_client):
    outsider = factories.UserFactory(username="outsider")
    claim = factories.ClaimFactory()
    response = reviewer_client.post(
        BULK, {"action": "assign", "assignee": outsider.pk, "claims": _ticked([claim])}, **HTMX
    )
    assert response.status_code == 422
    assert Claim.objects.get().assignee is None


def test_too_many_claims_are_refused(reviewer_user):
    items = [(n, 1) for n in range(1, BULK_MAX_CLAIMS + 2)]
    with pytest.raises(ServiceError, match="at most"):
        claims_bulk_action(action="take", items=items, by=reviewer_user)


def test_without_javascript_it_redirects_back_with_messages(reviewer_client, editor_user):
    claims = factories.ClaimFactory.create_batch(3)
    seen = _ticked(claims)
    claim_update(claim=claims[0], by=editor_user, expected_version=1, content="Changed")
    response = reviewer_client.post(
        BULK, {"action": "accept", "claims": seen, "next": "/review/?status=new"}, follow=True
    )
    assert response.redirect_chain == [("/review/?status=new", 302)]
    body = response.content.decode()
    assert "2 claims accepted." in body
    assert f"Claim #{claims[0].pk} refused:" in body


def test_next_may_not_leave_the_site(reviewer_client):
    claim = factories.ClaimFactory()
    response = reviewer_client.post(
        BULK, {"action": "take", "claims": _ticked([claim]), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("review:queue")


def test_bulk_is_post_only_and_staff_only(client, reviewer_client, plain_user_client):
    assert reviewer_client.get(BULK).status_code == 405
    assert client.post(BULK, {"action": "take"}).status_code == 302
    assert plain_user_client.post(BULK, {"action": "take"}).status_code == 403


def test_the_queue_renders_a_checkbox_per_claim_with_its_version(reviewer_client, editor_user):
    claim = factories.ClaimFactory()
    claim_update(claim=claim, by=editor_user, expected_version=1, content="Changed once")
    body = reviewer_client.get(reverse("review:queue")).content.decode()
    assert f'name="claims" value="{claim.pk}:2" form="bulk-form"' in body
    assert 'id="bulk-form"' in body and 'value="dismiss"' in body
    assert 'value="duplicate"' not in body.split('id="bulk-form"')[1].split("</form>")[0]
    assert 'hx-trigger="queue-changed from:body"' in body
