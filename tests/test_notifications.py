"""Notifications: each trigger in the app and by e-mail, @mentions, per-person settings, the
e-mail job, and the bell, list and settings pages."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.urls import reverse

from claims.mentions import mentioned_usernames
from claims.models import ClaimMatch, MatchingSettings, Notification, VerdictRating
from claims.services import corroboration, notifications
from claims.services.claims import claim_accept, claim_assign, claim_comment
from claims.services.matches import claim_match_fact_checks
from claims.services.verdicts import verdict_approve, verdict_return, verdict_submit
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what services queue for after the commit (the e-mail jobs) as the commit would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def _rating(slug: str = "false") -> VerdictRating:
    return VerdictRating.objects.get(slug=slug)


def _in_app(user, kind=None):
    rows = Notification.objects.filter(recipient=user, in_app=True)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows)


def _mail_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


# Triggers


def test_assigning_a_claim_tells_the_assignee_in_the_app_and_by_email(
    commit, settings, reviewer_user, editor_user
):
    claim = factories.ClaimFactory(content="The strikes hit five targets in Iraq and Syria")
    commit(lambda: claim_assign(claim=claim, assignee=reviewer_user, by=editor_user))
    (note,) = _in_app(reviewer_user, Kind.ASSIGNED)
    assert note.claim == claim
    assert note.actor == editor_user
    assert "assigned you a claim" in note.message
    assert "The strikes hit five targets" in note.message
    (message,) = _mail_to(reviewer_user)
    assert "assigned you a claim" in message.subject
    assert settings.SITE_URL + reverse("review:claim", args=[claim.pk]) in message.body
    assert settings.SITE_URL + reverse("review:notification_settings") in message.body
    note.refresh_from_db()
    assert note.email_status == Notification.Email.SENT
    assert note.emailed_at is not None
    assert not _in_app(editor_user)


def test_taking_a_claim_yourself_or_assigning_it_again_tells_nobody(
    commit, reviewer_user, editor_user
):
    claim = factories.ClaimFactory()
    commit(lambda: claim_assign(claim=claim, assignee=reviewer_user, by=reviewer_user))
    assert not Notification.objects.exists()
    commit(lambda: claim_assign(claim=claim, assignee=editor_user, by=reviewer_user))
    commit(lambda: claim_assign(claim=claim, assignee=editor_user, by=reviewer_user))
    assert len(_in_app(editor_user, Kind.ASSIGNED)) == 1
    commit(lambda: claim_assign(claim=claim, assignee=None, by=reviewer_user))
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_submitted_verdict_tells_every_editor_but_its_author(
    commit, reviewer_user, editor_user, other_editor_user
):
    claim = claim_accept(claim=factories.ClaimFactory(), by=editor_user)
    commit(
        lambda: verdict_submit(
            claim=claim, by=editor_user, rating=_rating(), explanation="Records show otherwise."
        )
    )
    (note,) = _in_app(other_editor_user, Kind.AWAITING_APPROVAL)
    assert "asks for approval" in note.message and "“False”" in note.message
    assert not _in_app(editor_user, Kind.AWAITING_APPROVAL)  # the author
    assert not _in_app(reviewer_user, Kind.AWAITING_APPROVAL)  # not an editor
    assert [m.to for m in mail.outbox] == [[other_editor_user.email]]


def test_a_returned_verdict_tells_its_author(commit, reviewer_user, editor_user):
    claim = claim_accept(claim=factories.ClaimFactory(), by=reviewer_user)
    verdict = verdict_submit(claim=claim, by=reviewer_user, rating=_rating(), explanation="No.")
    commit(lambda: verdict_return(verdict=verdict, by=editor_user, comment="Cite the ministry."))
    (note,) = _in_app(reviewer_user, Kind.RETURNED)
    assert "returned your verdict" in note.message and "Cite the ministry." in note.message
    assert note.claim == claim
    assert len(_mail_to(reviewer_user)) == 1


def test_a_published_verdict_tells_its_author_and_the_assignee(
    commit, reviewer_user, editor_user, other_editor_user
):
    assignee = factories.reviewer(username="asa-assignee")
    claim = claim_assign(claim=factories.ClaimFactory(), assignee=assignee, by=assignee)
    claim = claim_accept(claim=claim, by=reviewer_user)
    verdict = verdict_submit(claim=claim, by=reviewer_user, rating=_rating(), explanation="No.")
    Notification.objects.all().delete()
    commit(lambda: verdict_approve(verdict=verdict, by=editor_user))
    assert len(_in_app(reviewer_user, Kind.PUBLISHED)) == 1
    assert len(_in_app(assignee, Kind.PUBLISHED)) == 1
    assert not _in_app(editor_user)  # the approver
    assert not _in_app(other_editor_user)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([reviewer_user.email, assignee.email])


def test_a_finished_evidence_search_tells_who_asked_and_the_assignee(reviewer_user, editor_user):
    claim = claim_assign(claim=factories.ClaimFactory(), assignee=editor_user, by=editor_user)
    run = corroboration.corroboration_request(claim=claim, by=reviewer_user)
    corroboration.corroboration_run(run_id=run.pk, providers=[_NothingFound()])
    for person in (reviewer_user, editor_user):
        (note,) = _in_app(person, Kind.CORROBORATION)
        assert "finished; nothing was found" in note.message
        assert note.actor is None


def test_a_failed_evidence_search_tells_them_too(reviewer_user):
    claim = factories.ClaimFactory()
    run = corroboration.corroboration_request(claim=claim, by=reviewer_user)
    corroboration.corroboration_stopped(run_id=run.pk, reason="It took too long.")
    (note,) = _in_app(reviewer_user, Kind.CORROBORATION)
    assert "failed. It took too long." in note.message


class _NothingFound:
    name = "nothing"
    uses_database = True

    def search(self, query, *, limit):
        return []


def _fact_check_document(title: str):
    from claims.models import ArchiveDocument

    return ArchiveDocument.objects.create(
        kind=ArchiveDocument.Kind.FACT_CHECK,
        key=f"test:{title}",
        url="https://checker.example/" + title.replace(" ", "-"),
        title=title,
        text=title,
    )


def test_a_claim_found_already_fact_checked_tells_its_assignee_once(
    monkeypatch, reviewer_user, editor_user
):
    from claims.corroboration.matching import FactCheckMatch
    from claims.services import matches

    MatchingSettings.objects.update_or_create(pk=1, defaults={"threshold": 0.6})
    claim = claim_assign(claim=factories.ClaimFactory(), assignee=reviewer_user, by=editor_user)
    document = _fact_check_document("Embassy staff were not there")
    weak = _fact_check_document("Something else entirely")
    found = [
        FactCheckMatch(document=document, score=0.9, reasons=["words"]),
        FactCheckMatch(document=weak, score=0.3, reasons=[]),
    ]
    monkeypatch.setattr(matches, "match_fact_checks", lambda *a, **k: found)
    claim_match_fact_checks(claim=claim)
    (note,) = _in_app(reviewer_user, Kind.ALREADY_CHECKED)
    assert "may already be fact-checked" in note.message
    assert "Embassy staff were not there" in note.message
    assert "Something else" not in note.message
    claim_match_fact_checks(claim=claim)  # the same fact-check found again: no news
    assert len(_in_app(reviewer_user, Kind.ALREADY_CHECKED)) == 1
    assert ClaimMatch.objects.filter(claim=claim).count() == 2


def test_an_unassigned_claim_found_fact_checked_tells_who_changed_it_last(
    monkeypatch, reviewer_user
):
    from claims.corroboration.matching import FactCheckMatch
    from claims.services import matches

    claim = claim_accept(claim=factories.ClaimFactory(), by=reviewer_user)
    document = _fact_check_document("Already checked")
    monkeypatch.setattr(
        matches,
        "match_fact_checks",
        lambda *a, **k: [FactCheckMatch(document=document, score=0.95, reasons=[])],
    )
    claim_match_fact_checks(claim=claim)
    assert len(_in_app(reviewer_user, Kind.ALREADY_CHECKED)) == 1
    untouched = factories.ClaimFactory()
    claim_match_fact_checks(claim=untouched)  # extracted, nobody works on it: nobody to tell
    assert not Notification.objects.filter(claim=untouched).exists()


# @mentions


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("@rita can you look?", ["rita"]),
        ("Ask @Rita-Reviewer and @ed.editor.", ["rita-reviewer", "ed.editor"]),
        ("cc @rita, @rita and @RITA", ["rita"]),
        ("Write to desk@outlet.org, not a mention", []),
        ("(@ed) and @ed_2!", ["ed", "ed_2"]),
        ("a lone @ sign", []),
        ("email me@here or @@double", []),
    ],
)
def test_mentions_are_parsed_from_the_text(text, names):
    assert mentioned_usernames(text) == names


def test_a_mention_tells_that_staff_member_only(commit, reviewer_user, editor_user):
    outsider = factories.UserFactory(username="pat-public")  # an account with no role
    claim = factories.ClaimFactory()
    commit(
        lambda: claim_comment(
            claim=claim,
            by=reviewer_user,
            body="@ED-editor please check; @pat-public @nobody-here @rita-reviewer",
        )
    )
    (note,) = _in_app(editor_user, Kind.MENTIONED)
    assert "mentioned you" in note.message and "please check" in note.message
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert not _in_app(reviewer_user)  # mentioning yourself is no news
    assert Notification.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[editor_user.email]]


def test_inactive_staff_are_not_told(commit, reviewer_user, editor_user):
    editor_user.is_active = False
    editor_user.save()
    commit(
        lambda: claim_comment(claim=factories.ClaimFactory(), by=reviewer_user, body="@ed-editor")
    )
    assert not Notification.objects.exists()


# Settings per person and kind


def test_each_kind_can_be_switched_off_in_the_app_and_by_email(commit, reviewer_user, editor_user):
    notifications.notification_preferences_save(
        user=reviewer_user,
        choices={Kind.ASSIGNED: (False, True), Kind.MENTIONED: (True, False)},
    )
    claim = factories.ClaimFactory()
    commit(lambda: claim_assign(claim=claim, assignee=reviewer_user, by=editor_user))
    assert not _in_app(reviewer_user)
    assert len(_mail_to(reviewer_user)) == 1  # e-mail only
    commit(lambda: claim_comment(claim=claim, by=editor_user, body="@rita-reviewer look"))
    assert len(_in_app(reviewer_user, Kind.MENTIONED)) == 1
    assert len(_mail_to(reviewer_user)) == 1  # no second e-mail
    notifications.notification_preferences_save(
        user=reviewer_user, choices={Kind.MENTIONED: (False, False)}
    )
    commit(lambda: claim_comment(claim=claim, by=editor_user, body="@rita-reviewer again"))
    assert Notification.objects.filter(recipient=reviewer_user).count() == 2


def test_no_email_address_means_in_the_app_only(commit, reviewer_user, editor_user):
    reviewer_user.email = ""
    reviewer_user.save()
    commit(
        lambda: claim_assign(claim=factories.ClaimFactory(), assignee=reviewer_user, by=editor_user)
    )
    (note,) = _in_app(reviewer_user)
    assert note.email_status == Notification.Email.NONE
    assert mail.outbox == []


# The e-mail job


def test_email_leaves_only_after_the_commit(reviewer_user, editor_user):
    claim_assign(claim=factories.ClaimFactory(), assignee=reviewer_user, by=editor_user)
    # Inside the test's transaction nothing commits: the job has not run, so nothing was sent
    # while the request (here, the service call) was still going.
    assert mail.outbox == []
    assert Notification.objects.get().email_status == Notification.Email.PENDING


def test_the_email_job_sends_once_however_often_it_runs(reviewer_user, editor_user):
    from claims.tasks import send_notification_email

    claim_assign(claim=factories.ClaimFactory(), assignee=reviewer_user, by=editor_user)
    note = Notification.objects.get()
    send_notification_email.delay(note.pk)
    send_notification_email.delay(note.pk)
    assert len(mail.outbox) == 1


def test_an_unreachable_mail_server_is_retried_then_marked(monkeypatch, reviewer_user, editor_user):
    claim_assign(claim=factories.ClaimFactory(), assignee=reviewer_user, by=editor_user)
    note = Notification.objects.get()

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    with pytest.raises(notifications.EmailRetry):
        notifications.notification_send_email(notification_id=note.pk, may_retry=True)
    note.refresh_from_db()
    assert note.email_status == Notification.Email.PENDING
    assert "SMTPServerDisconnected" in note.email_error
    status = notifications.notification_send_email(notification_id=note.pk, may_retry=False)
    assert status == Notification.Email.FAILED
    note.refresh_from_db()
    assert note.email_status == Notification.Email.FAILED and note.emailed_at is None


# Pages


def _notify_many(recipient, n: int, by) -> None:
    for _ in range(n):
        claim_assign(claim=factories.ClaimFactory(), assignee=recipient, by=by)


def test_the_bell_shows_the_unread_count_on_staff_pages(
    reviewer_client, reviewer_user, editor_user
):
    body = reviewer_client.get(reverse("review:queue")).content.decode()
    assert 'id="notification-bell"' in body and "bell-count" not in body
    _notify_many(reviewer_user, 3, editor_user)
    body = reviewer_client.get(reverse("review:queue")).content.decode()
    assert 'data-unread="3"' in body and "Notifications: 3 unread" in body
    bell = reviewer_client.get(reverse("review:notification_bell"), HTTP_HX_REQUEST="true")
    assert bell.status_code == 200
    assert 'data-unread="3"' in bell.content.decode()


def test_the_bell_caps_its_count(reviewer_client, reviewer_user, editor_user):
    from claims.selectors import UNREAD_COUNT_CAP

    claim = factories.ClaimFactory()
    Notification.objects.bulk_create(
        Notification(recipient=reviewer_user, kind=Kind.ASSIGNED, claim=claim, message="x")
        for _ in range(UNREAD_COUNT_CAP + 5)
    )
    body = reviewer_client.get(reverse("review:notification_bell")).content.decode()
    assert f"{UNREAD_COUNT_CAP}+" in body


def test_the_list_shows_own_notifications_linked_to_claims_and_marks_them_read(
    reviewer_client, reviewer_user, editor_user, other_editor_user
):
    claim = factories.ClaimFactory(content="Unemployment fell to four per cent")
    claim_assign(claim=claim, assignee=reviewer_user, by=editor_user)
    claim_comment(claim=claim, by=reviewer_user, body="@eve-editor someone else's news")
    response = reviewer_client.get(reverse("review:notifications"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Unemployment fell to four per cent" in body
    assert f'href="{claim.get_absolute_url()}"' in body
    assert "is-unread" in body and ">New<" in body
    assert "someone else" not in body  # eve's, not rita's
    assert not Notification.objects.filter(recipient=reviewer_user, read_at=None).exists()
    assert Notification.objects.filter(recipient=other_editor_user, read_at=None).count() == 1
    again = reviewer_client.get(reverse("review:notifications")).content.decode()
    assert "is-unread" not in again
    assert "bell-count" not in again


def test_notifications_switched_off_in_the_app_are_not_listed(
    reviewer_client, reviewer_user, editor_user
):
    notifications.notification_preferences_save(
        user=reviewer_user, choices={Kind.ASSIGNED: (False, True)}
    )
    claim_assign(claim=factories.ClaimFactory(), assignee=reviewer_user, by=editor_user)
    body = reviewer_client.get(reverse("review:notifications")).content.decode()
    assert "No notifications yet" in body


def test_mark_all_read(reviewer_client, reviewer_user, editor_user):
    _notify_many(reviewer_user, 2, editor_user)
    assert reviewer_client.get(reverse("review:notifications_read")).status_code == 405
    response = reviewer_client.post(reverse("review:notifications_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(read_at=None).exists()


def test_the_list_pages_through_older_notifications(reviewer_client, reviewer_user, editor_user):
    from claims.selectors import NOTIFICATIONS_PAGE_SIZE

    claim = factories.ClaimFactory()
    Notification.objects.bulk_create(
        Notification(recipient=reviewer_user, kind=Kind.ASSIGNED, claim=claim, message=f"n{i}:")
        for i in range(NOTIFICATIONS_PAGE_SIZE + 3)
    )
    first = reviewer_client.get(reverse("review:notifications")).content.decode()
    assert f"n{NOTIFICATIONS_PAGE_SIZE + 2}:" in first and "n0:" not in first
    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = reviewer_client.get(reverse("review:notifications") + older).content.decode()
    assert "n0:" in second and "n2:" in second and "n3:" not in second


def test_the_list_query_count_does_not_grow(
    reviewer_client, reviewer_user, editor_user, django_assert_num_queries
):
    _notify_many(reviewer_user, 3, editor_user)
    url = reverse("review:notifications")
    # session, user, permissions (2), the page with claims and actors (1), marking read (1),
    # the bell's count (1).
    with django_assert_num_queries(7):
        reviewer_client.get(url)
    _notify_many(reviewer_user, 30, editor_user)
    with django_assert_num_queries(7):
        reviewer_client.get(url)


def test_settings_page_saves_each_kind(reviewer_client, reviewer_user):
    url = reverse("review:notification_settings")
    body = reviewer_client.get(url).content.decode()
    assert body.count('type="checkbox"') == 2 * len(Kind.values)
    data = {f"{kind}-in_app": "on" for kind in Kind.values}
    data.update({f"{kind}-email": "on" for kind in Kind.values if kind != Kind.CORROBORATION})
    response = reviewer_client.post(url, data)
    assert response.status_code == 302
    from claims.selectors import notification_preferences

    chosen = notification_preferences(reviewer_user)
    assert chosen[Kind.CORROBORATION] == (True, False)
    assert chosen[Kind.ASSIGNED] == (True, True)
    assert reviewer_client.put(url).status_code == 405


def test_mention_autocomplete_offers_staff_only(reviewer_client, reviewer_user, editor_user):
    factories.UserFactory(username="ed-outsider")  # no role
    body = reviewer_client.get(reverse("review:mention_options"), {"q": "ed"}).content.decode()
    assert 'data-mention="ed-editor"' in body
    assert "ed-outsider" not in body
    none = reviewer_client.get(reverse("review:mention_options"), {"q": "zz"}).content.decode()
    assert "No colleague" in none and "data-mention=" not in none


def test_the_comment_box_asks_for_mentions(reviewer_client):
    claim = factories.ClaimFactory()
    body = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert f'data-mentions="{reverse("review:mention_options")}"' in body


@pytest.mark.parametrize(
    "name",
    ["notifications", "notification_bell", "notification_settings", "mention_options"],
)
def test_pages_are_for_staff_only(client, plain_user_client, name):
    url = reverse(f"review:{name}")
    assert client.get(url).status_code == 302  # to the login page
    assert plain_user_client.get(url).status_code == 403


def test_the_public_sees_no_bell(client, published_verdict):
    body = client.get(reverse("public:home")).content.decode()
    assert "notification-bell" not in body
