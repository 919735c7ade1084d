"""In a real browser: accepting a claim runs the evidence search, its candidates appear on the
claim with their passage and a suggested stance, and "Search again" refreshes them in place."""

from __future__ import annotations

import json

import pytest

from claims.models import CorroborationRun
from tests import factories
from tests.corroboration_web import article_page

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAIM = "Iraqi protesters broke down the gate of the US embassy in Baghdad and tried to storm it"


def test_the_evidence_search_from_the_claim_page(
    new_page, inline_tasks, httpserver, settings, screenshot
):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True
    settings.CORROBORATION_ARCHIVE = False
    settings.SEARXNG_URL = httpserver.url_for("/searx")
    settings.SEARXNG_RATE_LIMIT = ""
    story = httpserver.url_for("/world/embassy")
    httpserver.expect_request("/world/embassy").respond_with_data(
        article_page(
            "Embassy gate broken down",
            [
                "Iraqi protesters broke down the gate of the US embassy in Baghdad on Tuesday "
                "and tried to storm it, officials said.",
                "Embassy staff had been moved to safety before the gate was breached.",
            ],
        ),
        content_type="text/html",
    )
    httpserver.expect_request("/searx/search").respond_with_data(
        json.dumps({"results": [{"url": story, "title": "Embassy gate broken down"}]}),
        content_type="application/json",
    )
    claim = factories.ClaimFactory(content=CLAIM)
    page = new_page(factories.reviewer(username="rita"))
    page.goto(f"/review/claims/{claim.pk}/")
    expect(page.locator("#corroboration-status")).to_contain_text("not run yet")

    page.locator("#claim-panel button", has_text="Accept for research").click()
    item = page.locator("#claim-panel .evidence-item")
    expect(item).to_contain_text("Embassy gate broken down")
    expect(item.locator(".passage")).to_contain_text("broke down the gate of the US embassy")
    expect(item.locator(".suggestion")).to_contain_text("Suggested: supports")
    expect(page.locator("#corroboration-status")).to_contain_text("1 candidate found, 1 new")
    expect(page.locator("#corroboration-status")).to_contain_text("Found in 1 independent outlet")
    screenshot(page, "20-evidence-search")

    page.locator("#corroboration-status button", has_text="Search again").click()
    expect(page.locator("#corroboration-status")).not_to_contain_text("1 new")
    expect(page.locator("#corroboration-status")).to_contain_text("1 candidate found")
    expect(page.locator("#claim-panel .evidence-item")).to_have_count(1)
    assert CorroborationRun.objects.filter(claim=claim, status="done").count() == 2
