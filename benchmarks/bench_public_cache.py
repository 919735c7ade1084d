"""The public verdict page's requests per second against /healthz on the same gunicorn server,
with a warm cache and without one, measured in one run.

    .venv/bin/python benchmarks/bench_public_cache.py [--claims 10000] [--keep]

One gunicorn server as deployed (DEBUG off, 2 sync workers, static files collected) serves the
benchmark database (benchmarks/synthetic.py). Each round loads, in turn and alternating which
goes first: /healthz; the verdict page with a warm cache (the same address every time); the
verdict page with a cold cache (a new query string every request, so that every request renders
the page and stores it); and the verdict page revalidated by its ETag (a 304). Each one's
requests per second is divided by /healthz's in the same round; the table gives the median
ratio and its range over the rounds. The issue's goal: the warm page at 0.8× /healthz or more.

The cache is Django's, as the server is configured: CACHE_URL (e.g. redis://127.0.0.1:6379/1)
shares one in Redis between the workers; without it each worker keeps its own in memory.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402
from bench_http import free_port, start_gunicorn, stop  # noqa: E402
from bench_pages import base_url  # noqa: E402
from summary import median_spread, record  # noqa: E402

WARM_TARGET = 0.8


def _request(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def load(port: int, paths, headers: dict[str, str], expect: int, clients: int, seconds: float):
    """Requests per second with `clients` clients for `seconds`; `paths()` gives each request's
    address."""
    stop_at = time.monotonic() + seconds
    done: list[int] = []
    bad: list[int] = []
    lock = threading.Lock()

    def client() -> None:
        count, wrong = 0, []
        while time.monotonic() < stop_at:
            status, _ = _request(port, paths(), headers)
            count += 1
            if status != expect:
                wrong.append(status)
        with lock:
            done.append(count)
            bad.extend(wrong)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if bad:
        raise SystemExit(f"expected {expect}, got {sorted(set(bad))}")
    return sum(done) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=3.0, help="per page and round")
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
    cache = os.environ.get("CACHE_URL") or "each worker's memory (no CACHE_URL)"
    port = free_port()
    server = start_gunicorn(url, port, args.workers)
    counter = itertools.count()
    try:
        status, headers = _request(port, verdict, {})
        if status != 200 or "ETag" not in headers:
            raise SystemExit(f"{verdict} answered {status} without an ETag")
        etag = headers["ETag"]
        modes = [
            ("/healthz", lambda: "/healthz", {}, 200),
            ("verdict, warm cache", lambda: verdict, {}, 200),
            ("verdict, cold cache", lambda: f"{verdict}?n={next(counter)}", {}, 200),
            ("verdict, 304 by ETag", lambda: verdict, {"If-None-Match": etag}, 304),
        ]
        for _name, paths, headers, expect in modes:  # warm-up: every worker, every mode
            load(port, paths, headers, expect, args.clients, 1.0)
        rates: dict[str, list[float]] = {name: [] for name, *_ in modes}
        for round_number in range(args.rounds):
            order = modes if round_number % 2 == 0 else list(reversed(modes))
            for name, paths, headers, expect in order:
                rates[name].append(load(port, paths, headers, expect, args.clients, args.seconds))
    finally:
        stop(server)
        if not args.keep:
            synthetic.drop(url)
    print(
        f"\nPublic verdict page on {label}: gunicorn, {args.workers} sync workers, DEBUG off; "
        f"cache: {cache}; {args.clients} clients, {args.seconds:.0f} s per mode, {args.rounds} "
        "interleaved rounds (order alternating); median [range]:\n"
    )
    print(f"| {'mode':<22} | {'requests/s':>20} | {'× /healthz':>20} |")
    print(f"|{'-' * 24}|{'-' * 22}|{'-' * 22}|")
    for name, *_ in modes:
        ratios = [rate / floor for rate, floor in zip(rates[name], rates["/healthz"], strict=True)]
        print(f"| {name:<22} | {median_spread(rates[name]):>20} | {median_spread(ratios, 2):>20} |")
        if name == "/healthz":
            continue
        note = f"{statistics.median(rates[name]):.0f} req/s; {args.claims:,} claims; {cache}"
        if name == "verdict, warm cache":
            met = "meets" if statistics.median(ratios) >= WARM_TARGET else "below"
            note += f"; {met} the {WARM_TARGET}× goal"
        record("public cache", f"{name} / healthz", median_spread(ratios, 2), note)


if __name__ == "__main__":
    main()
