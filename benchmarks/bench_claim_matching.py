"""Claim matching: ClaimReview import time, archive search latency, and MAP@5 on CheckThat!.

    .venv/bin/python benchmarks/bench_claim_matching.py                 # throwaway SQLite file
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench \\
        .venv/bin/python benchmarks/bench_claim_matching.py             # a PostgreSQL database
                                                                        # it creates and drops
    EVAL_DIR=/path/to/eval .venv/bin/python benchmarks/bench_claim_matching.py

1. Imports 15,000 generated ClaimReview records with `import_claimreviews` (then again, when
   nothing changed) and prints the times.
2. Times `archive_search` (keyword search, OR-ed terms) and the whole match (search and
   re-ranking, as the claim page runs it) at that archive size: median and spread.
3. With EVAL_DIR naming a folder that holds `claim_matching/` (CLEF CheckThat! 2022 task 2A:
   research use only, never copied into the project), imports its 14,231 fact-checks, runs
   `match_claims` on the development queries on the keyword path and, when the semantic extra
   is installed, on the semantic path, and prints MAP@5 with the task's own scorer. (Weights
   were tuned on the training queries; the development queries are only reported.)
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic  # noqa: E402
from bench_pages import base_url  # noqa: E402
from summary import record  # noqa: E402

TOPICS_TEXT = (
    "vaccine microchip election ballot border wall tax refund climate wildfire flood senator "
    "governor president minister embassy strike rocket base troops oil price inflation jobs "
    "unemployment school teacher police crime immigrant refugee hospital virus mask lockdown "
    "celebrity actor singer football stadium airline pilot bank loan student debt pension"
)
TOPICS = TOPICS_TEXT.split()
RATINGS = ["False", "Mostly false", "Mixture", "Mostly true", "True", "Unproven", "Miscaptioned"]


def generated_reviews(count: int) -> str:
    rng = random.Random(8)
    lines = []
    for n in range(count):
        words = rng.sample(TOPICS, 6)
        claim = (
            f"A {words[0]} said the {words[1]} caused {rng.randint(2, 900)} {words[2]} cases "
            f"near the {words[3]} and {words[4]} during the {words[5]} crisis."
        )
        lines.append(
            json.dumps(
                {
                    "@context": "https://schema.org",
                    "@type": "ClaimReview",
                    "url": f"https://checker.example/fact-check/{n}-{'-'.join(words[:3])}/",
                    "claimReviewed": claim,
                    "name": f"Did a {words[0]} link {words[1]} to {words[2]}?",
                    "description": f"We looked at {words[1]} and {words[2]} records.",
                    "author": {"@type": "Organization", "name": "Bench Checker"},
                    "datePublished": f"20{rng.randint(10, 23)}-0{rng.randint(1, 9)}-1{n % 10}",
                    "reviewRating": {"@type": "Rating", "alternateName": rng.choice(RATINGS)},
                }
            )
        )
    return "\n".join(lines) + "\n"


def timed_import(path: Path) -> tuple[str, str]:
    """Wall-clock and CPU seconds (this process; the database's work on PostgreSQL is not in
    it): on a shared, busy machine the first includes waiting for a core."""
    from django.core.management import call_command

    out = StringIO()
    started, cpu = time.perf_counter(), time.process_time()
    call_command("import_claimreviews", str(path), stdout=out, stderr=out, verbosity=0)
    seconds = f"{time.perf_counter() - started:.1f} s ({time.process_time() - cpu:.1f} s CPU)"
    return seconds, out.getvalue().strip().splitlines()[-1].split(": ", 1)[-1]


def latency(queries: list[str], runs: int) -> dict[str, list[float]]:
    """Milliseconds per query for search alone and the whole match, interleaved A B A B."""
    from claims.corroboration.archive import archive_search
    from claims.corroboration.matching import MATCH_KINDS, match_fact_checks

    times: dict[str, list[float]] = {"search": [], "match (keyword)": []}
    for _ in range(runs):
        for query in queries:
            started = time.perf_counter()
            archive_search(query, limit=50, kinds=MATCH_KINDS)
            times["search"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            match_fact_checks(query, use_semantic=False)
            times["match (keyword)"].append((time.perf_counter() - started) * 1000)
    return times


def describe(values: list[float]) -> str:
    values = sorted(values)
    p90 = values[int(len(values) * 0.9) - 1]
    return (
        f"median {statistics.median(values):7.1f} ms   p90 {p90:7.1f} ms   "
        f"min {values[0]:6.1f}   max {values[-1]:7.1f}   (n={len(values)})"
    )


def explain_search(query: str) -> str:
    from django.db import connection

    from claims.corroboration.archive import search_sql
    from claims.corroboration.matching import MATCH_KINDS
    from claims.corroboration.terms import query_terms

    sql, params = search_sql(query_terms(query), limit=50, kinds=list(MATCH_KINDS))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE claims_archivedocument")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(f"    {row[0]}" for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(f"    {row[-1]}" for row in cursor.fetchall())


def evaluate(eval_dir: Path, folder: Path) -> None:
    from django.core.management import call_command

    from claims.corroboration import semantic
    from claims.models import ArchiveDocument, FactCheck

    data = eval_dir / "claim_matching"
    collection = data / "claimreviews.jsonl.gz"
    dev = data / "queries_dev.jsonl"
    scorer = data / "score.py"
    if not (collection.is_file() and dev.is_file() and scorer.is_file()):
        print(f"claim matching evaluation skipped: {data} lacks claimreviews.jsonl.gz, "
              "queries_dev.jsonl or score.py")  # fmt: skip
        return
    ArchiveDocument.objects.filter(kind=ArchiveDocument.Kind.FACT_CHECK).delete()
    FactCheck.objects.all().delete()
    seconds, summary = timed_import(collection)
    print(f"CheckThat! 2022 collection imported in {seconds}   [{summary}]")
    queries = folder / "queries.jsonl"
    with dev.open(encoding="utf-8") as given, queries.open("w", encoding="utf-8") as out:
        for line in given:
            if line.strip():
                query = json.loads(line)
                out.write(json.dumps({"id": query["id"], "text": query["text"]}) + "\n")
    paths = [("keyword", ["--keyword-only"])]
    if semantic.available():
        paths.append(("semantic", []))
    else:
        print("semantic path skipped: the semantic extra is not installed (make semantic)")
    for name, extra in paths:
        predictions = folder / f"predictions-{name}.jsonl"
        started = time.perf_counter()
        call_command(
            "match_claims", "--jsonl", str(queries), "--output", str(predictions), *extra,
            verbosity=0,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        scored = subprocess.run(  # noqa: S603
            [sys.executable, str(scorer), str(dev), str(predictions)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        count = sum(1 for _ in dev.open(encoding="utf-8"))
        print(f"dev, {name} path: {scored}  ({seconds / count * 1000:.0f} ms per query)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=15_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url, description, drop = synthetic.throwaway_database(base_url(), "matching")
    os.environ["DATABASE_URL"] = url

    def clean_up() -> None:
        from django.db import connections

        connections.close_all()
        drop()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from django.core.management import call_command

    print(f"Claim matching benchmark on {description}")
    try:
        call_command("migrate", verbosity=0)
        with tempfile.TemporaryDirectory(prefix="factcheck-matching-") as name:
            folder = Path(name)
            path = folder / "claimreviews.jsonl.gz"
            path.write_bytes(gzip.compress(generated_reviews(args.records).encode()))
            seconds, summary = timed_import(path)
            print(f"import of {args.records:,} records: {seconds}   [{summary}]")
            record("claim matching", f"import of {args.records:,} ClaimReviews", seconds)
            seconds, summary = timed_import(path)
            print(f"import again, nothing changed: {seconds}   [{summary}]")
            queries = [
                "The president said the vaccine caused 300 microchip cases near the border",
                "Senator claims wildfire smoke raised the price of oil",
                "Did a teacher link school lockdown to student debt?",
                "Football stadium airline pilot refugee",
                "Police said crime fell by 40 percent after the election",
            ]
            for label, values in latency(queries, args.runs).items():
                print(f"{label:>16} at {args.records:,} documents: {describe(values)}")
                record(
                    "claim matching",
                    f"{label} at {args.records:,} fact-checks",
                    f"{statistics.median(values):.1f} ms",
                    f"median [{min(values):.1f}–{max(values):.1f}], {len(values)} queries",
                )
            print("search plan:\n" + explain_search(queries[0]))
            eval_dir = os.environ.get("EVAL_DIR", "")
            if not eval_dir:
                print("claim matching evaluation skipped: set EVAL_DIR to the folder holding "
                      "claim_matching/ (CheckThat! 2022 2A) to print MAP@5")  # fmt: skip
            elif not Path(eval_dir, "claim_matching").is_dir():
                print(f"claim matching evaluation skipped: no claim_matching/ in {eval_dir}")
            else:
                evaluate(Path(eval_dir), folder)
    finally:
        clean_up()


if __name__ == "__main__":
    main()
