"""The review queue's page cache: a second look is served without rendering, and no write of
any kind (through a service, a bulk action, a bulk insert, a queryset update, the admin's
direct saves) leaves a reviewer looking at a stale queue.

Transactional tests: the cache is used only outside a transaction, and the version moves when
a write commits."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims import roles
from claims.models import (
    Claim,
    Notification,
    SavedView,
    Speaker,
    VerdictCorrection,
    VerdictRating,
)
from claims.services import bulk as bulk_services
from claims.services import claims as claim_services
from claims.services import notifications as notification_services
from claims.services import saved_views as saved_view_services
from claims.services import verdicts as verdict_services
from claims.services.articles import article_submit_text
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = "/review/"
HTMX = {"HTTP_HX_REQUEST": "true"}
# A page served from the cache reads the version, nothing more (not even the session).
HIT_QUERIES = 1


@pytest.fixture(autouse=True)
def _fresh_cache(settings, transactional_db):
    """An empty cache; and the roles and the verdict scale (migration data) that transactional
    tests before this one flushed away."""
    from django.core.cache import cache

    from claims.roles import ensure_roles, ensure_verdict_scale

    ensure_roles(Group, Permission)
    ensure_verdict_scale(VerdictRating)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


def _get(client: Client, path: str = QUEUE, **extra) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _warm(client: Client, path: str = QUEUE, **extra) -> str:
    """Load the page until it is served from the cache (the first look sets the CSRF cookie,
    the second stores the page); returns what the cache serves."""
    _get(client, path, **extra)
    _get(client, path, **extra)
    body, queries = _get(client, path, **extra)
    assert queries <= HIT_QUERIES, "the page was not served from the cache"
    return body


def _assert_fresh(client: Client, path: str = QUEUE, **extra) -> str:
    """The next look renders afresh (the version moved) and shows what it now holds."""
    body, queries = _get(client, path, **extra)
    assert queries > HIT_QUERIES, "a cached page was served after a change"
    return body


def test_second_look_is_served_from_the_cache(reviewer_client):
    factories.ClaimFactory(content="The bridge cost four million")
    _, rendered = _get(reviewer_client)
    assert rendered > HIT_QUERIES
    body = _warm(reviewer_client)
    assert "The bridge cost four million" in body
    assert body.count('class="queue-row"') == 1


def test_cached_page_keeps_working_csrf_tokens(reviewer_user, reviewer_client):
    claim = factories.ClaimFactory()
    body = _warm(reviewer_client)
    token = body.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reviewer_user)
    strict.cookies = reviewer_client.cookies
    response = strict.post(
        "/review/bulk/",
        {
            "csrfmiddlewaretoken": token,
            "action": "take",
            "claims": f"{claim.pk}:{claim.version}",
            "next": QUEUE,
        },
    )
    assert response.status_code in (200, 302)
    claim.refresh_from_db()
    assert claim.assignee_id == reviewer_user.pk


def test_people_do_not_share_pages(reviewer_client, editor_client):
    factories.ClaimFactory()
    reviewer_page = _warm(reviewer_client)
    editor_page = _get(editor_client)[0]
    assert "Sign out rita-reviewer" in reviewer_page
    assert "Sign out ed-editor" in editor_page
    assert "Sign out rita-reviewer" not in editor_page


def test_fragment_and_page_and_filters_are_kept_apart(reviewer_client):
    factories.ClaimFactory(content="A new claim")
    page = _warm(reviewer_client)
    fragment = _warm(reviewer_client, **HTMX)
    assert "<html" in page
    assert "<html" not in fragment
    dismissed = _warm(reviewer_client, f"{QUEUE}?status=dismissed")
    assert "A new claim" not in dismissed
    assert "A new claim" in _get(reviewer_client)[0]


def test_status_change_through_a_service_shows_at_once(reviewer_user, reviewer_client):
    claim = factories.ClaimFactory(content="Unemployment fell by half")
    assert "Unemployment fell by half" in _warm(reviewer_client, f"{QUEUE}?status=new")
    claim_services.claim_accept(claim=claim, by=reviewer_user)
    body = _assert_fresh(reviewer_client, f"{QUEUE}?status=new")
    assert "Unemployment fell by half" not in body


def test_assignment_shows_at_once(reviewer_user, editor_user, reviewer_client):
    claim = factories.ClaimFactory()
    name = editor_user.get_full_name() or editor_user.get_username()
    assert name not in _warm(reviewer_client).split("<tbody>", 1)[1]
    claim_services.claim_assign(claim=claim, assignee=editor_user, by=reviewer_user)
    body = _assert_fresh(reviewer_client)
    assert name in body.split("<tbody>", 1)[1]


def test_bulk_action_shows_at_once(reviewer_user, reviewer_client):
    claims = [factories.ClaimFactory(content=f"Bulk claim {n}") for n in range(3)]
    assert _warm(reviewer_client, f"{QUEUE}?status=new").count("Bulk claim") == 3
    bulk_services.claims_bulk_action(
        action="dismiss",
        items=[(claim.pk, claim.version) for claim in claims],
        by=reviewer_user,
        reason=Claim.DismissalReason.values[0],
    )
    assert "Bulk claim" not in _assert_fresh(reviewer_client, f"{QUEUE}?status=new")


def test_new_claims_from_ingest_show_at_once(
    reviewer_user, reviewer_client, django_capture_on_commit_callbacks
):
    _warm(reviewer_client)
    text = (
        "The minister said the new hospital would open in March with 300 beds. Officials "
        "said unemployment fell by two per cent last year."
    )
    with django_capture_on_commit_callbacks(execute=True):
        article = article_submit_text(text=text, by=reviewer_user)
    assert article.claims.exists()
    body = _assert_fresh(reviewer_client)
    assert "queue-row" in body


def test_bulk_insert_and_queryset_update_show_at_once(reviewer_client):
    """Writes that send no signal at all still move the version."""
    article = factories.ArticleFactory()
    _warm(reviewer_client)
    Claim.objects.bulk_create(
        [factories.ClaimFactory.build(article=article, content="Inserted in bulk", speaker=None)]
    )
    assert "Inserted in bulk" in _assert_fresh(reviewer_client)
    _warm(reviewer_client)
    Claim.objects.filter(content="Inserted in bulk").update(content="Changed by an update")
    assert "Changed by an update" in _assert_fresh(reviewer_client)


def test_verdict_and_rating_changes_show_at_once(reviewer_user, editor_user, reviewer_client):
    claim = claim_services.claim_accept(claim=factories.ClaimFactory(), by=reviewer_user)
    _warm(reviewer_client)
    false = VerdictRating.objects.get(slug="false")
    verdict_services.verdict_submit(
        claim=claim, by=reviewer_user, rating=false, explanation="Records show otherwise."
    )
    body = _assert_fresh(reviewer_client)
    assert false.name in body.split("<tbody>", 1)[1]
    _warm(reviewer_client)
    false.name = "Untrue"
    false.save()
    assert "Untrue" in _assert_fresh(reviewer_client).split("<tbody>", 1)[1]


def test_a_correction_proposed_shows_to_editors_at_once(
    reviewer_user, editor_user, other_editor_user, editor_client
):
    from tests.publishing import publish

    verdict = publish(author=reviewer_user, approver=editor_user)
    assert "Corrections waiting <span" not in _warm(editor_client)
    verdict_services.correction_propose(
        verdict=verdict,
        by=other_editor_user,
        reason="The figure was revised.",
        explanation="Revised.",
    )
    assert "Corrections waiting <span" in _assert_fresh(editor_client)
    # A write to the corrections alone (as the admin or a data fix makes it).
    _warm(editor_client)
    VerdictCorrection.objects.update(
        status=VerdictCorrection.Status.REJECTED, decided_at=timezone.now(), decided_by=editor_user
    )
    assert "Corrections waiting <span" not in _assert_fresh(editor_client)


def test_speaker_rename_shows_at_once(reviewer_client):
    claim = factories.ClaimFactory()
    _warm(reviewer_client)
    Speaker.objects.filter(pk=claim.speaker_id).update(name="Renamed Speaker")
    assert "Renamed Speaker" in _assert_fresh(reviewer_client)


def test_notification_shows_under_the_bell_at_once(reviewer_user, editor_user, reviewer_client):
    claim = factories.ClaimFactory()
    assert "bell-count" not in _warm(reviewer_client)
    notification_services.notify_assigned(claim=claim, assignee=reviewer_user, by=editor_user)
    assert Notification.objects.filter(recipient=reviewer_user).exists()
    assert "bell-count" in _assert_fresh(reviewer_client)
    _warm(reviewer_client)
    notification_services.notifications_mark_read(user=reviewer_user)
    assert "bell-count" not in _assert_fresh(reviewer_client)


def test_saved_view_shows_at_once(reviewer_user, reviewer_client):
    _warm(reviewer_client)
    saved_view_services.saved_view_save(user=reviewer_user, name="Mine today", query="mine=on")
    assert SavedView.objects.filter(user=reviewer_user).exists()
    assert "Mine today" in _assert_fresh(reviewer_client)


def test_losing_the_role_is_not_hidden_by_the_cache(reviewer_user, reviewer_client):
    _warm(reviewer_client)
    reviewer_user.groups.clear()
    assert reviewer_client.get(QUEUE).status_code == 403


def test_losing_a_permission_of_the_group_is_not_hidden_by_the_cache(
    reviewer_user, reviewer_client
):
    _warm(reviewer_client)
    group = Group.objects.get(name=roles.REVIEWER)
    group.permissions.remove(Permission.objects.get(codename="review_claim"))
    assert reviewer_client.get(QUEUE).status_code == 403


def test_signed_out_or_deactivated_people_get_no_cached_page(reviewer_user, reviewer_client):
    _warm(reviewer_client)
    reviewer_user.is_active = False
    reviewer_user.save()
    assert reviewer_client.get(QUEUE).status_code == 302
    reviewer_user.is_active = True
    reviewer_user.save()
    reviewer_client.force_login(reviewer_user)
    _warm(reviewer_client)
    reviewer_client.logout()
    assert reviewer_client.get(QUEUE).status_code == 302


def test_a_new_password_signs_the_old_sessions_out_despite_the_cache(
    reviewer_user, reviewer_client
):
    _warm(reviewer_client)
    reviewer_user.set_password("a new long passphrase")
    reviewer_user.save()
    assert reviewer_client.get(QUEUE).status_code == 302


def test_the_request_log_names_the_person_on_a_page_from_the_cache(
    reviewer_user, reviewer_client, caplog
):
    import logging

    _warm(reviewer_client)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="factcheck.request"):
        _, queries = _get(reviewer_client)
    assert queries <= HIT_QUERIES
    assert [r.user_id for r in caplog.records if r.name == "factcheck.request"] == [
        reviewer_user.pk
    ]


def test_a_session_ended_elsewhere_gets_no_cached_page(reviewer_client):
    """Signing out in another tab or server process deletes the session's row."""
    from django.contrib.sessions.models import Session

    _warm(reviewer_client)
    Session.objects.filter(session_key=reviewer_client.session.session_key).delete()
    assert reviewer_client.get(QUEUE).status_code == 302


