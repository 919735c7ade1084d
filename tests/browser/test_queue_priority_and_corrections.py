"""In a real browser: an editor narrows the queue to urgent claims and sorts it by priority
(htmx swaps the results and the address keeps both), then follows the count of corrections
waiting for a second editor to the claims that have one."""

from __future__ import annotations

import pytest

from claims.models import Claim, VerdictRating
from claims.services.verdicts import correction_propose
from tests import factories
from tests.browser.test_review_flow import settled
from tests.publishing import publish

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_priority_filter_and_sort_then_corrections_waiting(new_page, inline_tasks, screenshot):
    reviewer = factories.reviewer(username="rita", first_name="Rita")
    editor = factories.editor(username="ed", first_name="Ed")
    other = factories.editor(username="eve", first_name="Eve")
    for content, priority, score in [
        ("Urgent: the bridge closes on Monday", Claim.Priority.URGENT, 0.3),
        ("Urgent: fares rise by half", Claim.Priority.URGENT, 0.8),
        ("High: the tunnel is late", Claim.Priority.HIGH, 0.9),
        ("Normal: the ferry runs hourly", Claim.Priority.NORMAL, 0.95),
    ]:
        factories.ClaimFactory(content=content, priority=priority, checkworthiness=score)
    verdict = publish(author=reviewer, approver=editor, content="Corrected: the port is full")
    correction_propose(
        verdict=verdict,
        by=other,
        reason="Port figures were revised.",
        rating=VerdictRating.objects.get(slug="mostly-true"),
    )

    page = new_page(editor)
    page.goto("/review/")
    rows = page.locator(".queue-row .row-link")
    expect(rows.first).to_contain_text("Normal: the ferry")  # by score

    page.select_option("#queue-filters select[name=priority]", "urgent")
    settled(page)
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("fares rise")
    assert "priority=urgent" in page.url

    page.select_option("#queue-filters select[name=priority]", "")
    page.select_option("#queue-filters select[name=sort]", "priority")
    settled(page)
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text("fares rise")
    expect(rows.nth(1)).to_contain_text("bridge closes")
    expect(rows.nth(2)).to_contain_text("tunnel is late")
    assert "sort=priority" in page.url
    screenshot(page, "queue-priority-sort")
    # The address is the state: opened afresh, it shows the same.
    page.reload()
    expect(page.locator("#queue-filters select[name=sort]")).to_have_value("priority")
    expect(rows.nth(0)).to_contain_text("fares rise")

    page.goto("/review/")
    waiting = page.locator(".page-head a", has_text="Corrections waiting")
    expect(waiting).to_contain_text("1")
    waiting.click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("the port is full")
    expect(page.locator("#queue-filters input[name=correction_waiting]")).to_be_checked()
    screenshot(page, "queue-corrections-waiting")
