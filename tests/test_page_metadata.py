"""A page's own metadata: outlet, headline, date and byline, read and cleaned."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from claims.page_furniture import parse_page
from claims.page_metadata import clean_byline, clean_headline, clean_outlet, read_page_metadata


def page(head: str = "", body: str = "", json_ld: object = None) -> str:
    if json_ld is not None:
        head += f'<script type="application/ld+json">{json.dumps(json_ld)}</script>'
    return f"<html><head>{head}</head><body>{body}</body></html>"


def metadata(html: str, url: str = "https://www.news.example/story"):
    return read_page_metadata(parse_page(html), url)


def test_the_outlet_is_the_json_ld_publisher_first():
    html = page(
        '<meta property="og:site_name" content="HPost.com">',
        json_ld={"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "Ledger"}},
    )
    assert metadata(html).outlet == "Ledger"


def test_then_og_site_name_with_a_domain_suffix_trimmed():
    html = page('<meta property="og:site_name" content="The Harbor Post | HPost.com">')
    assert metadata(html).outlet == "The Harbor Post"


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("https://www.islandnewsnow.example", "https://www.islandnewsnow.example/story/1"),
        ("Hosted", "https://hosted.wire.example/article/1"),
        ("Timesofgalilee", "https://www.timesofgalilee.example/a"),
        ("islandnewsnow.example", "https://www.islandnewsnow.example/story/1"),
    ],
)
def test_the_outlet_is_never_a_url_or_a_word_made_from_the_domain(value, url):
    assert clean_outlet(value, url) == ""


def test_a_name_styled_by_the_outlet_is_kept_even_when_it_is_the_domain():
    assert clean_outlet("PolitiCheck", "https://www.politicheck.example/x") == "PolitiCheck"


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        ("Opinion | Why the Library Tax Deserves a Yes", "Why the Library Tax Deserves a Yes"),
        ("Tokyo lifts its forecast | The Lakeside Times", "Tokyo lifts its forecast"),
        ("Editorial: The port deal needs daylight", "The port deal needs daylight"),
        ("Trump: Cruz has a long way to go", "Trump: Cruz has a long way to go"),
        ("PolitiCheck | Did the senator vote?", "Did the senator vote?"),
    ],
)
def test_section_labels_and_the_outlet_leave_the_headline(title, headline):
    outlet = "PolitiCheck" if "PolitiCheck" in title else "The Lakeside Times"
    assert clean_headline(title, outlet) == headline


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Sam Reyes, Staff Writer | Published November 15, 2019", "Sam Reyes"),
        ("By KEISHA GRANT Associated Wire", "Keisha Grant"),
        ("No Author", ""),
        ("By Ed Marsh • October 4, 2019", "Ed Marsh"),
        ("Jane Smith and John Doe", "Jane Smith, John Doe"),
        ("Harbor Post Editorial Board", ""),
        ("Lena Park, Senior Political Correspondent", "Lena Park"),
    ],
)
def test_bylines_are_names_only(byline, names):
    assert clean_byline(byline) == names


def test_the_date_is_the_articles_not_the_reviewed_claims():
    html = page(
        json_ld={
            "@type": "ClaimReview",
            "datePublished": "2019-10-04",
            "itemReviewed": {"@type": "Claim", "datePublished": "2019-10-01"},
        },
        body="<div>stated on October 1, 2019 in a television ad:</div>",
    )
    assert metadata(html).published == dt.date(2019, 10, 4)


def test_the_date_is_never_an_asset_version_string():
    html = page(
        '<script src="/assets/main.2021-03-09.min.js?v=2021.03.09"></script>'
        '<link rel="stylesheet" href="/css/site.20191231.css">',
        body="<p>The council met on Monday.</p>",
    )
    assert metadata(html, "https://www.news.example/story").published is None


@pytest.mark.parametrize(
    ("html", "url", "date"),
    [
        (
            page('<meta property="article:published_time" content="2019-11-05T14:12:00Z">'),
            "https://www.news.example/a",
            dt.date(2019, 11, 5),
        ),
        (
            page(body="<p class='date'>Written: 2019-07-12 15:30:11 Updated: 2019-07-13</p>"),
            "https://www.news.example/a",
            dt.date(2019, 7, 12),
        ),
        (page(), "https://www.news.example/2019/10/21/opinion/x.html", dt.date(2019, 10, 21)),
    ],
)
def test_dates_from_the_meta_tag_a_written_line_or_the_address(html, url, date):
    assert metadata(html, url).published == date


def test_the_byline_prefers_people_over_an_organisation_author():
    html = page(
        '<meta name="author" content="By Ed Marsh">',
        json_ld={"@type": "ClaimReview", "author": {"@type": "Organization", "name": "Checks"}},
    )
    assert metadata(html).byline == "Ed Marsh"
