"""Link health: evidence addresses are read again now and then, and a page that is gone, or whose
text changed since it was found, is flagged on its claim. The stored snapshot never changes: it
is what the reviewer saw, and what a verdict may rest on.

"Gone" is a 404 or 410, or a page that could not be reached on several checks in a row (one
timeout is not a dead link). "Changed" compares the page's text with the text read from the same
address when the evidence was found (`page_sha256`); evidence that came from the archive, whose
text was not read from the address, gets that baseline on its first check.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.corroboration.pages import read_page, text_sha256
from claims.jobs import enqueue_link_check
from claims.models import Claim, ClaimEvent, Evidence
from claims.services.workflow import record_event

logger = logging.getLogger(__name__)

LinkStatus = Evidence.LinkStatus

# Checks in a row that could not reach a page before it counts as gone.
UNREACHABLE_LIMIT = 3
GONE_STATUSES = {404, 410}

GONE = "The page is gone ({reason})"
NEVER_REACHED = "The page could not be reached on {count} checks in a row ({reason})"
CHANGED_PASSAGE_KEPT = "The page's text changed since it was found; the passage is still in it."
CHANGED_PASSAGE_GONE = "The page's text changed since it was found, and the passage is gone."


def links_due(limit: int | None = None) -> list[int]:
    """Evidence whose link is due a check: never checked first, then those not checked for
    LINK_CHECK_DAYS, longest ago first.

    Only web addresses of claims not dismissed, not our own pages, and not evidence a reviewer
    marked irrelevant. Two queries, each in the order of the (link_checked_at, id) index: the
    databases disagree on where NULLs sort, and an index cannot serve "NULLs first" on both.
    """
    limit = limit or settings.LINK_CHECK_BATCH
    cutoff = timezone.now() - datetime.timedelta(days=settings.LINK_CHECK_DAYS)
    checkable = (
        Evidence.objects.exclude(stance=Evidence.Stance.IRRELEVANT)
        .exclude(claim__status=Claim.Status.DISMISSED)
        .filter(Q(url__startswith="http://") | Q(url__startswith="https://"))
        .exclude(url__startswith=settings.SITE_URL + "/")
    )
    never = list(
        checkable.filter(link_checked_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if len(never) == limit:
        return never
    stale = checkable.filter(link_checked_at__lt=cutoff).order_by("link_checked_at", "pk")
    return never + list(stale.values_list("pk", flat=True)[: limit - len(never)])


def links_check_due() -> int:
    """Queue a check of every evidence link that is due (the beat job); the number queued."""
    due = links_due()
    with transaction.atomic():
        for pk in due:
            enqueue_link_check(pk)
    return len(due)


def evidence_check_link(*, evidence_id: int) -> Evidence | None:
    """Read the evidence's address again and record what became of it; safe to run twice."""
    evidence = Evidence.objects.select_related("claim").filter(pk=evidence_id).first()
    if evidence is None:
        return None
    page = read_page(evidence.url)
    now = timezone.now()
    before = evidence.link_status
    if page.text:
        sha = text_sha256(page.text)
        evidence.link_failures = 0
        if not evidence.page_sha256:
            evidence.page_sha256 = sha
            status, note = LinkStatus.OK, ""
        elif sha == evidence.page_sha256:
            status, note = LinkStatus.OK, ""
        else:
            kept = _contains(page.text, evidence.passage)
            status = LinkStatus.CHANGED
            note = CHANGED_PASSAGE_KEPT if kept else CHANGED_PASSAGE_GONE
    elif page.status in GONE_STATUSES:
        status, note = LinkStatus.GONE, GONE.format(reason=page.error.rstrip("."))
        evidence.link_failures = 0
    else:
        evidence.link_failures += 1
        if evidence.link_failures >= UNREACHABLE_LIMIT:
            status = LinkStatus.GONE
            note = NEVER_REACHED.format(
                count=evidence.link_failures, reason=(page.error or "no text").rstrip(".")
            )
        else:
            status, note = LinkStatus.UNREACHABLE, page.error
    flagged = status in {LinkStatus.GONE, LinkStatus.CHANGED}
    with transaction.atomic():
        evidence.link_status = status
        evidence.link_note = note[:500]
        evidence.link_checked_at = now
        if flagged and before != status:
            evidence.link_flagged_at = now
        elif not flagged:
            evidence.link_flagged_at = None
        evidence.save(
            update_fields=[
                "link_status",
                "link_note",
                "link_checked_at",
                "link_flagged_at",
                "link_failures",
                "page_sha256",
                "updated_at",
            ]
        )
        if flagged and before != status:
            record_event(
                evidence.claim,
                by=None,
                action=ClaimEvent.Action.EVIDENCE_CHANGED,
                field="link",
                before=before,
                after=status,
                note=f"{evidence.url}: {note}",
            )
    return evidence


def _contains(text: str, passage: str) -> bool:
    if not passage.strip():
        return True
    return " ".join(passage.split()) in " ".join(text.split())
