"""Feeds and discovery: RSS and Atom (all and per speaker), the sitemap and the ClaimReview
DataFeed. Only published verdicts, with absolute addresses on SITE_URL."""

from __future__ import annotations

import gc
import json
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.test import Client

from claims.models import VerdictRating
from claims.services.claims import claim_accept
from claims.services.verdicts import verdict_submit
from tests import factories
from tests.publishing import correct, days_ago, publish

pytestmark = pytest.mark.django_db

SITE = "https://factcheck.example.org"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "Example Checks"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def schenker(db):
    return factories.SpeakerFactory(name="David Schenker", slug="david-schenker")


@pytest.fixture
def verdicts(reviewer_user, editor_user, schenker):
    first = publish(
        author=reviewer_user,
        approver=editor_user,
        rating="true",
        speaker=schenker,
        content="the strikes were a message to Iran",
        explanation="The transcript records it.",
        published_at=days_ago(2),
    )
    second = publish(
        author=reviewer_user,
        approver=editor_user,
        rating="false",
        content="the embassy was empty",
        explanation="Guards were inside.",
        published_at=days_ago(1),
    )
    draft = claim_accept(
        claim=factories.ClaimFactory(content="unpublished draft"), by=reviewer_user
    )
    verdict_submit(
        claim=draft,
        by=reviewer_user,
        rating=VerdictRating.objects.get(slug="true"),
        explanation="A draft explanation.",
    )
    return first, second


