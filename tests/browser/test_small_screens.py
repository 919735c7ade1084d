"""On a phone (390 px wide, an iPhone 12-15): the review queue fits the screen and is usable."""

from __future__ import annotations

import pytest

from claims.models import Claim
from tests import factories

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
# What sticks out, to say so when it does not fit.
WIDER = """() => [...document.querySelectorAll("body *")]
  .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(0, 10)
  .map((element) => `${element.tagName}.${element.className}`)"""


def settled(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, "
        ".htmx-added')"
    )


def test_the_review_queue_on_a_phone(new_page, inline_tasks, screenshot):
    reviewer = factories.reviewer(username="rita")
    article = factories.ArticleFactory(
        headline="Protesters storm the outer wall of the US embassy compound in Baghdad after "
        "weekend strikes on Kataib Hezbollah bases in Iraq and Syria",
        url="https://news.example.com/world/middle-east/2019/12/31/"
        "protesters-storm-us-embassy-compound-in-baghdad-after-weekend-strikes",
    )
    for number in range(6):
        factories.ClaimFactory(
            article=article,
            content=f"Claim {number}: the strikes on five Kataib Hezbollah facilities in Iraq "
            "and Syria were a response to a rocket attack that killed a US civilian contractor "
            "(https://www.defense.gov/Newsroom/Releases/Release/Article/2047960/)",
            speaker_text="US Assistant Secretary of State for Near Eastern Affairs David Schenker",
            checkworthiness=0.9 - number / 10,
        )
    page = new_page(reviewer, width=PHONE, height=844)
    expect(page.locator(".queue-row")).to_have_count(6)
    screenshot(page, "30-queue-phone")
    assert page.evaluate(FITS), page.evaluate(WIDER)

    # Usable: filter by status (an htmx swap), still fitting; open a claim from its row.
    page.select_option("select[name=status]", "new")
    settled(page)
    expect(page.locator(".queue-row")).to_have_count(6)
    assert page.evaluate(FITS)
    row = page.locator(".queue-row").first
    expect(row.locator(".score-pill")).to_be_visible()
    expect(row.locator(".status")).to_be_visible()
    link = row.locator("a.row-link")
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    row.locator("input[type=checkbox]").check()
    expect(page.locator("[data-bulk-count]")).to_contain_text("1")
    link.click()
    expect(page.locator("#claim-panel")).to_be_visible()
    screenshot(page, "31-claim-phone")
    assert Claim.objects.count() == 6
