"""Requests per second over HTTP: pages against /healthz on the same gunicorn server.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench \\
        .venv/bin/python benchmarks/bench_http.py --claims 100000 [--keep]

Serves the benchmark database for `--claims` (made by benchmarks/synthetic.py, or kept from
bench_pages.py --keep) with gunicorn as deployed (DEBUG off, 2 sync workers, static files
collected), and loads it with `--clients` concurrent clients for `--seconds` per page, the pages
taking turns round by round (healthz, queue, verdict, … then again). Each page's requests per
second is divided by /healthz's in the same round: the ratio says what the page costs beyond
the server's floor, on whatever machine. Then the gunicorn workers' memory after that warm-up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402
from bench_pages import base_url, use_database  # noqa: E402
from httpload import SECRET_KEY, free_port, load, start_gunicorn, stop  # noqa: E402
from procmem import children_of, memory_of  # noqa: E402
from summary import median_spread, record  # noqa: E402

QUEUE_TARGET = 0.3


def staff_cookie(database_url: str) -> str:
    """A signed-in session for the benchmark's editor, stored in that database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    use_database(database_url)
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    ids = synthetic.page_ids()
    editor = ids["editor"]
    session = SessionStore()
    session[SESSION_KEY] = str(editor.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = editor.get_session_auth_hash()
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return cookie, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0, help="per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    args = parser.parse_args()
    url, label = synthetic.prepare(args.claims, base_url=base_url(), keep=args.keep)
    cookie, ids = staff_cookie(url)
    from django.db import connections

    connections.close_all()
    staff = {"Cookie": cookie}
    pages = [
        ("/healthz", "/healthz", {}),
        ("Review queue", "/review/", staff),
        ("Public verdict", f"/verdicts/{ids['verdict']}/", {}),
        ("Public verdict list", "/verdicts/", {}),
        ("Public home", "/", {}),
    ]
    port = free_port()
    server = start_gunicorn(url, port, args.workers)
    rates: dict[str, list[float]] = {name: [] for name, *_ in pages}
    latency: dict[str, list[float]] = {name: [] for name, *_ in pages}
    try:
        for _name, path, headers in pages:  # warm-up: every worker has served every page
            load(port, path, headers, args.clients, 1.0)
        for _ in range(args.rounds):
            for name, path, headers in pages:
                measured = load(port, path, headers, args.clients, args.seconds)
                rates[name].append(measured.rate)
                latency[name].append(measured.median_ms)
        workers = [memory_of(pid) for pid in children_of(server.pid)]
    finally:
        stop(server)
        if not args.keep:
            synthetic.drop(url)
    print(
        f"\nHTTP on {label}: gunicorn, {args.workers} sync workers, DEBUG off; {args.clients} "
        f"clients, {args.seconds:.0f} s per page, {args.rounds} interleaved rounds; "
        "median [range]:\n"
    )
    print(f"| {'page':<20} | {'requests/s':>20} | {'× /healthz':>18} | {'median latency ms':>20} |")
    print(f"|{'-' * 22}|{'-' * 22}|{'-' * 20}|{'-' * 22}|")
    for name, *_ in pages:
        ratios = [rate / floor for rate, floor in zip(rates[name], rates["/healthz"], strict=True)]
        print(
            f"| {name:<20} | {median_spread(rates[name]):>20} | {median_spread(ratios, 3):>18} | "
            f"{median_spread(latency[name]):>20} |"
        )
        if name != "/healthz":
            note = f"{statistics.median(rates[name]):.0f} req/s; {args.claims:,} claims"
            if name == "Review queue":
                verdict = "meets" if statistics.median(ratios) >= QUEUE_TARGET else "below"
                note += f"; {verdict} the {QUEUE_TARGET}× target"
            record("http", f"{name} / healthz", median_spread(ratios, 2), note)
    rss = [w["rss"] for w in workers]
    pss = [w["pss"] for w in workers]
    uss = [w["uss"] for w in workers]
    print(
        f"\ngunicorn workers after the runs (MB each): RSS {median_spread(rss, 0)}, "
        f"PSS {median_spread(pss, 0)}, USS {median_spread(uss, 0)}"
    )
    record(
        "memory",
        "gunicorn worker after warm-up",
        f"RSS {statistics.median(rss):.0f} MB",
        f"PSS {median_spread(pss, 0)}, USS {median_spread(uss, 0)}",
    )


if __name__ == "__main__":
    main()