def _get(url: str):
    response = Client().get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def test_rss_feed_of_all_verdicts(verdicts):
    first, second = verdicts
    response = _get("/verdicts/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert feed.version == "rss20"
    assert feed.feed.title == "Example Checks: latest fact-checks"
    assert feed.feed.link == f"{SITE}/verdicts/"
    assert [entry.link for entry in feed.entries] == [
        SITE + second.get_absolute_url(),
        SITE + first.get_absolute_url(),
    ]
    entry = feed.entries[1]
    assert entry.title == "True: David Schenker said the strikes were a message to Iran."
    assert "The transcript records it." in entry.summary
    assert entry.tags[0].term == "True"
    assert entry.published_parsed is not None
    assert b"unpublished draft" not in response.content


def test_atom_feed_carries_updates(verdicts, editor_user, other_editor_user):
    first, _ = verdicts
    correct(
        first,
        proposer=other_editor_user,
        approver=editor_user,
        reason="Added context.",
        explanation="With context added.",
    )
    response = _get("/verdicts/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.version == "atom10"
    assert feed.feed.subtitle == "The latest fact-checks published by Example Checks."
    entry = next(e for e in feed.entries if e.link == SITE + first.get_absolute_url())
    assert entry.updated_parsed > entry.published_parsed
    assert b"unpublished draft" not in response.content


def test_speaker_feeds(verdicts, schenker):
    first, _ = verdicts
    for url, version in (
        ("/speakers/david-schenker/feed/", "rss20"),
        ("/speakers/david-schenker/feed/atom/", "atom10"),
    ):
        feed = feedparser.parse(_get(url).content)
        assert feed.version == version
        assert feed.feed.title == "Example Checks: fact-checks of David Schenker"
        assert [entry.link for entry in feed.entries] == [SITE + first.get_absolute_url()]
    assert Client().get("/speakers/nobody/feed/").status_code == 404


def test_feeds_are_linked_from_pages(verdicts, schenker):
    body = _get("/").content.decode()
    assert 'type="application/rss+xml"' in body and 'href="/verdicts/feed/"' in body
    assert 'type="application/atom+xml"' in body and 'href="/verdicts/feed/atom/"' in body
    speaker_page = _get(schenker.get_absolute_url()).content.decode()
    assert 'href="/speakers/david-schenker/feed/"' in speaker_page


def test_feed_query_count_is_flat(verdicts, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # 2 and the public site's version
        _get("/verdicts/feed/")


def test_sitemap_index_and_sections(verdicts, schenker):
    first, second = verdicts
    index = ET.fromstring(_get("/sitemap.xml").content)  # noqa: S314
    sections = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]
    assert sections == [
        f"{SITE}/sitemap-pages.xml",
        f"{SITE}/sitemap-verdicts.xml",
        f"{SITE}/sitemap-speakers.xml",
    ]
    locations = []
    for section in ("pages", "verdicts", "speakers"):
        tree = ET.fromstring(_get(f"/sitemap-{section}.xml").content)  # noqa: S314
        locations += [loc.text for loc in tree.findall("s:url/s:loc", SITEMAP_NS)]
    assert locations == [
        f"{SITE}/",
        f"{SITE}/verdicts/",
        f"{SITE}/speakers/",
        f"{SITE}/ratings/",
        SITE + first.get_absolute_url(),
        SITE + second.get_absolute_url(),
        f"{SITE}/speakers/david-schenker/",
        SITE + second.claim.speaker.get_absolute_url(),
    ]
    verdict_section = _get("/sitemap-verdicts.xml").content.decode()
    assert "<lastmod>" in verdict_section
    assert Client().get("/sitemap-nothing.xml").status_code == 404


def test_claimreview_datafeed(verdicts, settings):
    first, second = verdicts
    response = _get("/claimreview.json")
    assert response.streaming
    assert response["Content-Type"].startswith("application/ld+json")
    data = json.loads(b"".join(response.streaming_content))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "DataFeed"
    assert data["url"] == f"{SITE}/claimreview.json"
    elements = data["dataFeedElement"]
    assert [element["url"] for element in elements] == [
        SITE + second.get_absolute_url(),
        SITE + first.get_absolute_url(),
    ]
    review = elements[1]
    assert review["@type"] == "ClaimReview"
    assert "@context" not in review
    assert review["claimReviewed"] == "David Schenker said the strikes were a message to Iran."
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "True",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert review["author"] == {"@type": "Organization", "name": "Example Checks", "url": SITE}
    assert review["datePublished"] == first.published_at.date().isoformat()
    assert review["itemReviewed"]["@type"] == "Claim"
    assert review["itemReviewed"]["author"]["name"] == "David Schenker"
    # The same ClaimReview as on the verdict page.
    from claims.claimreview import claim_review
    from claims.selectors import public_verdict

    page_review = claim_review(public_verdict(first.slug))
    page_review.pop("@context")
    assert review == json.loads(json.dumps(page_review))
    assert b"unpublished draft" not in json.dumps(data).encode()


def test_empty_datafeed_is_valid_json(db):
    data = json.loads(b"".join(_get("/claimreview.json").streaming_content))
    assert data["dataFeedElement"] == []


def test_datafeed_reads_verdicts_in_chunks(monkeypatch, reviewer_user, editor_user):
    """With the chunk size at 2, five verdicts come in three batches of queries (plus their
    corrections), never all at once: the memory the feed takes does not grow with its size."""
    from claims.views import public as public_views

    monkeypatch.setattr(public_views, "FEED_CHUNK", 2)
    for n in range(5):
        publish(author=reviewer_user, approver=editor_user, content=f"claim {n}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        chunks = list(Client().get("/claimreview.json").streaming_content)
    data = json.loads(b"".join(chunks))
    assert len(data["dataFeedElement"]) == 5
    assert len(chunks) == 7  # the head, one piece per verdict, the tail
    correction_queries = [q for q in context.captured_queries if "verdictcorrection" in q["sql"]]
    assert len(correction_queries) == 3


def test_datafeed_holds_one_chunk_of_verdicts_at_a_time(reviewer_user, editor_user):
    """Streaming 30 verdicts 10 at a time, no more than about one chunk is alive at any point:
    what has been written is let go, so memory does not grow with the size of the feed."""
    from claims.claimreview import claim_review_feed_chunks
    from claims.models import Verdict
    from claims.selectors import claim_review_feed_verdicts

    def verdicts_alive() -> int:
        gc.collect()
        # type(), not isinstance(): isinstance asks a lazy object (a past request's CSP nonce)
        # for its class, which evaluates it.
        return sum(type(obj) is Verdict for obj in gc.get_objects())

    before = verdicts_alive()  # what earlier tests in this process may still hold
    for n in range(30):
        publish(author=reviewer_user, approver=editor_user, content=f"claim {n}")
    alive = []
    pieces = claim_review_feed_chunks(claim_review_feed_verdicts().iterator(chunk_size=10))
    for index, _ in enumerate(pieces):
        if index in {5, 15, 25}:
            alive.append(verdicts_alive() - before)
    assert max(alive) <= 12, alive


@pytest.mark.parametrize(
    "url",
    ["/verdicts/feed/", "/verdicts/feed/atom/", "/sitemap.xml", "/claimreview.json"],
)
def test_feeds_refuse_writes(url):
    assert Client().post(url).status_code == 405
