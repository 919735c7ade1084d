"""The main pages under the Content-Security-Policy in a real browser: nothing refused while they
load and while htmx swaps parts of them (the `new_page` fixture also fails any browser test whose
pages report a violation)."""

from __future__ import annotations

import pytest

from claims.models import Article, Claim
from claims.services.articles import article_submit_text
from tests import factories
from tests.conftest import publish
from tests.ingest_pages import REFERENCE_ARTICLE

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def settled(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, "
        ".htmx-added')"
    )


@pytest.fixture
def newsroom(inline_tasks):
    """The reference article ingested, one of its claims published with evidence."""
    reviewer = factories.reviewer(username="rita")
    editor = factories.editor(username="ed")
    article_submit_text(text=REFERENCE_ARTICLE.read_text(), by=reviewer)
    article = Article.objects.get()
    claim = Claim.objects.filter(article=article, content__contains="message to Iran").first()
    factories.EvidenceFactory(claim=claim, outlet=factories.SourceFactory(reliability=4))
    verdict = publish(claim, reviewer=reviewer, editor=editor, explanation="Checked.")
    return {"reviewer": reviewer, "article": article, "verdict": verdict}


def test_the_main_pages_report_no_violation(new_page, newsroom, csp_violations):
    errors: list[str] = []
    public = new_page()
    public.on("console", lambda message: message.type == "error" and errors.append(message.text))

    # The listener works: a style attribute put in by hand is refused and reported.
    public.goto("/")
    public.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')"
    )
    expect(public.locator("p", has_text="x").last).to_be_attached()
    for _ in range(40):  # the report arrives asynchronously
        if csp_violations:
            break
        public.wait_for_timeout(50)
    assert any("style-src" in violation for violation in csp_violations), csp_violations
    csp_violations.clear()
    errors.clear()

    # Public pages, the search typed into (an htmx swap).
    for path in ("/", "/verdicts/", "/speakers/", "/ratings/", "/no-such-page/", "/api/docs"):
        public.goto(path)
    public.goto("/verdicts/")
    public.fill("#id_q", "Iran")
    expect(public.locator(".verdict-card")).to_have_count(1)
    settled(public)
    public.locator(".verdict-card a", has_text="message to Iran").click()
    expect(public.locator(".verdict-rating .rating")).to_have_text("True")
    # The badge's colour comes from /ratings.css, not a style attribute.
    colour = public.locator(".verdict-rating .rating").evaluate(
        "badge => getComputedStyle(badge).backgroundColor"
    )
    assert colour == "rgb(21, 128, 61)"  # #15803d, the scale's "True"

    # Staff pages: the queue filtered (htmx), an article with a claim opened in its side panel
    # (htmx), the claim page, the dashboard and the ingest form.
    staff = new_page(newsroom["reviewer"])
    staff.on("console", lambda message: message.type == "error" and errors.append(message.text))
    staff.select_option("select[name=status]", "published")
    expect(staff.locator(".queue-row")).to_have_count(1)
    settled(staff)
    staff.goto(f"/review/articles/{newsroom['article'].pk}/")
    staff.locator("#article-text a.hl-content").first.click()
    expect(staff.locator("#claim-panel")).to_be_visible()
    settled(staff)
    staff.goto(f"/review/claims/{newsroom['verdict'].claim_id}/")
    expect(staff.locator(".evidence-item")).to_contain_text("reliability Very high")
    staff.goto("/review/dashboard/")
    expect(staff.locator("svg.bar rect").first).to_be_attached()
    staff.goto("/review/articles/new/")
    expect(staff.locator("main form").first).to_be_visible()

    assert csp_violations == []
    assert [error for error in errors if "404" not in error] == []
