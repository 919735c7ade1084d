"""Pages shaped like real outlets' markup (tests/pages/): only the article body yields claims,
speakers name somebody, statements read as sentences, and the metadata is the page's own."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.page_fixtures import (
    gold,
    has_finite_verb,
    in_body,
    is_generic,
    measure,
    read_page,
    squashed,
)

PAGES = sorted(gold())
ARTICLE_PAGES = [name for name in PAGES if not gold()[name].get("review")]


@pytest.mark.parametrize("name", PAGES)
def test_every_claim_comes_from_the_article_body(name):
    result = read_page(name)
    assert result.claims, name
    outside = [c.content for c in result.claims if not in_body(c.content, gold()[name]["body"])]
    assert outside == []


@pytest.mark.parametrize("name", ARTICLE_PAGES)
def test_the_stored_text_holds_the_body_and_no_furniture(name):
    result = read_page(name)
    text = squashed(result.extraction.cleaned_text)
    body = gold()[name]["body"]
    # The headline that pages repeat at the top of the body is kept apart, as the headline.
    assert not text.startswith(squashed(gold()[name]["headline"]))
    found = [paragraph for paragraph in body if squashed(paragraph) in text]
    # The page that only the recall-oriented setting reads may lose its standfirst.
    assert len(found) >= len(body) - 2, set(body) - set(found)
    for furniture in (
        "contributed to this report",
        "Reporting by",
        "(Graphic:",
        "is committed to publishing",
        "SEE MORE",
        "[VIDEO]",
        "Also on",
        "Photo:",
        "MORE (R)",
        "Kristi",
        "This article was amended",
        "CLICK HERE",
        "Photograph:",
        "Related:",
    ):
        assert furniture not in text


@pytest.mark.parametrize("name", PAGES)
def test_speakers_are_who_the_page_says(name):
    claims = read_page(name).claims
    for fragment, speaker in gold()[name].get("speakers", {}).items():
        matching = [c for c in claims if fragment in c.content and c.kind != "unattributed"]
        assert matching, (fragment, [c.content for c in claims])
        assert speaker.lower() in (matching[0].speaker_name or "").lower(), matching[0]
    for never in gold()[name].get("never_speakers", []):
        assert never not in {c.speaker for c in claims} | {c.speaker_name for c in claims}
    assert not [c for c in claims if is_generic(c)]


@pytest.mark.parametrize("name", PAGES)
def test_every_statement_has_a_speaker_and_a_finite_verb(name):
    for claim in read_page(name).claims:
        assert has_finite_verb(claim.statement), claim.statement
        assert claim.statement[-1] in '.!?”"', claim.statement
        if claim.kind != "unattributed" and claim.speaker_name != "unnamed sources":
            assert (
                claim.statement.lower().startswith(
                    ("according to", (claim.speaker_name or "").lower()[:1])
                )
                or claim.speaker_name.lower() in claim.statement.lower()
            ), claim.statement


@pytest.mark.parametrize("name", PAGES)
def test_metadata_is_the_pages_own(name):
    article = read_page(name).article
    expected = gold()[name]
    assert article.title == expected["headline"]
    assert article.site_name == expected["outlet"]
    assert article.published == dt.date.fromisoformat(expected["published"])
    assert article.byline == expected["byline"]


def test_inline_link_text_stays_in_its_sentence():
    claims = read_page("sports_inline_links.html").claims
    assert "the league will fine Rudd for his role in the brawl on Thursday night in Cleveland" in {
        c.content for c in claims
    }


def test_pop_up_text_is_not_spliced_into_a_sentence():
    text = read_page("politics_popup_and_credit.html").article.text
    assert "Northfield Gov. Karen Lowe (R) is defending her decision" in text
    assert "Karen Lynn Lowe" not in text


def test_an_embedded_post_is_a_quotation_of_its_author():
    [post] = [c for c in read_page("embedded_post.html").claims if "50 years" in c.content]
    assert post.kind == "direct"
    assert post.speaker_name == "Jordan A. Blake"
    assert post.content == "Great Jobs Report! Unemployment is the lowest it has been in 50 years."
    assert post.statement.startswith("Jordan A. Blake posted: “Great Jobs Report!")


def test_a_tiny_body_is_read_again_with_recall():
    article = read_page("tiny_body_recall.html").article
    assert "Shipping lines have moved some routes" in article.text
    assert article.review_reason == ""


def test_a_body_that_stays_tiny_is_marked_for_review():
    article = read_page("tiny_body_review.html").article
    assert article.review_reason.startswith("Only 80 characters of article text")


def test_the_fixture_figures_that_make_bench_reports():
    figures = measure()
    assert figures["claims"] >= 40
    assert figures["outside_body"] == 0
    assert figures["generic_speakers"] == 0
    assert figures["verbless_statements"] == 0
