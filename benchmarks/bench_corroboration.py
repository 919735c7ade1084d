"""Corroboration timings: the evidence search per claim over a 10,000-document archive, and feed
items read into the archive per minute.

usage: python benchmarks/bench_corroboration.py [--documents N] [--repeat N] [--items N]

1. The `corroborate_claim` job, inline, for every claim of the reference article, against an
   archive of N documents (default 10,000: the demo corpus, and news-like texts made from its
   sentences and the reference article's, so that searches find many partial matches). Only
   the archive provider runs (web providers need a network). Needs PostgreSQL (DATABASE_URL):
   that is where the GIN-indexed search runs in production. Each claim's search is run
   `--repeat` times; the table gives the median per claim and the spread over claims.
2. Feed items per minute: a local server serves an RSS feed of `--items` entries, each with its
   own article page; the feed is polled and every item's page read into the archive, inline as
   `manage.py poll_feeds` does it, and (with CELERY_BROKER_URL and DATABASE_URL) by two real
   worker processes, timed from the poll until the last item is archived.

Everything runs in a throwaway database (created and dropped here), never the app's own.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from summary import record  # noqa: E402

REFERENCE = ROOT / "claims" / "demo_data" / "sky-baghdad-embassy-2019-12-31.txt"
FILLER = (
    "The council met on Thursday to discuss the city budget and the new bus routes. "
    "Officials said the harvest was better than expected after a wet spring. "
    "The central bank left interest rates unchanged, citing steady inflation. "
    "Schools will reopen next week after repairs to the heating systems. "
    "The minister said talks with the unions would continue in the new year. "
    "Heavy snow closed several mountain roads and delayed flights in the north. "
    "The museum opened a new wing devoted to maritime history and trade. "
    "Exports rose for the third month in a row, led by machinery and chemicals. "
    "A court adjourned the trial until February to hear more witnesses. "
    "The festival drew record crowds despite the rain on its final day."
)


def sentences(text: str) -> list[str]:
    import re

    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.strip()) > 30]


def build_archive(count: int) -> None:
    """The demo corpus, then news-like documents mixing its sentences with unrelated ones."""
    from claims.corroboration.corpus import load_corpus, read_corpus
    from claims.extraction import extract
    from claims.models import ArchiveDocument

    corpus = load_corpus()
    pool = [s for text in read_corpus() for s in sentences(text.text)]
    pool += sentences(extract(REFERENCE.read_text(encoding="utf-8")).cleaned_text)
    filler = sentences(FILLER)
    rng = random.Random(8)
    batch = []
    for i in range(count - corpus):
        body = rng.sample(filler, 4) + rng.sample(pool, rng.randint(1, 4))
        rng.shuffle(body)
        batch.append(
            ArchiveDocument(
                kind="feed_item",
                key=f"bench:{i}",
                url=f"https://bench{i % 50}.example/story/{i}",
                title=" ".join(body[0].split()[:10]),
                text=" ".join(body),
                outlet_name=f"Bench outlet {i % 50}",
            )
        )
        if len(batch) == 1000:
            ArchiveDocument.objects.bulk_create(batch)
            batch = []
    ArchiveDocument.objects.bulk_create(batch)


def bench_job(documents: int, repeat: int) -> None:
    print(f"1. The evidence search per claim, archive of {documents:,} documents:")
    if connection.vendor != "postgresql":
        print("   skipped: needs DATABASE_URL pointing at PostgreSQL (the production search).")
        record("corroboration", "evidence search per claim", "skipped", "needs PostgreSQL")
        return
    from claims.models import ArchiveDocument, Claim, CorroborationRun
    from claims.services.articles import article_submit_text
    from claims.services.corroboration import corroboration_run

    settings.CORROBORATION_ARCHIVE = True
    settings.SEARXNG_URL = settings.SEARCH_JSON_URL = settings.FACTCHECK_TOOLS_API_KEY = ""
    started = time.perf_counter()
    build_archive(documents)
    print(
        f"   archive built: {ArchiveDocument.objects.count():,} documents in "
        f"{time.perf_counter() - started:.0f} s"
    )
    from factcheck.celery import app

    app.conf.task_always_eager = True
    article = article_submit_text(text=REFERENCE.read_text(encoding="utf-8"), by=None)
    claims = list(Claim.objects.filter(article=article).order_by("start"))
    per_claim: dict[int, list[float]] = {c.pk: [] for c in claims}
    found: dict[int, int] = {}
    # Rounds over all claims (A B C … A B C …), so that a busy moment hits every claim alike.
    for _ in range(repeat):
        for claim in claims:
            run = CorroborationRun.objects.create(claim=claim)
            t0 = time.perf_counter()
            run = corroboration_run(run_id=run.pk)
            per_claim[claim.pk].append(time.perf_counter() - t0)
            found[claim.pk] = run.found
    medians = sorted(statistics.median(times) for times in per_claim.values())
    quartiles = statistics.quantiles(medians, n=4)
    print(
        f"   {len(claims)} claims × {repeat} runs: median {statistics.median(medians) * 1000:.0f} "
        f"ms per claim (quartiles {quartiles[0] * 1000:.0f}–{quartiles[2] * 1000:.0f} ms, "
        f"slowest {medians[-1] * 1000:.0f} ms); {sum(found.values())} candidates in all"
    )
    record(
        "corroboration",
        f"evidence search per claim, {documents:,}-document archive",
        f"{statistics.median(medians) * 1000:.0f} ms",
        f"quartiles {quartiles[0] * 1000:.0f}–{quartiles[2] * 1000:.0f} ms over "
        f"{len(claims)} claims, {repeat} runs each",
    )


def feed_and_pages(server, count: int) -> str:
    from email.utils import format_datetime

    from tests.corroboration_web import article_page

    paragraphs = sentences(REFERENCE.read_text(encoding="utf-8"))
    items = []
    for i in range(count):
        path = f"/story/{i}"
        body = [f"Dispatch {i} from the bench desk.", *paragraphs[i % 7 : i % 7 + 6]]
        server.expect_request(path).respond_with_data(
            article_page(f"Bench story {i}", body), content_type="text/html"
        )
        when = format_datetime(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
        items.append(
            f"<item><title>Bench story {i}</title><link>{server.url_for(path)}</link>"
            f"<guid>bench-{i}</guid><pubDate>{when}</pubDate></item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
        + "".join(items)
        + "</channel></rss>"
    )


def bench_feeds(count: int) -> None:
    from pytest_httpserver import HTTPServer

    from claims.models import FeedItem, SourceFeed
    from claims.services import feeds
    from tests import factories

    print(f"2. Feed items read into the archive, a feed of {count} new items:")
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True
    settings.FEED_MAX_ITEMS = count
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        server.expect_request("/feed.xml").respond_with_data(
            feed_and_pages(server, count), content_type="application/rss+xml"
        )
        source = factories.SourceFactory(name="Bench feeds")
        feed = SourceFeed.objects.create(source=source, url=server.url_for("/feed.xml"))
        started = time.perf_counter()
        result = feeds.feed_poll(feed_id=feed.pk, force=True, enqueue_items=False)
        for item_id in result.new_items:
            feeds.feed_item_archive(item_id=item_id)
        elapsed = time.perf_counter() - started
        archived = FeedItem.objects.filter(feed=feed, status="archived").count()
        print(
            f"   inline (as poll_feeds): {archived} of {count} archived in {elapsed:.1f} s = "
            f"{archived / elapsed * 60:.0f} items/minute"
        )
        record(
            "corroboration",
            "feed items archived per minute, inline",
            f"{archived / elapsed * 60:.0f}",
            f"{archived} of {count} in {elapsed:.1f} s",
        )
        bench_feed_workers(server, source, count)
    finally:
        server.stop()


def bench_feed_workers(server, source, count: int) -> None:
    if not settings.CELERY_BROKER_URL or not os.environ.get("DATABASE_URL"):
        print("   two workers: skipped, needs CELERY_BROKER_URL and DATABASE_URL.")
        record("corroboration", "feed items per minute, two workers", "skipped", "needs Redis")
        return
    from claims.models import FeedItem, PageSnapshot, SourceFeed
    from claims.services import feeds
    from factcheck.celery import app
    from tests.workers import celery_worker, purge_queue

    app.conf.task_always_eager = False
    PageSnapshot.objects.all().delete()  # no page from memory: every one is fetched again
    feed = SourceFeed.objects.create(source=source, url=server.url_for("/feed.xml") + "?w=2")
    purge_queue()
    env = {"FETCH_ALLOW_PRIVATE_ADDRESSES": "true", "FEED_MAX_ITEMS": str(count)}
    with celery_worker("feeds-a", **env), celery_worker("feeds-b", **env):
        started = time.perf_counter()
        feeds.feed_poll(feed_id=feed.pk, force=True)
        deadline = time.monotonic() + max(120, count)
        while time.monotonic() < deadline:
            if not FeedItem.objects.filter(feed=feed, status="pending").exists():
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
    archived = FeedItem.objects.filter(feed=feed, status="archived").count()
    print(
        f"   two workers (prefork, concurrency 1 each): {archived} of {count} archived in "
        f"{elapsed:.1f} s = {archived / elapsed * 60:.0f} items/minute"
    )
    record(
        "corroboration",
        "feed items archived per minute, two workers",
        f"{archived / elapsed * 60:.0f}",
        f"{archived} of {count} in {elapsed:.1f} s",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--items", type=int, default=200)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})
    if connection.vendor != "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"bench_corroboration_{os.getpid()}"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        bench_job(args.documents, max(1, args.repeat))
        bench_feeds(max(1, args.items))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
