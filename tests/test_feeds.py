"""Source feeds: RSS and Atom polled with conditional GET, new items' pages read into the
archive, and a malformed or dead feed recorded on the feed without stopping the others."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from claims.models import FeedItem, SourceFeed
from claims.services import feeds
from tests import factories

pytestmark = pytest.mark.django_db

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire A: World</title><link>{base}/</link>
<item><title>Protesters storm US embassy in Baghdad</title>
<link>{base}/a/embassy?utm_source=rss</link>
<guid isPermaLink="false">wire-a-1001</guid><pubDate>Tue, 31 Dec 2019 12:00:00 GMT</pubDate>
<description>&lt;p&gt;Iraqi protesters broke down the gate of the US embassy compound in
Baghdad on Tuesday, hurling stones.&lt;/p&gt;</description></item>
<item><title>Pentagon sends 750 troops</title><link>{base}/a/troops</link>
<guid isPermaLink="false">wire-a-1002</guid><pubDate>Wed, 01 Jan 2020 08:00:00 GMT</pubDate>
<description>The US is sending about 750 soldiers of the 82nd Airborne to the region.
</description></item>
<item><title>An entry without a link is skipped</title>
<guid isPermaLink="false">a-1003</guid></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Paper B</title><id>urn:paper-b</id>
<updated>2020-01-02T10:00:00Z</updated>
<entry><title>Strikes were a message to Iran, official says</title>
<link rel="alternate" href="/b/strikes"/><id>urn:paper-b:77</id>
<updated>2020-01-02T10:00:00Z</updated>
<summary>A State Department official said the F-15 strikes were a message.</summary></entry>
</feed>"""

MALFORMED = "<html><body><h1>Welcome to our site</h1><p>No feed here.</p></body></html>"

PAGE_PARAGRAPHS = [
    "Iraqi protesters broke down the gate of the US embassy in Baghdad on Tuesday and tried to "
    "storm the compound, hurling stones and setting fire to a reception area.",
    "Iraqi officials said embassy staff had been moved to safety before the gate was breached.",
]


@pytest.fixture
def archived(monkeypatch):
    """What reaches `archive_upsert`, recorded (the archive itself is tested on its own)."""
    import sys
    import types

    calls = []
    archive = types.ModuleType("claims.corroboration.archive")
    archive.archive_upsert = lambda **kwargs: calls.append(kwargs)
    monkeypatch.setitem(sys.modules, "claims.corroboration.archive", archive)
    return calls


@pytest.fixture
def wire(db):
    source = factories.SourceFactory(name="Wire A")
    factories.SourceDomainFactory(source=source, domain="wire-a.test")
    return source


def serve_rss(web, *, etag="", last_modified=""):
    headers = {}
    if etag:
        headers["ETag"] = etag
    if last_modified:
        headers["Last-Modified"] = last_modified
    web.server.expect_request("/a/rss.xml").respond_with_data(
        RSS.format(base=web.url("wire-a.test", "")),
        content_type="application/rss+xml",
        headers=headers,
    )


def test_an_rss_feed_yields_items_whose_pages_go_into_the_archive(
    web, wire, archived, django_capture_on_commit_callbacks
):
    serve_rss(web)
    web.page("/a/embassy", "Protesters storm US embassy in Baghdad", PAGE_PARAGRAPHS)
    web.server.expect_request("/a/troops").respond_with_data("gone", status=410)
    feed = SourceFeed.objects.create(source=wire, url=web.url("wire-a.test", "/a/rss.xml"))
    with django_capture_on_commit_callbacks(execute=True):
        result = feeds.feed_poll(feed_id=feed.pk)
    assert len(result.new_items) == 2
    feed.refresh_from_db()
    assert feed.title == "Wire A: World"
    assert feed.last_error == ""
    assert feed.last_success_at is not None
    embassy = FeedItem.objects.get(guid="wire-a-1001")
    assert embassy.url == web.url("wire-a.test", "/a/embassy")  # tracking parameters dropped
    assert embassy.published_at == datetime.datetime(2019, 12, 31, 12, tzinfo=datetime.UTC)
    assert embassy.summary.startswith("Iraqi protesters broke down the gate")  # no markup
    assert embassy.status == FeedItem.Status.ARCHIVED
    troops = FeedItem.objects.get(guid="wire-a-1002")
    # Its page is gone; the feed's own summary went into the archive instead.
    assert troops.status == FeedItem.Status.FAILED  # the summary is too short to stand alone
    assert "410" in troops.error
    [document] = archived
    assert document["kind"] == "feed_item"
    assert document["key"] == embassy.archive_key == feeds.archive_key(embassy.url)
    assert document["url"] == embassy.url
    assert document["title"] == "Protesters storm US embassy in Baghdad"
    assert "moved to safety before the gate was breached" in document["text"]
    assert document["published_on"] == datetime.date(2019, 12, 31)
    assert document["source"] == wire
    assert document["outlet_name"] == "Wire A"


