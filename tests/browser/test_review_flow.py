"""End to end in a real browser: a reviewer ingests the reference article, fixes a speaker, adds
evidence and proposes a verdict; an editor approves it; the public reads it. And two people
editing one claim: the second save is refused and nothing is lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claims.models import Claim, Evidence
from tests import factories

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

REFERENCE = (
    Path(__file__).resolve().parents[2] / "claims/demo_data/sky-baghdad-embassy-2019-12-31.txt"
)
EVIDENCE_PAGE = """<!doctype html><html><head><title>Briefing on Iraq strikes</title></head><body>
<article><h1>Briefing on Iraq strikes</h1>
<p>The State Department held a briefing for reporters in Washington on Monday afternoon.</p>
<p>Assistant Secretary David Schenker said the strikes by F-15 aircraft were a message to Iran
after months of restraint in the face of attacks by Kataib Hezbollah.</p>
<p>He said the United States did not seek a wider conflict in the region with anyone.</p>
</article></body></html>"""


def settled(page) -> None:
    """Wait until htmx has finished swapping and wiring up new content; acting in between
    (faster than any person) can land on elements whose handlers are not attached yet."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, "
        ".htmx-added')"
    )


def test_reviewer_to_editor_to_public(new_page, inline_tasks, httpserver, settings, screenshot):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True
    httpserver.expect_request("/briefing").respond_with_data(
        EVIDENCE_PAGE, content_type="text/html"
    )
    reviewer = factories.reviewer(username="rita", first_name="Rita", last_name="Reviewer")
    editor = factories.editor(username="ed", first_name="Ed", last_name="Editor")

    # The reviewer ingests the reference article by uploading it.
    page = new_page(reviewer)
    screenshot(page, "01-queue-empty")
    page.click("text=Add an article")
    page.click("nav >> text=Upload a file")
    page.set_input_files("#ingest-upload input[type=file]", str(REFERENCE))
    page.click("#ingest-upload button[type=submit]")
    page.wait_for_url(re.compile(r"/review/articles/\d+/"))
    expect(page.locator("#article-text")).to_contain_text("Schenker", timeout=60_000)
    screenshot(page, "02-article")
    article_url = page.url
    page.goto("/review/")
    # The extractor finds about two dozen claims; the exact number is its business.
    expect(page.locator(".queue-row").nth(19)).to_be_visible()
    screenshot(page, "02b-queue-after-ingest")
    page.goto(article_url)

    # Open the Schenker claim from its highlight in the text.
    page.locator("#article-text a.hl-content", has_text="message to Iran").first.click()
    panel = page.locator("#claim-panel")
    expect(panel).to_contain_text("David Schenker")
    settled(page)
    screenshot(page, "03-article-with-claim-panel")
    claim_id = int(panel.get_attribute("data-claim"))

    # Fix the speaker's role.
    panel.locator("summary", has_text="Change speaker or role").click()
    panel.locator("input[name=speaker-role]").fill(
        "US Assistant Secretary of State for Near Eastern Affairs"
    )
    panel.locator("button", has_text="Save speaker").click()
    expect(page.locator("#claim-panel .speaker-role")).to_have_text(
        "US Assistant Secretary of State for Near Eastern Affairs"
    )
    settled(page)

    # Accept it for research, add evidence (fetched by the job), mark its stance.
    page.locator("#claim-panel button", has_text="Accept for research").click()
    expect(page.locator("#claim-panel .claim-head .status")).to_have_text("In review")
    settled(page)
    page.locator("#claim-panel input[name=evidence-url]").fill(httpserver.url_for("/briefing"))
    page.locator("#claim-panel button", has_text="Add link").click()
    expect(page.locator("#claim-panel .evidence-item")).to_contain_text("Briefing on Iraq strikes")
    expect(page.locator("#claim-panel .passage")).to_contain_text("months of restraint")
    settled(page)
    page.locator("#claim-panel .evidence-item select").select_option("supports")
    expect(page.locator("#claim-panel .evidence-item.stance-supports")).to_have_count(1)
    settled(page)

    # Propose a verdict resting on that evidence.
    page.goto(f"/review/claims/{claim_id}/")
    page.locator("label.rating-choice", has_text=re.compile(r"^\s*True\s*$")).click()
    page.fill(
        "textarea[name=verdict-explanation]",
        "The State Department's own briefing records Mr Schenker saying this.",
    )
    page.locator("input[name=verdict-evidence]").check()
    screenshot(page, "04-claim-verdict-form")
    page.locator("button", has_text="Submit for approval").click()
    expect(page.locator("#claim-panel .claim-head .status")).to_have_text("Awaiting approval")
    expect(page.locator("#claim-panel")).not_to_contain_text("Approve and publish")
    screenshot(page, "05-claim-awaiting-approval")

    # The editor approves it from the queue.
    editor_page = new_page(editor)
    editor_page.select_option("select[name=status]", "awaiting_approval")
    expect(editor_page.locator(".queue-row")).to_have_count(1)
    settled(editor_page)
    screenshot(editor_page, "06-queue-awaiting-approval")
    editor_page.locator(".queue-row a.row-link").first.click()
    editor_page.locator("button", has_text="Approve and publish").click()
    expect(editor_page.locator("#claim-panel .claim-head .status")).to_have_text("Published")
    screenshot(editor_page, "07-claim-published")

    # The public sees it.
    public = new_page()
    public.goto("/")
    public.locator(".verdict-card a", has_text="message to Iran").click()
    expect(public.locator(".verdict-rating")).to_contain_text("True")
    expect(public.locator(".explanation")).to_contain_text("State Department's own briefing")
    expect(public.locator("a", has_text="Briefing on Iraq strikes")).to_have_count(1)
    screenshot(public, "08-public-verdict")
    public.goto("/")
    screenshot(public, "09-public-home")

    editor_page.goto("/review/dashboard/")
    screenshot(editor_page, "10-dashboard")
    claim = Claim.objects.get(pk=claim_id)
    assert claim.status == Claim.Status.PUBLISHED
    assert claim.verdict.evidence.get().stance == Evidence.Stance.SUPPORTS


