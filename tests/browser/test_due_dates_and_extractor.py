"""In a real browser: a reviewer gives a claim a due date that has passed and finds it in the
queue's "Overdue" filter; dismisses another as "not a claim" and sees the extractor's figures
on the dashboard; withdraws a verdict they submitted."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from claims.models import Claim, ClaimEvent, VerdictRating
from claims.services.verdicts import verdict_submit
from tests import factories
from tests.browser.test_review_flow import settled
from tests.extraction_feedback_helpers import article, extracted_claim

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_due_date_overdue_filter_not_a_claim_and_withdraw(new_page, inline_tasks, screenshot):
    reviewer = factories.reviewer(username="rita", first_name="Rita", last_name="Reviewer")
    page_article = article(outlet=factories.SourceFactory(name="Daily Planet"))
    bridge = extracted_claim(
        page_article, "the bridge will open in May", speaker="The Minister", mention="The minister"
    )
    critics = extracted_claim(
        page_article, "the date is unrealistic", speaker="Critics", mention="Critics"
    )
    page = new_page(reviewer)

    # A due date two days ago, set from the claim's page.
    page.goto(bridge.get_absolute_url())
    page.locator("summary", has_text="Due date and priority").click()
    past = timezone.localdate() - datetime.timedelta(days=2)
    page.fill("input[name=schedule-due_on]", past.isoformat())
    page.select_option("select[name=schedule-priority]", "2")
    page.locator("button", has_text="Set due date and priority").click()
    settled(page)
    expect(page.locator("#claim-panel .status-overdue")).to_have_text("overdue")
    expect(page.locator("#claim-panel")).to_contain_text("Urgent priority")

    # The queue shows it overdue; the filter lists it alone.
    page.goto("/review/")
    expect(page.locator(".queue-row", has_text="the bridge will open")).to_contain_text(
        "Overdue, due"
    )
    page.locator("#queue-filters input[name=overdue]").check()
    expect(page.locator(".queue-row")).to_have_count(1)
    screenshot(page, "workflow-01-queue-overdue")

    # "Not a claim": the extractor's mistake, counted on the dashboard.
    page.goto(critics.get_absolute_url())
    page.locator("summary", has_text="Dismiss").click()
    page.select_option("select[name=dismiss-reason]", "not_a_claim")
    page.locator("button", has_text="Dismiss claim").click()
    settled(page)
    expect(page.locator("#claim-panel")).to_contain_text("Not a claim")
    page.goto(bridge.get_absolute_url())
    page.locator("#claim-panel button", has_text="Accept for research").click()
    settled(page)
    page.goto("/review/dashboard/")
    quality = page.locator("#extractor-quality")
    expect(quality).to_contain_text("Daily Planet")
    expect(quality.locator("tfoot")).to_contain_text("50%")  # 1 kept of 2 judged
    screenshot(page, "workflow-02-dashboard-extractor")

    # The author withdraws the verdict they submitted.
    claim = Claim.objects.get(pk=bridge.pk)
    verdict_submit(
        claim=claim,
        by=reviewer,
        rating=VerdictRating.objects.get(slug="false"),
        explanation="Budget papers say July.",
    )
    page.goto(bridge.get_absolute_url())
    page.locator("summary", has_text="Withdraw the verdict").click()
    page.fill("input[name=withdraw-reason]", "The ministry is to publish new dates")
    page.locator("button", has_text="Withdraw").last.click()
    settled(page)
    expect(page.locator("#claim-panel")).to_have_attribute("data-status", "in_review")
    expect(page.locator(".timeline")).to_contain_text("Verdict withdrawn")
    screenshot(page, "workflow-03-withdrawn")
    assert ClaimEvent.objects.filter(claim=bridge, action="verdict_withdrawn").exists()