def test_a_summary_long_enough_stands_in_for_a_page_that_cannot_be_read(
    web, wire, archived, django_capture_on_commit_callbacks
):
    serve_rss(web)
    web.server.expect_request("/a/embassy").respond_with_data("gone", status=404)
    web.server.expect_request("/a/troops").respond_with_data("gone", status=404)
    feed = SourceFeed.objects.create(source=wire, url=web.url("wire-a.test", "/a/rss.xml"))
    with django_capture_on_commit_callbacks(execute=True):
        feeds.feed_poll(feed_id=feed.pk)
    embassy = FeedItem.objects.get(guid="wire-a-1001")
    assert embassy.status == FeedItem.Status.SUMMARY_ONLY
    assert "feed's summary is in the archive" in embassy.error
    assert [d["text"] for d in archived] == [embassy.summary]


def test_an_atom_feed_with_relative_links(web, wire, archived, django_capture_on_commit_callbacks):
    web.server.expect_request("/b/atom").respond_with_data(
        ATOM, content_type="application/atom+xml"
    )
    web.page("/b/strikes", "Strikes were a message", PAGE_PARAGRAPHS)
    feed = SourceFeed.objects.create(source=wire, url=web.url("paper-b.test", "/b/atom"))
    with django_capture_on_commit_callbacks(execute=True):
        feeds.feed_poll(feed_id=feed.pk)
    [item] = FeedItem.objects.filter(feed=feed)
    assert item.url == web.url("paper-b.test", "/b/strikes")
    assert item.guid == "urn:paper-b:77"
    assert item.status == FeedItem.Status.ARCHIVED


def test_polling_again_asks_with_the_validators_and_adds_nothing(
    web, wire, archived, django_capture_on_commit_callbacks
):
    serve_rss(web, etag='"v1"', last_modified="Tue, 31 Dec 2019 12:00:00 GMT")
    web.page("/a/embassy", "Embassy", PAGE_PARAGRAPHS)
    web.page("/a/troops", "Troops", PAGE_PARAGRAPHS)
    feed = SourceFeed.objects.create(source=wire, url=web.url("wire-a.test", "/a/rss.xml"))
    with django_capture_on_commit_callbacks(execute=True):
        feeds.feed_poll(feed_id=feed.pk)
    feed.refresh_from_db()
    assert (feed.etag, feed.last_modified) == ('"v1"', "Tue, 31 Dec 2019 12:00:00 GMT")
    web.server.clear()
    web.server.expect_request(
        "/a/rss.xml",
        headers={"If-None-Match": '"v1"', "If-Modified-Since": "Tue, 31 Dec 2019 12:00:00 GMT"},
    ).respond_with_data("", status=304)
    with django_capture_on_commit_callbacks(execute=True):
        result = feeds.feed_poll(feed_id=feed.pk, force=True)
    assert result.not_modified
    assert result.new_items == []
    assert FeedItem.objects.filter(feed=feed).count() == 2
    assert len(archived) == 2


def test_an_unchanged_feed_without_validators_still_adds_nothing(
    web, wire, archived, django_capture_on_commit_callbacks
):
    serve_rss(web)
    web.page("/a/embassy", "Embassy", PAGE_PARAGRAPHS)
    web.page("/a/troops", "Troops", PAGE_PARAGRAPHS)
    feed = SourceFeed.objects.create(source=wire, url=web.url("wire-a.test", "/a/rss.xml"))
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            feeds.feed_poll(feed_id=feed.pk, force=True)
    assert FeedItem.objects.filter(feed=feed).count() == 2
    assert len(archived) == 2


def test_a_malformed_feed_and_a_dead_feed_record_their_errors_and_stop_nothing(
    web, wire, archived, django_capture_on_commit_callbacks
):
    web.server.expect_request("/broken.xml").respond_with_data(MALFORMED, content_type="text/html")
    web.server.expect_request("/dead.xml").respond_with_data("oops", status=500)
    serve_rss(web)
    web.page("/a/embassy", "Embassy", PAGE_PARAGRAPHS)
    web.page("/a/troops", "Troops", PAGE_PARAGRAPHS)
    broken = SourceFeed.objects.create(source=wire, url=web.url("wire-a.test", "/broken.xml"))
    dead = SourceFeed.objects.create(source=wire, url=web.url("wire-a.test", "/dead.xml"))
    good = SourceFeed.objects.create(source=wire, url=web.url("wire-a.test", "/a/rss.xml"))
    with django_capture_on_commit_callbacks(execute=True):
        assert feeds.feeds_poll_due() == 3  # the beat job: every feed polled
    broken.refresh_from_db()
    dead.refresh_from_db()
    good.refresh_from_db()
    assert broken.last_error.startswith("The address did not return an RSS or Atom feed")
    assert broken.failures == 1
    assert "500" in dead.last_error
    assert dead.failures == 1
    assert good.last_error == "" and good.failures == 0
    assert FeedItem.objects.filter(feed=good).count() == 2


