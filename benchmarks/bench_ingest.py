"""Ingestion timings: the reference article end to end, and articles per minute on two workers.

usage: python benchmarks/bench_ingest.py [--articles N] [--repeat N]

1. End to end, inline (as the demo runs): the reference article uploaded, then pasted, then
   served as a web page by a local server and fetched, each timed from the submit call until
   the article is ready with its claims (spaCy is already loaded: a worker loads it once).
2. Throughput (needs CELERY_BROKER_URL and DATABASE_URL, i.e. Redis and PostgreSQL): two real
   worker processes (prefork, concurrency 1 each) ingest N distinct article pages served by a
   local threaded HTTP server; reported as articles per minute, submit to last one finished.

Both parts use a throwaway database (created and dropped here), never the app's own.
"""

from __future__ import annotations

import argparse
import html
import logging
import os
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


def page_for(title: str, paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        "<meta property='og:site_name' content='Bench News'></head><body><nav>Home World</nav>"
        f"<article><h1>{html.escape(title)}</h1>{body}</article><footer>Bench News</footer>"
        "</body></html>"
    )


def reference_paragraphs() -> list[str]:
    from claims.extraction import extract

    cleaned = extract(REFERENCE.read_text(encoding="utf-8")).cleaned_text
    return [p.strip() for p in cleaned.split("\n\n") if len(p.strip()) > 40]


def start_server(pages: dict[str, str]):
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    for path, body in pages.items():
        server.expect_request(path).respond_with_data(body, content_type="text/html")
    return server


def wait_ready(
    article_ids: list[int], timeout: float, interval: float = 0.1
) -> tuple[float, dict[str, int]]:
    from claims.models import Article

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        finished = Article.objects.filter(
            pk__in=article_ids, status__in=[Article.Status.READY, Article.Status.FAILED]
        ).count()
        if finished == len(article_ids):
            break
        time.sleep(interval)
    counts: dict[str, int] = {}
    for status in Article.objects.filter(pk__in=article_ids).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return time.monotonic(), counts


def bench_end_to_end(repeat: int) -> None:
    """Inline tasks: the submit call returns when the job has run (on commit)."""
    from claims.models import Article
    from claims.services.articles import (
        article_submit_text,
        article_submit_upload,
        article_submit_url,
    )

    settings.CELERY_TASK_ALWAYS_EAGER = True
    from factcheck.celery import app

    app.conf.task_always_eager = True
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True
    raw = REFERENCE.read_bytes()
    server = start_server({"/reference": page_for("Reference", reference_paragraphs())})
    ways = {
        "upload": lambda: article_submit_upload(filename=REFERENCE.name, content=raw, by=None),
        "paste": lambda: article_submit_text(text=raw.decode("utf-8"), by=None),
        "url": lambda: article_submit_url(url=server.url_for("/reference"), by=None),
    }
    print("1. Reference article end to end (inline tasks, submit → ready):")
    try:
        for way, submit in ways.items():
            times = []
            for _ in range(repeat):
                Article.objects.all().delete()
                started = time.perf_counter()
                article = submit()
                article.refresh_from_db()
                times.append(time.perf_counter() - started)
                assert article.status == Article.Status.READY, article.failure_reason
            claims = article.claims.count()
            rest = times[1:] if len(times) > 1 else times
            print(
                f"   {way:<7} first {times[0] * 1000:7.0f} ms   median of the rest "
                f"{statistics.median(rest) * 1000:6.0f} ms   ({claims} claims, "
                f"{len(article.text):,} chars)"
            )
            record(
                "ingest",
                f"reference article by {way}, inline, submit → ready",
                f"{statistics.median(rest) * 1000:.0f} ms",
                f"median of {len(rest)} after the first ({times[0] * 1000:.0f} ms)",
            )
    finally:
        server.stop()
        app.conf.task_always_eager = False


def bench_two_workers(count: int) -> None:
    print(f"2. Throughput, two workers (prefork, concurrency 1 each), {count} distinct pages:")
    if not settings.CELERY_BROKER_URL or not os.environ.get("DATABASE_URL"):
        print("   skipped: needs CELERY_BROKER_URL and DATABASE_URL (Redis + PostgreSQL).")
        record("ingest", "articles per minute, two workers", "skipped", "needs Redis, PostgreSQL")
        return
    from claims.models import Article
    from claims.services.articles import article_submit_url
    from tests.workers import celery_worker, purge_queue

    paragraphs = reference_paragraphs()
    pages = {}
    for i in range(count):
        rotated = paragraphs[i % len(paragraphs) :] + paragraphs[: i % len(paragraphs)]
        unique = f"This is dispatch number {i + 1} from the bench desk in Baghdad on Tuesday."
        pages[f"/story/{i}"] = page_for(f"Bench story {i + 1}", [unique, *rotated])
    server = start_server(pages)
    env = {"FETCH_ALLOW_PRIVATE_ADDRESSES": "true"}
    try:
        purge_queue()
        with celery_worker("bench-a", **env), celery_worker("bench-b", **env):
            # Warm both workers up (spaCy loads on the first job in each child).
            warm = [article_submit_url(url=server.url_for(f"/story/{i}"), by=None) for i in (0, 1)]
            wait_ready([a.pk for a in warm], timeout=120)
            # The reference article through the broker and a worker: submit → ready.
            from claims.services.articles import article_submit_upload

            latencies = []
            for _ in range(3):
                Article.objects.filter(original_filename=REFERENCE.name).delete()
                submitted = time.monotonic()
                reference = article_submit_upload(
                    filename=REFERENCE.name, content=REFERENCE.read_bytes(), by=None
                )
                done, _ = wait_ready([reference.pk], timeout=60, interval=0.01)
                latencies.append(done - submitted)
            print(
                "   reference article by upload through Redis and a worker: "
                f"median {statistics.median(latencies) * 1000:.0f} ms (of 3)"
            )
            record(
                "ingest",
                "reference article through Redis and a worker",
                f"{statistics.median(latencies) * 1000:.0f} ms",
                f"median of 3 [{min(latencies) * 1000:.0f}–{max(latencies) * 1000:.0f}]",
            )
            started = time.monotonic()
            ids = [
                article_submit_url(url=server.url_for(f"/story/{i}"), by=None).pk
                for i in range(2, count)
            ]
            ended, counts = wait_ready(ids, timeout=max(120, 10 * count))
        elapsed = ended - started
        claims = Article.objects.filter(pk__in=ids).values_list("claims", flat=True).count()
        print(
            f"   {len(ids)} articles in {elapsed:.1f} s = {len(ids) / elapsed * 60:.0f} "
            f"articles/minute  (statuses {counts}, {claims} claims stored)"
        )
        record(
            "ingest",
            "articles per minute, two workers",
            f"{len(ids) / elapsed * 60:.0f}",
            f"{len(ids)} pages fetched and extracted in {elapsed:.1f} s",
        )
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=42, help="pages for the throughput part")
    parser.add_argument("--repeat", type=int, default=5, help="runs per way in part 1")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    setup_test_environment()
    # A database of our own; never the app's, never the test suite's.
    connection.settings_dict.setdefault("TEST", {})
    if connection.vendor != "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"bench_ingest_{os.getpid()}"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        bench_end_to_end(max(1, args.repeat))
        bench_two_workers(max(3, args.articles))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
