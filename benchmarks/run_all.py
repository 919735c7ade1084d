"""`make bench`: every benchmark in turn, each printing its detail, then one table of their
headline numbers (each row written by the benchmark that measured it: see summary.py).

    .venv/bin/python benchmarks/run_all.py [--only pages,http] [--claims 10000,100000,1000000]

Environment:
- BENCH_DATABASE_URL (or DATABASE_URL on PostgreSQL): the server the page and HTTP benchmarks
  make their factcheck_bench_<size> databases on; SQLite files without it.
- BENCH_CLAIMS: the page benchmark's sizes (default 10000,100000; 1000000 works, and takes a
  few minutes to generate); BENCH_KEEP=1 keeps those databases for the next run.
- CELERY_BROKER_URL and DATABASE_URL on PostgreSQL: the worker parts (throughput, memory).
- CACHE_URL: the public-cache part's servers share a Redis cache (each worker's memory without).
- EVAL_DIR: the research-only evaluation data for the quality parts.

A benchmark that fails leaves a row saying so; the others still run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from summary import print_table, record  # noqa: E402


def steps(claims: str, keep: bool) -> list[tuple[str, list[str]]]:
    largest = max(int(size.replace("_", "")) for size in claims.split(","))
    http_claims = str(min(largest, 100_000))
    kept = ["--keep"] if keep else []
    return [
        ("extraction", ["bench_extraction.py"]),
        ("real pages", ["bench_real_pages.py"]),
        ("pages", ["bench_pages.py", "--claims", claims, *kept]),
        ("http", ["bench_http.py", "--claims", http_claims, *kept]),
        ("public cache", ["bench_public_cache.py", *kept]),
        ("workers", ["bench_workers.py"]),
        ("ingest", ["bench_ingest.py"]),
        ("check-worthiness", ["bench_checkworthiness.py"]),
        ("corroboration", ["bench_corroboration.py"]),
        ("claim matching", ["bench_claim_matching.py"]),
        ("restore drill", ["bench_restore.py", "--claims", "1000,50000", "--runs", "3"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", default=os.environ.get("BENCH_CLAIMS", "10000,100000"))
    parser.add_argument("--only", default="", help="comma-separated parts (names below)")
    parser.add_argument(
        "--keep", action="store_true", default=os.environ.get("BENCH_KEEP", "") == "1"
    )
    args = parser.parse_args()
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    plan = [(name, command) for name, command in steps(args.claims, args.keep)]
    unknown = wanted - {name for name, _ in plan}
    if unknown:
        raise SystemExit(f"unknown parts {sorted(unknown)}; parts: {[n for n, _ in plan]}")
    with tempfile.NamedTemporaryFile(prefix="bench-summary-", suffix=".jsonl") as summary:
        os.environ["BENCH_SUMMARY"] = summary.name
        load_before = os.getloadavg()
        started = time.monotonic()
        for name, command in plan:
            if wanted and name not in wanted:
                continue
            print(f"\n=== {name}: {' '.join(command)}", flush=True)
            step_started = time.monotonic()
            completed = subprocess.run(  # noqa: S603 - our own scripts, with this Python
                [sys.executable, str(HERE / command[0]), *command[1:]], cwd=ROOT, check=False
            )
            if completed.returncode != 0:
                record(name, "(benchmark)", "FAILED", f"exit status {completed.returncode}")
            print(f"=== {name}: {time.monotonic() - step_started:.0f} s", flush=True)
        load_after = os.getloadavg()
        print(
            f"\nSummary ({os.cpu_count()} cores; load average {load_before[0]:.1f} before, "
            f"{load_after[0]:.1f} after; {time.monotonic() - started:.0f} s). Every number "
            "below was measured in this run; ratios compare sides measured in turn:\n"
        )
        print_table(Path(summary.name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
