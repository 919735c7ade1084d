"""The restore drill at size: how long `backup_db` and `restore_db` take for N claims.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck \\
        .venv/bin/python benchmarks/bench_restore.py --claims 1000,50000 [--runs 3] [--keep]

For each size a database of synthetic newsroom data (benchmarks/synthetic.py, named
factcheck_bench_restore_<size>) is dumped with `manage.py backup_db`, then restored with
`manage.py restore_db` into an empty database (a new server), and the restored database must
hold the same number of claims. Each is run as the operator would run it (a fresh process);
the table gives that whole time and, beside it, the time the command itself reports for
pg_dump / pg_restore and its checks (the rest is Python and Django starting). Sizes take turns
run by run. PostgreSQL only (BENCH_DATABASE_URL, or the server of DATABASE_URL).
"""

from __future__ import annotations

import argparse
import os
import re
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


def own_seconds(output: str) -> float:
    """The time the command reports for its own work ("… in 1.2 s")."""
    match = re.search(r" in ([0-9.]+) s", output)
    if not match:
        raise SystemExit(f"no time in the command's output: {output!r}")
    return float(match.group(1))


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
    times: dict[int, dict[str, list[float]]] = {
        s: {"dump": [], "restore": [], "dump_own": [], "restore_own": []} for s in sizes
    }
    dump_bytes: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.runs):
            for size in sizes:
                source = sources[size]
                target = source + "_drill"
                dump = Path(folder) / f"{size}.dump"
                seconds, out = manage(source, "backup_db", "--output", str(dump))
                times[size]["dump"].append(seconds)
                times[size]["dump_own"].append(own_seconds(out))
                dump_bytes[size] = dump.stat().st_size
                synthetic.postgres_create(target)
                try:
                    seconds, out = manage(target, "restore_db", str(dump), "--yes")
                    times[size]["restore"].append(seconds)
                    times[size]["restore_own"].append(own_seconds(out))
                    restored, expected = count_claims(target), count_claims(source)
                    if restored != expected:
                        raise SystemExit(f"restored {restored} claims of {expected}")
                finally:
                    synthetic.postgres_drop(target)
    if not args.keep:
        for url in sources.values():
            synthetic.drop(url)
    print(f"\nRestore drill ({args.runs} runs; seconds, median [range])")
    print("whole: the command as a fresh process; own: the dump or restore inside it")
    header = ("claims", "dump size", "backup whole", "backup own", "restore whole", "restore own")
    print(f"{header[0]:>8}  {header[1]:>9}" + "".join(f"  {h:>16}" for h in header[2:]))
    for size in sizes:
        cells = [
            median_spread(times[size][key])
            for key in ("dump", "dump_own", "restore", "restore_own")
        ]
        print(
            f"{size:>8,}  {dump_bytes[size] / 1e6:>7.1f}MB" + "".join(f"  {c:>16}" for c in cells)
        )
        record(
            "restore drill",
            f"backup_db + restore_db, {size:,} claims (s, whole process)",
            f"{cells[0]} + {cells[2]}",
            f"pg_dump {cells[1]}, pg_restore and checks {cells[3]}",
        )


if __name__ == "__main__":
    main()
