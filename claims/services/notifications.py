"""Writes of notifications: tell people about the claims they work on, and e-mail them.

The claim services call `notify` inside their own transaction, so a notification exists exactly
when the change it tells of was saved. E-mail never goes out in the request: each e-mailed
notification is handed to the `send_notification_email` job once the transaction commits, and
that job takes it with a conditional update, so two deliveries of the job send it once.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from claims import selectors
from claims.jobs import enqueue_notification_emails
from claims.mentions import mentioned_usernames
from claims.models import Claim, Comment, Notification, NotificationPreference

logger = logging.getLogger(__name__)

Kind = Notification.Kind
Email = Notification.Email

# A job that took a notification and died is presumed dead after this long; the e-mail is then
# sent by the next delivery (at worst twice, never not at all).
SENDING_STALE_AFTER = datetime.timedelta(minutes=10)


class EmailRetry(Exception):
    """The mail server could not be reached; the job tries again later."""


def person_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "A background job"
    return user.get_full_name() or user.get_username()


def claim_excerpt(claim: Claim, length: int = 90) -> str:
    return "“" + Truncator(" ".join(claim.content.split())).chars(length) + "”"


def preferences_for(user_ids: Iterable[int], kind: str) -> dict[int, NotificationPreference]:
    return {
        pref.user_id: pref
        for pref in NotificationPreference.objects.filter(user_id__in=list(user_ids), kind=kind)
    }


def notify(
    *,
    kind: str,
    recipients: Iterable[AbstractBaseUser | None],
    claim: Claim,
    message: str,
    actor: AbstractBaseUser | None = None,
) -> list[Notification]:
    """Notify each recipient of something about `claim`, as each chose for this kind.

    Nobody is told about what they did themselves, and only active staff are told anything:
    someone whose role was taken away gets no more news of the newsroom's claims.
    """
    wanted = {
        user.pk for user in recipients if user is not None and (actor is None or user != actor)
    }
    if not wanted:
        return []
    people = list(selectors.staff_users().filter(pk__in=wanted).only("id", "email"))
    preferences = preferences_for([person.pk for person in people], kind)
    rows = []
    for person in people:
        pref = preferences.get(person.pk)
        in_app = pref.in_app if pref else True
        email = (pref.email if pref else True) and bool(person.email)
        if not in_app and not email:
            continue
        rows.append(
            Notification(
                recipient=person,
                actor=actor,
                kind=kind,
                claim=claim,
                message=message[:500],
                in_app=in_app,
                email_status=Email.PENDING if email else Email.NONE,
            )
        )
    created = Notification.objects.bulk_create(rows)
    enqueue_notification_emails([row.pk for row in created if row.email_status == Email.PENDING])
    return created


# The triggers, one per kind; the claim and verdict services call them.


def notify_assigned(*, claim: Claim, assignee: AbstractBaseUser, by: AbstractBaseUser) -> None:
    notify(
        kind=Kind.ASSIGNED,
        recipients=[assignee],
        claim=claim,
        actor=by,
        message=f"{person_name(by)} assigned you a claim: {claim_excerpt(claim)}",
    )


def notify_awaiting_approval(*, claim: Claim, rating_name: str, by: AbstractBaseUser) -> None:
    notify(
        kind=Kind.AWAITING_APPROVAL,
        recipients=selectors.editors(),
        claim=claim,
        actor=by,
        message=f"{person_name(by)} proposes “{rating_name}” and asks for approval: "
        f"{claim_excerpt(claim)}",
    )


def notify_returned(
    *, claim: Claim, author: AbstractBaseUser | None, comment: str, by: AbstractBaseUser
) -> None:
    notify(
        kind=Kind.RETURNED,
        recipients=[author],
        claim=claim,
        actor=by,
        message=f"{person_name(by)} returned your verdict on {claim_excerpt(claim, 60)}: "
        f"{Truncator(comment).chars(200)}",
    )


def notify_published(
    *, claim: Claim, author: AbstractBaseUser | None, rating_name: str, by: AbstractBaseUser
) -> None:
    assignee = claim.assignee if claim.assignee_id else None
    notify(
        kind=Kind.PUBLISHED,
        recipients=[author, assignee],
        claim=claim,
        actor=by,
        message=f"{person_name(by)} published the verdict “{rating_name}” on "
        f"{claim_excerpt(claim)}",
    )


def notify_correction_proposed(
    *, claim: Claim, rating_name: str, reason: str, by: AbstractBaseUser
) -> None:
    """Another editor has to approve a correction before the public page changes: tell them."""
    notify(
        kind=Kind.AWAITING_APPROVAL,
        recipients=selectors.editors(),
        claim=claim,
        actor=by,
        message=f"{person_name(by)} proposes a correction (“{rating_name}”) and asks for "
        f"approval: {Truncator(reason).chars(150)} ({claim_excerpt(claim, 60)})",
    )


def notify_correction_decided(
    *, claim: Claim, proposer: AbstractBaseUser, approved: bool, comment: str, by: AbstractBaseUser
) -> None:
    """Tell the editor who proposed a correction that it was published, or why it was not."""
    if approved:
        notify(
            kind=Kind.PUBLISHED,
            recipients=[proposer],
            claim=claim,
            actor=by,
            message=f"{person_name(by)} published your correction of {claim_excerpt(claim, 60)}",
        )
    else:
        notify(
            kind=Kind.RETURNED,
            recipients=[proposer],
            claim=claim,
            actor=by,
            message=f"{person_name(by)} did not publish your correction of "
            f"{claim_excerpt(claim, 60)}: {Truncator(comment).chars(200)}",
        )


def notifications_retract(*, claim: Claim, kind: str, since: datetime.datetime) -> int:
    """Take back the notifications of `kind` about `claim` sent since `since` that their
    recipients have not read yet, because what they asked for is gone (a verdict or a correction
    withdrawn by its author before anyone acted on it); how many were taken back.

    Deleted rather than marked: a notification is a to-do for its recipient, and the record of
    what happened is the claim's timeline (the submission and the withdrawal, with who and
    why). A deleted row leaves the bell's count and the list with nothing new to keep out, and
    an e-mail not sent yet is cancelled with it (its job finds no row and sends nothing).
    Notifications already read are kept: their recipient saw them, and their link opens the
    claim as it now stands.
    """
    deleted, _ = Notification.objects.filter(
        claim=claim, kind=kind, created_at__gte=since, read_at__isnull=True
    ).delete()
    return deleted


def notify_mentions(*, comment: Comment) -> list[Notification]:
    """Tell the staff a comment @mentions; names nobody has, or non-staff have, are skipped."""
    names = mentioned_usernames(comment.body)
    if not names:
        return []
    people = (
        selectors.staff_users()
        .annotate(username_lower=Lower("username"))
        .filter(username_lower__in=names)
    )
    return notify(
        kind=Kind.MENTIONED,
        recipients=people,
        claim=comment.claim,
        actor=comment.author,
        message=f"{person_name(comment.author)} mentioned you on "
        f"{claim_excerpt(comment.claim, 60)}: {Truncator(comment.body).chars(200)}",
    )


def notify_corroboration_finished(
    *, claim: Claim, requested_by: AbstractBaseUser | None, outcome: str
) -> None:
    assignee = claim.assignee if claim.assignee_id else None
    notify(
        kind=Kind.CORROBORATION,
        recipients=[requested_by, assignee],
        claim=claim,
        message=f"Evidence search on {claim_excerpt(claim, 60)}: {outcome}",
    )


def notify_already_checked(*, claim: Claim, titles: list[str]) -> None:
    """Whoever works on the claim: its assignee, or failing one the last person to change it."""
    if claim.assignee_id:
        recipient = claim.assignee
    elif claim.last_changed_by_id:
        recipient = claim.last_changed_by
    else:
        return
    shown = "; ".join(f"“{Truncator(title).chars(80)}”" for title in titles[:3] if title)
    notify(
        kind=Kind.ALREADY_CHECKED,
        recipients=[recipient],
        claim=claim,
        message=f"{claim_excerpt(claim, 60)} may already be fact-checked"
        + (f": {shown}" if shown else "."),
    )


# Reading them: the bell and the notifications page.


def notifications_mark_read(*, user: AbstractBaseUser, ids: Iterable[int] | None = None) -> int:
    """Mark the person's unread notifications read (only `ids`, when given); how many were."""
    unread = Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_save(
    *, user: AbstractBaseUser, choices: dict[str, tuple[bool, bool]]
) -> None:
    """Save (in_app, email) for each kind given; a kind left out keeps its setting."""
    for kind, (in_app, email) in choices.items():
        if kind not in Kind.values:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"in_app": in_app, "email": email}
        )


