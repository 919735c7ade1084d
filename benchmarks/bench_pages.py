"""Page server time and queries at several data sizes, and how much each page grows.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench \\
        .venv/bin/python benchmarks/bench_pages.py --claims 10000,100000 [--keep]

One database per size (named factcheck_bench_<size> on that server; SQLite files in the temp
folder without BENCH_DATABASE_URL), filled by benchmarks/synthetic.py. Each page is requested
through Django's test client (middleware, views, templates: the server's side of a request),
the sizes taking turns request by request (A B, then B A, …), each size on a connection of its
own, so that a busy machine slows them alike.
The table gives the median and the range of the runs in milliseconds per size, the growth
(at each larger size, the median of the request-by-request ratios to the smallest, and their
range), and the
SQL queries per page at each size, which must be the same.

--keep leaves the databases for the next run (or for bench_http.py) instead of dropping them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402
from summary import median_spread, record  # noqa: E402

GROWTH_LIMIT = 1.5


def base_url() -> str:
    """The PostgreSQL server to make the benchmark databases on ("" for SQLite files)."""
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(os.environ["DATABASE_URL"])
        url = urlunsplit((parts.scheme, parts.netloc, "/factcheck_bench", "", ""))
    return url


def use_database(url: str) -> None:
    """Point Django's default connection at another of the benchmark databases."""
    import dj_database_url
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = dj_database_url.parse(url)["NAME"]


def connection_to(url: str):
    """A connection of its own to one benchmark database, to make Django's default with
    `make_default`: each size keeps its connection open, so that requests to the sizes can
    alternate one by one without a reconnection inside the timing."""
    import dj_database_url
    from django.db import connections
    from django.db.utils import load_backend

    settings = {**connections.settings["default"], "NAME": dj_database_url.parse(url)["NAME"]}
    return load_backend(settings["ENGINE"]).DatabaseWrapper(settings, "default")


def make_default(wrapper) -> None:
    from django.db import connections

    connections._connections.default = wrapper


def pages_for(ids: dict[str, object]) -> list[tuple[str, str, str, dict]]:
    """(label, audience, url, extra headers) of every page measured."""
    from claims.selectors import QUEUE_SORTS, _encode_cursor, _sort_key

    htmx = {"HTTP_HX_REQUEST": "true"}
    deep = _encode_cursor(_sort_key(ids["deep"], QUEUE_SORTS["score"]))
    pages = [
        ("Queue (default: by score)", "staff", "/review/", {}),
        ("Queue, status=new, newest", "staff", "/review/?status=new&sort=newest", {}),
        ("Queue, speaker + score filter", "staff", "/review/?speaker=Speaker 1&score_min=0.5", {}),
        ("Queue, search ?q=", "staff", "/review/?q=kirkuk nurses", {}),
        ("Queue, after row 2,500 (htmx)", "staff", f"/review/?after={deep}", htmx),
        ("Queue, mine", "staff", "/review/?mine=on", {}),
        ("Article (50 claims)", "staff", f"/review/articles/{ids['article']}/", {}),
        (
            "Article + claim panel (htmx)",
            "staff",
            f"/review/articles/{ids['article']}/?claim={ids['claim']}",
            htmx,
        ),
        ("Claim (30 evidence/comments)", "staff", f"/review/claims/{ids['claim']}/", {}),
        ("Dashboard", "staff", "/review/dashboard/", {}),
        ("Public home", "public", "/", {}),
        ("Public verdict", "public", f"/verdicts/{ids['verdict']}/", {}),
        ("Public speaker (longest record)", "public", f"/speakers/{ids['speaker']}/", {}),
    ]
    return pages + _public_pages(ids)


def _public_pages(ids: dict[str, object]) -> list[tuple[str, str, str, dict]]:
    """Public list pages and feeds, measured where this version of the app has them."""
    from django.urls import NoReverseMatch, reverse

    wanted = [
        ("Public verdict list", "public:verdicts", [], ""),
        ("Public verdict list, page 50", "public:verdicts", [], "?page=50"),
        ("Public verdict list, rating filter", "public:verdicts", [], "?rating=false"),
        ("Public verdict search ?q=", "public:verdicts", [], "?q=embassy"),
        ("Public speaker list", "public:speakers", [], ""),
        ("Public ratings", "public:ratings", [], ""),
        ("Verdicts feed (RSS)", "public:feed", [], ""),
        ("Speaker feed (longest record)", "public:speaker_feed", [ids["speaker"]], ""),
        ("Sitemap index", "public:sitemap", [], ""),
    ]
    pages = []
    for label, name, args, query in wanted:
        try:
            pages.append((label, "public", reverse(name, args=args) + query, {}))
        except NoReverseMatch:
            continue
    return pages