def test_an_expired_session_gets_no_cached_page(reviewer_client, monkeypatch):
    import time

    _warm(reviewer_client)
    expiry = reviewer_client.session.get_expiry_date().timestamp()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: max(real_time(), expiry + 1))
    _, queries = _get(reviewer_client)
    assert queries > HIT_QUERIES


def test_a_message_to_show_is_never_served_from_or_stored_in_the_cache(
    reviewer_user, reviewer_client
):
    claim = factories.ClaimFactory()
    _warm(reviewer_client)
    response = reviewer_client.post(
        "/review/bulk/",
        {"action": "take", "claims": f"{claim.pk}:{claim.version}", "next": QUEUE},
    )
    assert response.status_code == 302
    body, queries = _get(reviewer_client)
    assert queries > HIT_QUERIES
    assert 'class="messages"' in body
    body, _ = _get(reviewer_client)
    assert 'class="messages"' not in body


def test_overdue_turns_with_the_date(reviewer_client, monkeypatch):
    from django.utils import timezone

    today = timezone.localdate()
    factories.ClaimFactory(due_on=today + datetime.timedelta(days=1))
    assert "Overdue, due" not in _warm(reviewer_client)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + datetime.timedelta(days=2))
    assert "Overdue, due" in _get(reviewer_client)[0]


def test_the_cache_can_be_turned_off(reviewer_client, settings):
    settings.REVIEW_CACHE_SECONDS = 0
    factories.ClaimFactory()
    for _ in range(3):
        assert _get(reviewer_client)[1] > HIT_QUERIES


def test_pages_are_not_cached_inside_a_transaction(reviewer_user, reviewer_client):
    """A request run inside a transaction (tests, a caller with its own) may see writes not yet
    committed: it renders every time."""
    from django.db import transaction

    factories.ClaimFactory()
    with transaction.atomic():
        for _ in range(3):
            assert _get(reviewer_client)[1] > HIT_QUERIES
