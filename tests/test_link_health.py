"""Link health: evidence links are read again; a gone or changed page is flagged on the claim,
and the snapshot taken when it was found stays as it was."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.corroboration.pages import text_sha256
from claims.models import ClaimEvent, Evidence
from claims.services import links
from tests import factories

pytestmark = pytest.mark.django_db

FIRST = [
    "Iraqi protesters broke down the gate of the US embassy in Baghdad on Tuesday.",
    "Officials said the embassy staff had been moved to safety before the gate was breached.",
]
REWRITTEN = [
    "Iraqi protesters gathered outside the US embassy in Baghdad on Tuesday.",
    "This story has been corrected: an earlier version said the gate was broken down.",
]


@pytest.fixture
def found(web):
    """Evidence as the search stores it: snapshot and the page's text hash at finding time."""
    web.page("/story", "Embassy gate broken down", FIRST)
    url = web.url("wire-a.test", "/story")
    from claims.corroboration.pages import read_page

    page = read_page(url)
    web.server.clear()
    return factories.EvidenceFactory(
        url=url,
        passage=FIRST[0],
        snapshot=page.text,
        snapshot_sha256="kept-as-found",
        page_sha256=page.sha256,
    )


def test_an_unchanged_page_is_fine(web, found):
    web.page("/story", "Embassy gate broken down", FIRST)
    evidence = links.evidence_check_link(evidence_id=found.pk)
    assert evidence.link_status == Evidence.LinkStatus.OK
    assert evidence.link_checked_at is not None
    assert not evidence.link_needs_attention


def test_a_changed_page_is_flagged_on_the_claim_and_the_snapshot_kept(web, found, reviewer_client):
    web.page("/story", "Embassy gate broken down", REWRITTEN)
    snapshot = found.snapshot
    evidence = links.evidence_check_link(evidence_id=found.pk)
    assert evidence.link_status == Evidence.LinkStatus.CHANGED
    assert evidence.link_note == links.CHANGED_PASSAGE_GONE
    assert evidence.link_flagged_at is not None
    assert (evidence.snapshot, evidence.snapshot_sha256) == (snapshot, "kept-as-found")
    event = found.claim.events.get(action=ClaimEvent.Action.EVIDENCE_CHANGED, field="link")
    assert (event.before, event.after, event.actor) == ("unchecked", "changed", None)
    body = reviewer_client.get(reverse("review:claim", args=[found.claim_id])).content.decode()
    assert "1 evidence link needs attention" in body
    assert "Page changed since it was found" in body
    assert "The snapshot taken when it was found is kept." in body
    # A second check of the same change adds no second timeline entry.
    links.evidence_check_link(evidence_id=found.pk)
    assert found.claim.events.filter(field="link").count() == 1


def test_a_change_that_keeps_the_passage_says_so(web, found):
    web.page("/story", "Embassy gate broken down", [*FIRST, "Update: more protests are planned."])
    evidence = links.evidence_check_link(evidence_id=found.pk)
    assert evidence.link_status == Evidence.LinkStatus.CHANGED
    assert evidence.link_note == links.CHANGED_PASSAGE_KEPT


def test_a_removed_page_is_gone_at_once(web, found):
    web.server.expect_request("/story").respond_with_data("Not here", status=404)
    evidence = links.evidence_check_link(evidence_id=found.pk)
    assert evidence.link_status == Evidence.LinkStatus.GONE
    assert "404" in evidence.link_note
    assert evidence.snapshot


def test_a_page_that_cannot_be_reached_is_gone_only_after_several_checks(web, found):
    web.server.expect_request("/story").respond_with_data("busy", status=503)
    for _ in range(links.UNREACHABLE_LIMIT - 1):
        evidence = links.evidence_check_link(evidence_id=found.pk)
        assert evidence.link_status == Evidence.LinkStatus.UNREACHABLE
        assert not evidence.link_needs_attention
    evidence = links.evidence_check_link(evidence_id=found.pk)
    assert evidence.link_status == Evidence.LinkStatus.GONE
    assert "could not be reached on 3 checks in a row" in evidence.link_note


def test_a_page_that_comes_back_is_fine_again(web, found):
    web.server.expect_request("/story").respond_with_data("Not here", status=404)
    links.evidence_check_link(evidence_id=found.pk)
    web.server.clear()
    web.page("/story", "Embassy gate broken down", FIRST)
    evidence = links.evidence_check_link(evidence_id=found.pk)
    assert evidence.link_status == Evidence.LinkStatus.OK
    assert evidence.link_flagged_at is None


def test_evidence_without_a_baseline_gets_one_on_its_first_check(web):
    web.page("/story", "Embassy gate broken down", FIRST)
    evidence = factories.EvidenceFactory(url=web.url("wire-a.test", "/story"))
    checked = links.evidence_check_link(evidence_id=evidence.pk)
    assert checked.link_status == Evidence.LinkStatus.OK
    assert checked.page_sha256 == text_sha256("\n\n".join(FIRST))


def test_links_due_for_a_check(settings):
    settings.LINK_CHECK_DAYS = 7
    settings.SITE_URL = "https://factcheck.test"
    now = timezone.now()
    never = factories.EvidenceFactory()
    old = factories.EvidenceFactory(link_checked_at=now - datetime.timedelta(days=8))
    factories.EvidenceFactory(link_checked_at=now - datetime.timedelta(days=1))
    factories.EvidenceFactory(stance=Evidence.Stance.IRRELEVANT)
    factories.EvidenceFactory(claim=factories.ClaimFactory(status="dismissed"))
    factories.EvidenceFactory(url="https://factcheck.test/review/articles/4/")
    assert links.links_due() == [never.pk, old.pk]
    assert links.links_due(limit=1) == [never.pk]


def test_the_beat_job_checks_every_due_link(web, found, django_capture_on_commit_callbacks):
    web.page("/story", "Embassy gate broken down", REWRITTEN)
    with django_capture_on_commit_callbacks(execute=True):
        assert links.links_check_due() == 1
    found.refresh_from_db()
    assert found.link_status == Evidence.LinkStatus.CHANGED
