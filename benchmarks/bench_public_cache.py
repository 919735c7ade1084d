"""The public verdict page's requests per second against /healthz on the same gunicorn server,
with a warm cache and without one, measured in one run.

    .venv/bin/python benchmarks/bench_public_cache.py [--claims 10000] [--keep]

Gunicorn servers as deployed (DEBUG off, 2 sync workers each, static files collected) serve the
benchmark database (benchmarks/synthetic.py), one for each way of keeping the public cache
(claims/public_cache.py):

- "shared": Django's cache in Redis, as deployed (docker/compose.yaml): the site's version is
  kept in it; each worker serves the pages it holds under its lease (PUBLIC_CACHE_LEASE_SECONDS)
  without asking Redis, and otherwise with one round trip; no query either way. Redis is the
  one CACHE_URL names, or else the broker's (CELERY_BROKER_URL); without either this part is
  left out.
- "no lease": the same with PUBLIC_CACHE_LEASE_SECONDS=0, Redis asked on every request: what
  the lease is worth.
- "per worker": each worker's own memory (no CACHE_URL): the version is read from the database,
  one query per cached page.

Each round loads, in turn and alternating the order: for each server, /healthz; the verdict
page with a warm cache (the same address every time); with a cold cache (a new query string
every request, so every request renders the page and stores it); and revalidated by its ETag
(a 304). Each one's requests per second is divided by its own server's /healthz in the same
round; the table gives the median ratio and its range over the rounds. The issue's goal: the
warm page at 0.8× /healthz or more.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402
from bench_pages import base_url  # noqa: E402
from httpload import free_port, load, request, start_gunicorn, stop  # noqa: E402
from summary import median_spread, record  # noqa: E402

WARM_TARGET = 0.8


def shared_cache_url() -> str:
    for name in ("CACHE_URL", "CELERY_BROKER_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("redis://", "rediss://", "unix://")):
            return url
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=3.0, help="per mode and round")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    args = parser.parse_args()
    url, label = synthetic.prepare(args.claims, base_url=base_url(), keep=args.keep)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from bench_pages import use_database

    use_database(url)
    slug = synthetic.page_ids()["verdict"]
    from django.db import connections

    connections.close_all()
    verdict = f"/verdicts/{slug}/"
    redis_url = shared_cache_url()
    caches = {"per worker": {"CACHE_URL": "locmem://"}}
    if redis_url:
        caches = {
            "shared": {"CACHE_URL": redis_url},
            # what the lease is worth: Redis asked on every request
            "no lease": {"CACHE_URL": redis_url, "PUBLIC_CACHE_LEASE_SECONDS": "0"},
            **caches,
        }
    servers = {}
    counter = itertools.count()
    modes = []
    try:
        for cache_name, env in caches.items():
            port = free_port()
            servers[cache_name] = start_gunicorn(url, port, args.workers, **env)
            status, headers = request(port, verdict, {})
            if status != 200 or "ETag" not in headers:
                raise SystemExit(f"{verdict} answered {status} without an ETag")
            etag = headers["ETag"]
            modes += [
                (cache_name, "/healthz", port, "/healthz", {}, 200),
                (cache_name, "verdict, warm cache", port, verdict, {}, 200),
                (
                    cache_name,
                    "verdict, cold cache",
                    port,
                    lambda: f"{verdict}?n={next(counter)}",
                    {},
                    200,
                ),
                (cache_name, "verdict, 304 by ETag", port, verdict, {"If-None-Match": etag}, 304),
            ]
        for *_, port, path, headers, expect in modes:  # warm-up: every worker, every mode
            load(port, path, headers, args.clients, 1.0, expect)
        rates: dict[tuple[str, str], list[float]] = {(c, name): [] for c, name, *_ in modes}
        for round_number in range(args.rounds):
            order = modes if round_number % 2 == 0 else list(reversed(modes))
            for cache_name, name, port, path, headers, expect in order:
                measured = load(port, path, headers, args.clients, args.seconds, expect)
                rates[cache_name, name].append(measured.rate)
    finally:
        for server in servers.values():
            stop(server)
        if not args.keep:
            synthetic.drop(url)
    print(
        f"\nPublic verdict page on {label}: gunicorn, {args.workers} sync workers per server, "
        f"DEBUG off; {args.clients} clients, {args.seconds:.0f} s per mode, {args.rounds} "
        "interleaved rounds (order alternating); each ratio against its own server's /healthz "
        "in the same round; median [range]:\n"
    )
    if not redis_url:
        print("(no Redis in CACHE_URL or CELERY_BROKER_URL: the shared cache is left out)\n")
    print(f"| {'cache':<10} | {'mode':<22} | {'requests/s':>20} | {'× /healthz':>18} |")
    print(f"|{'-' * 12}|{'-' * 24}|{'-' * 22}|{'-' * 20}|")
    for cache_name, name, *_ in modes:
        floor = rates[cache_name, "/healthz"]
        ratios = [rate / f for rate, f in zip(rates[cache_name, name], floor, strict=True)]
        print(
            f"| {cache_name:<10} | {name:<22} | {median_spread(rates[cache_name, name]):>20} | "
            f"{median_spread(ratios, 2):>18} |"
        )
        if name == "/healthz":
            continue
        note = (
            f"{statistics.median(rates[cache_name, name]):.0f} req/s; {args.rounds} rounds; "
            f"{args.claims:,} claims"
        )
        if name == "verdict, warm cache":
            met = "meets" if statistics.median(ratios) >= WARM_TARGET else "below"
            note += f"; {met} the {WARM_TARGET}× goal"
        record("public cache", f"{name} / healthz ({cache_name})", median_spread(ratios, 2), note)


if __name__ == "__main__":
    main()