def measure(sizes: list[int], urls: dict[int, str], runs: int) -> list[dict]:
    """Each page at every size, the sizes one right after the other (their order alternating
    round by round), so that a busy moment on the machine falls on both sides of a ratio."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    plans: dict[int, list] = {}
    clients: dict[int, dict[str, Client]] = {}
    wrappers = {size: connection_to(urls[size]) for size in sizes}
    for size in sizes:
        make_default(wrappers[size])
        ids = synthetic.page_ids()
        staff = Client()
        staff.force_login(ids["editor"])
        clients[size] = {"staff": staff, "public": Client()}
        plans[size] = pages_for(ids)
    labels = [label for label, *_ in plans[sizes[0]]]
    times = {(label, size): [] for label in labels for size in sizes}
    queries: dict[tuple[str, int], int] = {}
    sizes_kb: dict[tuple[str, int], float] = {}
    for round_number in range(runs + 1):  # round 0 warms up and counts queries
        order = sizes if round_number % 2 else list(reversed(sizes))
        for index, label in enumerate(labels):
            for size in order:
                make_default(wrappers[size])
                _, audience, url, extra = plans[size][index]
                client = clients[size][audience]
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    response = client.get(url, **extra)
                    elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code} at {size:,} claims")
                if round_number == 0:
                    queries[label, size] = len(ctx.captured_queries)
                    sizes_kb[label, size] = len(response.content) / 1024
                else:
                    times[label, size].append(elapsed)
    for wrapper in wrappers.values():
        wrapper.close()
    rows = []
    small = sizes[0]
    for label in labels:
        growth = {
            size: [
                big / little
                for big, little in zip(times[label, size], times[label, small], strict=True)
            ]
            for size in sizes[1:]
        }
        rows.append(
            {
                "label": label,
                "times": {size: times[label, size] for size in sizes},
                "growth": growth,
                "queries": {size: queries[label, size] for size in sizes},
                "kb": sizes_kb[label, sizes[-1]],
            }
        )
    return rows


def print_rows(rows: list[dict], sizes: list[int]) -> None:
    size_headers = [f"{size:,} ms" for size in sizes]
    growth_headers = [f"× at {size:,}" for size in sizes[1:]]
    width = max(len(row["label"]) for row in rows)
    header = (
        f"| {'page':<{width}} | "
        + " | ".join(f"{h:>20}" for h in size_headers)
        + "".join(f" | {h:>18}" for h in growth_headers)
        + f" | {'queries':>9} | {'KB':>4} |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell) + 2) for cell in header.strip("|").split(" | ")) + "|")
    for row in rows:
        cells = [f"{median_spread(row['times'][size]):>20}" for size in sizes]
        growth = [f"{median_spread(row['growth'][size], 2):>18}" for size in sizes[1:]]
        queries = row["queries"]
        same = len(set(queries.values())) == 1
        query_cell = str(queries[sizes[0]]) if same else "/".join(str(queries[s]) for s in sizes)
        print(
            f"| {row['label']:<{width}} | "
            + " | ".join(cells)
            + "".join(f" | {cell}" for cell in growth)
            + f" | {query_cell:>9} | {row['kb']:>4.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--claims",
        default="10000,100000",
        help="comma-separated sizes, smallest first (e.g. 10000,100000,1000000)",
    )
    parser.add_argument("--runs", type=int, default=9, help="timed requests per page and size")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the databases")
    args = parser.parse_args()
    sizes = sorted(int(size.replace("_", "")) for size in args.claims.split(","))
    server = base_url()
    urls = {}
    labels = []
    for size in sizes:
        urls[size], label = synthetic.prepare(size, base_url=server, keep=args.keep)
        labels.append(label)
    os.environ["DATABASE_URL"] = urls[sizes[0]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ["DEBUG"] = "true"
    # The server's work of rendering each page at each size: the review queue's page cache and
    # the public pages' cache, which answer a repeated look without it, are measured over HTTP
    # (bench_http.py, bench_public_cache.py). The sizes share one process, so a page cached
    # from one size's database would otherwise also be served for the others.
    os.environ["REVIEW_CACHE_SECONDS"] = "0"
    os.environ["PUBLIC_CACHE_SECONDS"] = "0"
    os.environ["CACHE_URL"] = ""
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    try:
        rows = measure(sizes, urls, args.runs)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            for url in urls.values():
                synthetic.drop(url)
    where = "PostgreSQL" if server else "SQLite"
    print(
        f"\nPage server time on {where} (Django test client, {args.runs} interleaved runs; "
        f"median [range]); growth (×) = time at that size / time at {sizes[0]:,} claims, "
        "request by request:\n"
    )
    print_rows(rows, sizes)
    changed = [row for row in rows if len(set(row["queries"].values())) > 1]
    differ = ", ".join(r["label"] for r in changed)
    for size in sizes[1:]:
        over = [row for row in rows if statistics.median(row["growth"][size]) > GROWTH_LIMIT]
        names = ", ".join(r["label"] for r in over) or "none over"
        print(
            f"\nAt {size:,} claims: {len(rows) - len(over)} of {len(rows)} pages within "
            f"{GROWTH_LIMIT}× of {sizes[0]:,} ({names})."
        )
    print(f"Query counts {'differ for ' + differ if changed else 'equal at every size'}.")
    for row in rows:
        record(
            f"pages ({where})",
            row["label"],
            " / ".join(f"{statistics.median(row['times'][s]):.0f}" for s in sizes) + " ms",
            "growth "
            + ", ".join(f"{median_spread(row['growth'][s], 2)} at {s:,}" for s in sizes[1:])
            + "; queries "
            + "/".join(str(row["queries"][s]) for s in sizes),
        )


if __name__ == "__main__":
    main()
