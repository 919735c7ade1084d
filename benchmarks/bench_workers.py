"""Celery worker memory: a prefork worker's children after warm-up, with the extraction model
loaded in the main process before forking (WORKER_PRELOAD_MODEL=true, the default) and without.

usage: python benchmarks/bench_workers.py [--articles N] [--concurrency N] [--rounds N]

Needs CELERY_BROKER_URL and DATABASE_URL (Redis and PostgreSQL); uses a throwaway database and a
queue of its own. Each round starts a worker (prefork, --concurrency children), ingests N
distinct pasted articles through it (each child extracts several), then reads every process's
memory from /proc (RSS, PSS, USS: see procmem.py). Modes alternate (on, off, on, off …).
"""

from __future__ import annotations

import argparse
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
from procmem import children_of, memory_of  # noqa: E402
from summary import median_spread, record  # noqa: E402

DEMO = ROOT / "claims" / "demo_data"


def texts(count: int) -> list[str]:
    """Distinct article texts from the demo data (a numbered dispatch line makes each unique)."""
    bodies = [(DEMO / "sky-baghdad-embassy-2019-12-31.txt").read_text(encoding="utf-8")]
    for path in sorted((DEMO / "corpus").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        bodies.append(text.split("\n---\n", 1)[-1])
    return [
        f"Dispatch {i + 1} from the bench desk on Tuesday.\n\n{bodies[i % len(bodies)]}"
        for i in range(count)
    ]


def one_round(preload: bool, count: int, concurrency: int) -> dict[str, object]:
    from claims.models import Article
    from claims.services.articles import article_submit_text
    from tests.workers import celery_worker, purge_queue

    purge_queue()
    Article.objects.all().delete()
    env = {"WORKER_PRELOAD_MODEL": "true" if preload else "false"}
    with celery_worker("bench-mem", concurrency=concurrency, **env) as process:
        children = children_of(process.pid)
        at_start = [memory_of(pid) for pid in children]
        started = time.monotonic()
        ids = [article_submit_text(text=text, by=None).pk for text in texts(count)]
        deadline = time.monotonic() + max(120, 20 * count)
        while time.monotonic() < deadline:
            done = Article.objects.filter(
                pk__in=ids, status__in=[Article.Status.READY, Article.Status.FAILED]
            ).count()
            if done == len(ids):
                break
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        ready = Article.objects.filter(pk__in=ids, status=Article.Status.READY).count()
        children = children_of(process.pid)
        after = [memory_of(pid) for pid in children]
        parent = memory_of(process.pid)
    return {
        "preload": preload,
        "start": at_start,
        "after": after,
        "parent": parent,
        "ready": ready,
        "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=24, help="articles per round")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="rounds per mode")
    args = parser.parse_args()
    if not settings.CELERY_BROKER_URL or connection.vendor != "postgresql":
        print("Worker memory: skipped (needs CELERY_BROKER_URL and DATABASE_URL on PostgreSQL).")
        record("workers", "Celery child memory", "skipped", "needs Redis and PostgreSQL")
        return
    logging.disable(logging.INFO)
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_workers_{os.getpid()}"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    results = []
    try:
        for _ in range(args.rounds):
            for preload in (True, False):
                results.append(one_round(preload, args.articles, args.concurrency))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        f"Celery worker memory, prefork --concurrency={args.concurrency}, {args.articles} "
        f"articles per round, {args.rounds} rounds per mode; MB per child, median [range]:\n"
    )
    print(f"| {'model loaded':<22} | {'when':<14} | {'RSS':>18} | {'PSS':>18} | {'USS':>18} |")
    print(f"|{'-' * 24}|{'-' * 16}|{'-' * 20}|{'-' * 20}|{'-' * 20}|")
    for preload in (True, False):
        mode = "in the main process" if preload else "in each child"
        rounds = [r for r in results if r["preload"] is preload]
        for when in ("start", "after"):
            cells = []
            for key in ("rss", "pss", "uss"):
                values = [child[key] for r in rounds for child in r[when]]
                cells.append(f"{median_spread(values, 0):>18}")
            label = "at start" if when == "start" else "after articles"
            print(f"| {mode:<22} | {label:<14} | " + " | ".join(cells) + " |")
        whole = [r["parent"]["pss"] + sum(child["pss"] for child in r["after"]) for r in rounds]
        per_child_uss = [child["uss"] for r in rounds for child in r["after"]]
        print(
            f"  {mode}: whole worker (main + {args.concurrency} children) PSS "
            f"{median_spread(whole, 0)} MB; ingested {rounds[-1]['ready']}/{args.articles} in "
            f"{statistics.median([r['seconds'] for r in rounds]):.1f} s"
        )
        record(
            "workers",
            f"Celery child after warm-up, model {mode}",
            f"USS {statistics.median(per_child_uss):.0f} MB",
            f"PSS {median_spread([c['pss'] for r in rounds for c in r['after']], 0)}, "
            f"RSS {median_spread([c['rss'] for r in rounds for c in r['after']], 0)}; "
            f"whole worker PSS {statistics.median(whole):.0f} MB",
        )


if __name__ == "__main__":
    main()
