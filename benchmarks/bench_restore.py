"""The restore drill at size: how long `backup_db` and `restore_db` take for N claims.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck \\
        .venv/bin/python benchmarks/bench_restore.py --claims 1000,50000 [--runs 3] [--keep]

For each size a database of synthetic newsroom data (benchmarks/synthetic.py, named
factcheck_bench_restore_<size>) is dumped with `manage.py backup_db`, then restored with
`manage.py restore_db` into an empty database (a new server), and the restored database must
hold the same number of claims. Each is run as the operator would run it (a fresh process), so
the times include Django's start (about a second here). Sizes take turns run by run. PostgreSQL
only (BENCH_DATABASE_URL, or the server of DATABASE_URL).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402
from summary import median_spread, record  # noqa: E402


def base_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        url = os.environ["DATABASE_URL"]
    if not url:
        return ""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/factcheck_bench_restore", "", ""))


def manage(url: str, *args: str) -> tuple[float, str]:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - manage.py with this Python
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed: {result.stderr[-2000:]}")
    return elapsed, result.stdout


def count_claims(url: str) -> int:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        return conn.execute("SELECT count(*) FROM claims_claim").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", default="1000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the source databases")
    args = parser.parse_args()
    base = base_url()
    if not base:
        print("bench_restore: PostgreSQL only (set DATABASE_URL or BENCH_DATABASE_URL); skipped")
        return
    sizes = [int(size) for size in args.claims.split(",")]
    sources = {size: synthetic.prepare(size, base_url=base, keep=args.keep)[0] for size in sizes}
    times: dict[int, dict[str, list[float]]] = {s: {"dump": [], "restore": []} for s in sizes}
    dump_bytes: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.runs):
            for size in sizes:
                source = sources[size]
                target = source + "_drill"
                dump = Path(folder) / f"{size}.dump"
                seconds, _ = manage(source, "backup_db", "--output", str(dump))
                times[size]["dump"].append(seconds)
                dump_bytes[size] = dump.stat().st_size
                synthetic.postgres_create(target)
                try:
                    seconds, _ = manage(target, "restore_db", str(dump), "--yes")
                    times[size]["restore"].append(seconds)
                    restored, expected = count_claims(target), count_claims(source)
                    if restored != expected:
                        raise SystemExit(f"restored {restored} claims of {expected}")
                finally:
                    synthetic.postgres_drop(target)
    if not args.keep:
        for url in sources.values():
            synthetic.drop(url)
    print(f"\nRestore drill ({args.runs} runs; seconds, median [range]; a fresh process each)")
    print(f"{'claims':>8}  {'dump size':>10}  {'backup_db':>18}  {'restore_db':>18}")
    for size in sizes:
        dump_text = median_spread(times[size]["dump"])
        restore_text = median_spread(times[size]["restore"])
        print(f"{size:>8,}  {dump_bytes[size] / 1e6:>8.1f}MB  {dump_text:>18}  {restore_text:>18}")
        record(
            "restore drill",
            f"backup + restore, {size:,} claims (s)",
            f"{dump_text} + {restore_text}",
        )


if __name__ == "__main__":
    main()
