"""The public site in a real browser: axe-core (vendored in static/vendor/axe-core) finds no
serious or critical accessibility violation on any public page, at desktop and phone widths;
and the verdict search and filters work with JavaScript (htmx swaps the results and keeps the
URL) and without it (a plain form), at both widths."""

from __future__ import annotations

import datetime
import json

import pytest

from tests import factories
from tests.publishing import publish

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = "/static/vendor/axe-core/axe.min.js"
WIDTHS = {"desktop": (1400, 900), "phone": (390, 844)}
SERIOUS = ("serious", "critical")


@pytest.fixture
def record(inline_tasks):
    """Three published verdicts by two speakers, with evidence and a correction."""
    reviewer = factories.reviewer(username="rita")
    editor = factories.editor(username="ed")
    ann = factories.SpeakerFactory(name="Ann Example", slug="ann-example", role="Minister")
    bob = factories.SpeakerFactory(name="Bob Sample", slug="bob-sample", role="Mayor")
    sky = factories.SourceFactory(name="Sky News", slug="sky-news")
    article = factories.ArticleFactory(
        outlet=sky,
        outlet_name="Sky News",
        url="https://news.example/bridge",
        headline="The bridge's cost",
        published_on=datetime.date(2026, 11, 2),
    )
    bridge = publish(
        author=reviewer,
        approver=editor,
        rating="false",
        speaker=ann,
        article=article,
        content="the bridge cost four billion",
        explanation="The audited accounts give one billion.",
        evidence_urls=("https://audit.example/bridge",),
    )
    tunnel = publish(
        author=reviewer,
        approver=editor,
        rating="true",
        speaker=ann,
        content="the tunnel opened in May",
        explanation="The operator's notice says so.",
    )
    ferry = publish(
        author=reviewer,
        approver=editor,
        rating="mostly-true",
        speaker=bob,
        content="the ferry carried a million people",
        explanation="The count was 950,000.",
    )
    return {"bridge": bridge, "tunnel": tunnel, "ferry": ferry}


def _public_pages(record) -> list[str]:
    return [
        "/",
        "/verdicts/",
        "/verdicts/?q=bridge&rating=false",
        "/verdicts/?q=nothing-matches-this",
        record["bridge"].get_absolute_url(),
        "/speakers/",
        "/speakers/ann-example/",
        "/ratings/",
    ]


def _axe_violations(page) -> list[dict]:
    page.add_script_tag(url=AXE)
    results = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
            }));
        }"""
    )
    return [violation for violation in results if violation["impact"] in SERIOUS]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_serious_accessibility_violation_on_any_public_page(new_page, record, width):
    page = new_page(width=WIDTHS[width][0], height=WIDTHS[width][1])
    found = {}
    for path in _public_pages(record):
        response = page.goto(path)
        assert response.status == 200, path
        violations = _axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}, json.dumps(found, indent=1)


def _cards(page) -> list[str]:
    return page.locator("#verdict-results .card-title").all_inner_texts()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_search_and_filters_with_javascript(new_page, record, width):
    page = new_page(width=WIDTHS[width][0], height=WIDTHS[width][1])
    page.goto("/verdicts/")
    expect(page.locator("#results-summary")).to_contain_text("3 fact-checks")
    page.fill("#id_q", "tunnel")  # typed: htmx swaps the results after a pause
    expect(page.locator("#results-summary")).to_contain_text("“tunnel”")
    assert _cards(page) == [record["tunnel"].claim.display_statement]
    page.wait_for_url("**/verdicts/?*q=tunnel*")
    page.fill("#id_q", "")
    expect(page.locator("#results-summary")).to_contain_text("3 fact-checks")
    page.select_option("#id_rating", "false")  # a filter: swapped at once
    expect(page.locator("#results-summary")).to_contain_text("1 fact-check match")
    assert _cards(page) == [record["bridge"].claim.display_statement]
    page.wait_for_url("**rating=false*")
    page.click(".more-filters summary")
    page.select_option("#id_rating", "")
    page.select_option("#id_speaker", "bob-sample")
    # The summary read "1 fact-check match" before this swap too: wait for the card itself.
    expect(page.locator("#verdict-results .card-title")).to_have_text(
        [record["ferry"].claim.display_statement]
    )
    expect(page.locator("#results-summary")).to_contain_text("1 fact-check match")
    # The address holds the filters: reloading it shows the same results.
    page.reload()
    expect(page.locator("#id_speaker")).to_have_value("bob-sample")
    assert _cards(page) == [record["ferry"].claim.display_statement]
    # Back goes to the previous filters.
    page.go_back()
    expect(page.locator("#results-summary")).not_to_contain_text("Bob")
    assert "speaker=bob-sample" not in page.url


@pytest.mark.parametrize("width", list(WIDTHS))
def test_search_and_filters_without_javascript(browser, live_server, record, width):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": WIDTHS[width][0], "height": WIDTHS[width][1]},
    )
    try:
        page = context.new_page()
        page.goto("/verdicts/")
        page.fill("#id_q", "bridge")
        page.click("#verdict-search button[type=submit]")
        page.wait_for_url("**/verdicts/?*q=bridge*")
        assert _cards(page) == [record["bridge"].claim.display_statement]
        page.fill("#id_q", "")
        page.select_option("#id_rating", "true")
        page.click("#verdict-search button[type=submit]")
        page.wait_for_url("**rating=true*")
        assert _cards(page) == [record["tunnel"].claim.display_statement]
        page.select_option("#id_rating", "")
        page.click(".more-filters summary")  # <details> opens without JavaScript
        page.select_option("#id_speaker", "ann-example")
        page.click("#verdict-search button[type=submit]")
        page.wait_for_url("**speaker=ann-example*")
        assert sorted(_cards(page)) == sorted(
            [record["bridge"].claim.display_statement, record["tunnel"].claim.display_statement]
        )
        page.click("text=Clear all")
        assert len(_cards(page)) == 3
    finally:
        context.close()
