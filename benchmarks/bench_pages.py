"""Page timings with 10,000 claims: server time and queries per page, in a throwaway database.

    .venv/bin/python benchmarks/bench_pages.py                  # temporary SQLite file
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench \\
        .venv/bin/python benchmarks/bench_pages.py              # a PostgreSQL database it
                                                                # creates and drops again

Each page is requested through Django's test client (the whole middleware stack, templates
rendered) once to warm up and then `--runs` times; the table shows the median and the slowest
run in milliseconds, and the number of SQL queries, which must not depend on the data size.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _prepare_database() -> tuple[str, callable]:
    """Point DATABASE_URL at a fresh database; return its description and a clean-up."""
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url:
        folder = tempfile.mkdtemp(prefix="factcheck-bench-")
        path = Path(folder) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"

        def clean_sqlite() -> None:
            path.unlink(missing_ok=True)
            os.rmdir(folder)

        return f"SQLite {path}", clean_sqlite
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("factcheck_bench"):
        raise SystemExit(
            "BENCH_DATABASE_URL's database must be named factcheck_bench…: it is dropped"
        )
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url

    def clean_postgres() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return f"PostgreSQL {name}", clean_postgres


WORDS_TEXT = (
    "officials said the strikes hit targets in iraq and syria while protesters gathered outside "
    "the embassy gate and the ministry denied any role in the attack on the base near kirkuk"
)
WORDS = WORDS_TEXT.split()


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def populate(claims_total: int, per_article: int) -> dict[str, object]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from claims import roles
    from claims.models import (
        Article,
        Claim,
        ClaimEvent,
        Comment,
        Evidence,
        Speaker,
        Verdict,
        VerdictRating,
    )

    rng = random.Random(42)
    User = get_user_model()
    # No passwords: the benchmark signs in with force_login.
    reviewer = User.objects.create_user("bench-reviewer", first_name="Rita")
    editor = User.objects.create_user("bench-editor", first_name="Ed")
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWER))
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    speakers = Speaker.objects.bulk_create(
        Speaker(name=f"Speaker {i}", normalised_name=f"speaker {i}", slug=f"speaker-{i}")
        for i in range(500)
    )
    ratings = list(VerdictRating.objects.all())
    statuses = (
        [Claim.Status.NEW] * 50
        + [Claim.Status.IN_REVIEW] * 15
        + [Claim.Status.DISMISSED] * 20
        + [Claim.Status.AWAITING_APPROVAL] * 5
        + [Claim.Status.PUBLISHED] * 10
    )
    now = timezone.now()
    claims: list[Claim] = []
    for a in range(claims_total // per_article):
        sentences = [_sentence(rng, rng.randint(8, 22)) for _ in range(per_article)]
        text = " ".join(sentences)
        article = Article.objects.create(
            headline=f"Bench article {a}",
            raw_text=text,
            text=text,
            content_hash=f"{a:064x}",
            status=Article.Status.READY,
            outlet_name="Bench News",
            added_by=reviewer,
        )
        offset = 0
        for sentence in sentences:
            status = rng.choice(statuses)
            claims.append(
                Claim(
                    article=article,
                    speaker=rng.choice(speakers),
                    speaker_text="someone",
                    cue="said",
                    content=sentence,
                    sentence=sentence,
                    start=offset,
                    end=offset + len(sentence),
                    sentence_start=offset,
                    sentence_end=offset + len(sentence),
                    checkworthiness=round(rng.random(), 3),
                    status=status,
                    assignee=rng.choice([None, reviewer, editor]),
                    dismissal_reason="opinion" if status == Claim.Status.DISMISSED else "",
                )
            )
            offset += len(sentence) + 1
    claims = Claim.objects.bulk_create(claims, batch_size=2000)
    ClaimEvent.objects.bulk_create(
        (ClaimEvent(claim=c, action=ClaimEvent.Action.CREATED, note="bench") for c in claims),
        batch_size=5000,
    )
    verdicts = []
    for i, claim in enumerate(claims):
        if claim.status in {Claim.Status.PUBLISHED, Claim.Status.AWAITING_APPROVAL}:
            published = claim.status == Claim.Status.PUBLISHED
            verdicts.append(
                Verdict(
                    claim=claim,
                    rating=rng.choice(ratings),
                    explanation="Because the records say so.",
                    slug=f"bench-verdict-{i}",
                    author=reviewer,
                    approver=editor if published else None,
                    submitted_at=now,
                    published_at=now - timezone.timedelta(days=rng.randint(0, 80))
                    if published
                    else None,
                )
            )
    Verdict.objects.bulk_create(verdicts, batch_size=2000)
    sample = claims[:: max(1, len(claims) // 2000)]
    Evidence.objects.bulk_create(
        (
            Evidence(claim=c, url=f"https://example.org/{c.pk}/{k}", title=f"Evidence {k}")
            for c in sample
            for k in range(3)
        ),
        batch_size=5000,
    )
    Comment.objects.bulk_create(
        (Comment(claim=c, author=reviewer, body="A note.") for c in sample), batch_size=5000
    )
    busy = next(c for c in claims if c.status == Claim.Status.IN_REVIEW)
    for k in range(30):
        ClaimEvent.objects.create(claim=busy, actor=reviewer, action="commented", note=f"{k}")
        Evidence.objects.create(claim=busy, url=f"https://example.org/busy/{k}", title=f"E{k}")
        Comment.objects.create(claim=busy, author=editor, body=f"Comment {k}")
    published = Verdict.objects.filter(published_at__isnull=False).select_related("claim")[0]
    return {
        "reviewer": reviewer,
        "editor": editor,
        "article": claims[0].article_id,
        "claim": busy.pk,
        "verdict": published.slug,
        "speaker": published.claim.speaker.slug,
    }


def measure(runs: int, ids: dict[str, object]) -> list[tuple[str, float, float, int, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    staff = Client()
    staff.force_login(ids["editor"])
    public = Client()
    htmx = {"HTTP_HX_REQUEST": "true"}
    pages = [
        ("Queue (default: by score)", staff, "/review/", {}),
        ("Queue, status=new, sort=newest", staff, "/review/?status=new&sort=newest", {}),
        ("Queue, speaker + score filter", staff, "/review/?speaker=Speaker 1&score_min=0.5", {}),
        ("Queue, page 100 (htmx fragment)", staff, "/review/?page=100", htmx),
        ("Queue, mine", staff, "/review/?mine=on", {}),
        ("Article (50 claims highlighted)", staff, f"/review/articles/{ids['article']}/", {}),
        (
            "Article + claim panel (htmx)",
            staff,
            f"/review/articles/{ids['article']}/?claim={ids['claim']}",
            htmx,
        ),
        ("Claim (30 evidence/comments)", staff, f"/review/claims/{ids['claim']}/", {}),
        ("Dashboard", staff, "/review/dashboard/", {}),
        ("Public home", public, "/", {}),
        ("Public verdict", public, f"/verdicts/{ids['verdict']}/", {}),
        ("Public speaker", public, f"/speakers/{ids['speaker']}/", {}),
    ]
    rows = []
    for label, client, url, extra in pages:
        response = client.get(url, **extra)
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        queries = 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                client.get(url, **extra)
                timings.append((time.perf_counter() - started) * 1000)
            queries = len(ctx.captured_queries)
        rows.append(
            (label, statistics.median(timings), max(timings), queries, len(response.content))
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--per-article", type=int, default=50)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    where, clean_up = _prepare_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ["DEBUG"] = "true"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        ids = populate(args.claims, args.per_article)
        from claims.models import Claim

        print(
            f"{where}: {Claim.objects.count():,} claims created in "
            f"{time.perf_counter() - started:.1f} s; {args.runs} runs per page\n"
        )
        rows = measure(args.runs, ids)
        print(f"| {'page':<34} | {'median ms':>9} | {'max ms':>7} | {'queries':>7} | {'KB':>5} |")
        print(f"|{'-' * 36}|{'-' * 11}|{'-' * 9}|{'-' * 9}|{'-' * 7}|")
        for label, median, slowest, queries, size in rows:
            print(
                f"| {label:<34} | {median:>9.1f} | {slowest:>7.1f} | {queries:>7} | "
                f"{size / 1024:>5.0f} |"
            )
    finally:
        clean_up()


if __name__ == "__main__":
    main()