def test_a_feed_with_xml_errors_that_still_has_entries_is_read_with_a_warning(
    web, wire, archived, django_capture_on_commit_callbacks
):
    broken_xml = RSS.format(base=web.url("wire-a.test", "")).replace("</channel></rss>", "<oops>")
    web.server.expect_request("/a/rss.xml").respond_with_data(
        broken_xml, content_type="application/rss+xml"
    )
    web.page("/a/embassy", "Embassy", PAGE_PARAGRAPHS)
    web.page("/a/troops", "Troops", PAGE_PARAGRAPHS)
    feed = SourceFeed.objects.create(source=wire, url=web.url("wire-a.test", "/a/rss.xml"))
    with django_capture_on_commit_callbacks(execute=True):
        result = feeds.feed_poll(feed_id=feed.pk)
    assert len(result.new_items) == 2
    feed.refresh_from_db()
    assert feed.last_error.startswith("The feed has errors")
    assert "2 entries could still be read" in feed.last_error


def test_failing_feeds_are_asked_less_and_less_often(wire, settings):
    settings.FEED_POLL_MINUTES = 30
    now = timezone.now()
    ago = now - datetime.timedelta(minutes=45)
    healthy = SourceFeed.objects.create(source=wire, url="https://a.test/1", last_fetched_at=ago)
    failing = SourceFeed.objects.create(
        source=wire, url="https://a.test/2", last_fetched_at=ago, failures=2
    )
    new = SourceFeed.objects.create(source=wire, url="https://a.test/3")
    SourceFeed.objects.create(source=wire, url="https://a.test/4", active=False)
    inactive_source = factories.SourceFactory(active=False)
    SourceFeed.objects.create(source=inactive_source, url="https://a.test/5")
    assert feeds.feeds_due(now) == [new.pk, healthy.pk]
    # Two failures in a row: it waits four intervals.
    assert failing.pk in feeds.feeds_due(now + datetime.timedelta(minutes=80))


def test_a_feed_being_polled_is_not_polled_twice_at_once(web, wire):
    feed = SourceFeed.objects.create(
        source=wire, url=web.url("wire-a.test", "/a/rss.xml"), last_fetched_at=timezone.now()
    )
    assert feeds.feed_poll(feed_id=feed.pk).polled is False
    assert web.hits("/a/rss.xml") == 0


def test_the_command_polls_on_demand_without_a_broker(web, wire, archived):
    serve_rss(web)
    web.page("/a/embassy", "Embassy", PAGE_PARAGRAPHS)
    web.page("/a/troops", "Troops", PAGE_PARAGRAPHS)
    web.server.expect_request("/broken.xml").respond_with_data(MALFORMED, content_type="text/html")
    SourceFeed.objects.create(source=wire, url=web.url("wire-a.test", "/a/rss.xml"))
    SourceFeed.objects.create(source=wire, url=web.url("wire-a.test", "/broken.xml"))
    out = StringIO()
    call_command("poll_feeds", stdout=out)
    text = out.getvalue()
    assert "2 new items, 2 in the archive" in text
    assert "did not return an RSS or Atom feed" in text
    assert FeedItem.objects.filter(status=FeedItem.Status.ARCHIVED).count() == 2


def test_the_admin_polls_chosen_feeds_now(
    web, wire, archived, admin_client, django_capture_on_commit_callbacks
):
    serve_rss(web)
    web.page("/a/embassy", "Embassy", PAGE_PARAGRAPHS)
    web.page("/a/troops", "Troops", PAGE_PARAGRAPHS)
    feed = SourceFeed.objects.create(
        source=wire, url=web.url("wire-a.test", "/a/rss.xml"), last_fetched_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:claims_sourcefeed_changelist"),
            {"action": "poll_now", "_selected_action": [feed.pk]},
            follow=True,
        )
    assert response.status_code == 200
    assert "1 feed(s) queued for polling" in response.content.decode()
    assert FeedItem.objects.filter(feed=feed).count() == 2  # polled although just polled