def test_selecting_text_adds_a_missed_claim(new_page, inline_tasks, screenshot):
    reviewer = factories.reviewer(username="rita")
    article = factories.ArticleFactory(
        text="The mayor opened the bridge. Officials counted 4,000 visitors on the first day.",
        headline="Bridge opens",
    )
    page = new_page(reviewer)
    page.goto(article.get_absolute_url())
    # Select "Officials counted 4,000 visitors" with the mouse-equivalent DOM selection.
    page.evaluate(
        """() => {
          const node = document.querySelector('#article-text').firstChild;
          const text = node.textContent;
          const start = text.indexOf('Officials');
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, text.indexOf(' on the first day'));
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }"""
    )
    page.locator("[data-add-selection]").click()
    expect(page.locator("textarea[name=quote]")).to_have_value("Officials counted 4,000 visitors")
    page.fill("input[name=speaker]", "Officials")
    screenshot(page, "11-add-missed-claim")
    page.locator("#add-claim button[type=submit]").click()
    expect(page.locator("#claim-panel .claim-content")).to_have_text(
        "Officials counted 4,000 visitors"
    )
    expect(page.locator("#article-text a.hl-content")).to_have_text(
        "Officials counted 4,000 visitors"
    )
    claim = Claim.objects.get(article=article)
    assert article.text[claim.start : claim.end] == claim.content


def test_two_people_editing_one_claim(new_page, inline_tasks, screenshot):
    first_user = factories.reviewer(username="alice", first_name="Alice", last_name="Ames")
    second_user = factories.editor(username="bob", first_name="Bob", last_name="Brown")
    claim = factories.ClaimFactory(content="The strikes hit five targets")
    url = f"/review/claims/{claim.pk}/"

    alice, bob = new_page(first_user), new_page(second_user)
    for page in (alice, bob):
        page.goto(url)
        page.locator("summary", has_text="Edit content and kind").click()

    alice.fill("textarea[name=edit-content]", "The strikes hit five targets in Iraq and Syria")
    alice.locator("button", has_text="Save").first.click()
    expect(alice.locator("#claim-panel .claim-content")).to_have_text(
        "The strikes hit five targets in Iraq and Syria"
    )
    settled(alice)

    bob.fill("textarea[name=edit-content]", "The strikes hit three targets in Iraq")
    bob.locator("#claim-panel form button", has_text="Save").first.click()
    conflict = bob.locator(".conflict")
    expect(conflict).to_contain_text("changed by Alice Ames")
    yours = conflict.locator("td.yours").first
    expect(yours).to_contain_text("The strikes hit three targets in Iraq")
    expect(conflict.locator("td.saved").first).to_contain_text("in Iraq and Syria")
    # Bob's text is still in the form, ready to save deliberately.
    expect(bob.locator("textarea[name=edit-content]")).to_have_value(
        "The strikes hit three targets in Iraq"
    )
    screenshot(bob, "12-edit-conflict")
    claim.refresh_from_db()
    assert claim.content == "The strikes hit five targets in Iraq and Syria"


def test_the_review_pages_work_without_javascript(browser, live_server, inline_tasks):
    factories.reviewer(username="nojs")
    claim = factories.ClaimFactory(content="The strikes hit five targets", checkworthiness=0.9)
    factories.ClaimFactory(content="Low priority claim", checkworthiness=0.1)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", "nojs")
        page.fill("input[name=password]", "correct-horse-battery")
        page.click("main button[type=submit]")
        # Filters apply with the Apply button that only shows without JavaScript.
        page.fill("input[name=score_min]", "0.5")
        page.locator("#queue-filters button", has_text="Apply").click()
        expect(page.locator(".queue-row")).to_have_count(1)
        page.click("a.row-link")
        page.locator("button", has_text="Accept for research").click()
        expect(page.locator(".messages")).to_contain_text("Status changed.")
        page.locator("summary", has_text="Edit content and kind").click()
        page.fill("textarea[name=edit-content]", "The strikes hit five targets in Iraq and Syria")
        page.locator("#claim-panel form button", has_text="Save").first.click()
        expect(page.locator(".claim-content")).to_have_text(
            "The strikes hit five targets in Iraq and Syria"
        )
    finally:
        context.close()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    assert claim.content == "The strikes hit five targets in Iraq and Syria"