# E-mail: the job's side.


def notification_send_email(*, notification_id: int, may_retry: bool) -> str:
    """Send one notification's e-mail unless it was sent already; the status it ends with."""
    now = timezone.now()
    taken = (
        Notification.objects.filter(pk=notification_id)
        .filter(
            Q(email_status=Email.PENDING)
            | Q(email_status=Email.SENDING, email_started_at__lt=now - SENDING_STALE_AFTER)
        )
        .update(email_status=Email.SENDING, email_started_at=now)
    )
    if not taken:
        row = Notification.objects.filter(pk=notification_id).only("email_status").first()
        return row.email_status if row else ""
    notification = Notification.objects.select_related("recipient", "claim", "actor").get(
        pk=notification_id
    )
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        return _email_finished(notification_id, Email.FAILED, "The person has no e-mail address.")
    subject, body = _email_text(notification)
    try:
        send_mail(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [recipient.email],
            fail_silently=False,
        )
    except (smtplib.SMTPException, OSError) as exc:
        reason = f"{type(exc).__name__}: {exc}"[:500]
        if may_retry:
            Notification.objects.filter(pk=notification_id).update(
                email_status=Email.PENDING, email_error=reason
            )
            raise EmailRetry(reason) from exc
        logger.warning("Notification %s not e-mailed: %s", notification_id, reason)
        return _email_finished(notification_id, Email.FAILED, reason)
    return _email_finished(notification_id, Email.SENT, "")


def _email_finished(notification_id: int, status: str, error: str) -> str:
    Notification.objects.filter(pk=notification_id).update(
        email_status=status,
        email_error=error,
        emailed_at=timezone.now() if status == Email.SENT else None,
    )
    return status


def _email_text(notification: Notification) -> tuple[str, str]:
    context = {
        "notification": notification,
        "claim_url": settings.SITE_URL + notification.claim.get_absolute_url(),
        "settings_url": settings.SITE_URL + reverse("review:notification_settings"),
        "SITE_NAME": settings.SITE_NAME,
    }
    subject = f"[{settings.SITE_NAME}] {Truncator(notification.message).chars(120)}"
    body = render_to_string("email/notification.txt", context)
    return " ".join(subject.split()), body
