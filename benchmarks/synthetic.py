"""Synthetic newsroom data for the benchmarks: N claims in a throwaway database, made fast.

A newsroom that ingests a few hundred articles a day: 50 claims per article, about 1,000 claims
a day (so 100,000 claims span a bit over three months and 1,000,000 nearly three years), statuses
in the proportions a working queue has, a third of the claims assigned to each of two people,
verdicts for the published and awaiting ones, an event per claim, evidence and comments on a
sample. On PostgreSQL rows go in with COPY (a million claims in a few minutes), with the
counting triggers off during the load and a recount after it; on SQLite with bulk inserts.

Every column the generator does not set gets the model field's default, so that fields added
later do not break it.

    with bench_database(100_000) as (label, ids): ...   # see bench_pages.py
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PER_ARTICLE = 50
CLAIMS_PER_DAY = 1000
SPEAKERS_MIN = 500
CLAIMS_PER_SPEAKER = 200
STATUSES = (["new"] * 50 + ["in_review"] * 15 + ["dismissed"] * 20 + ["awaiting_approval"] * 5) + [
    "published"
] * 10
WORDS_TEXT = (
    "officials said the strikes hit targets in iraq and syria while protesters gathered outside "
    "the embassy gate and the ministry denied any role in the attack on the base near kirkuk "
    "inflation rose three per cent as the minister promised new jobs for nurses and teachers"
)
WORDS = WORDS_TEXT.split()
# Bumped when the data changes, so that a kept database of an older shape is made again.
VERSION = "6"


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 22))).capitalize() + "."


def database_url(base: str, size: int | str) -> str:
    """The address of the benchmark database for `size` claims (or another name), on the
    server of `base`."""
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "factcheck_bench"
    if not name.startswith("factcheck_bench"):
        raise SystemExit("BENCH_DATABASE_URL's database must be named factcheck_bench…")
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}_{size}", "", ""))


def _admin_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))


def postgres_exists(url: str) -> bool:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def postgres_create(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def postgres_drop(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Loader:
    """Writes rows (dicts of attribute names) of one model, bypassing the ORM's save logic so
    that timestamps are kept: COPY on PostgreSQL, executemany on SQLite. Missing attributes get
    the field's default."""

    def __init__(self, model) -> None:
        from django.db import connection

        self.model = model
        self.connection = connection
        self.fields = list(model._meta.concrete_fields)
        self.defaults = {
            field.attname: self._prepare(field, field.get_default())
            for field in self.fields
            if not field.primary_key
        }

    def _prepare(self, field, value):
        return None if value is None else field.get_db_prep_save(value, self.connection)

    def write(self, rows: Iterable[dict]) -> None:
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        rows = itertools.chain([first], rows)
        table = self.model._meta.db_table
        pk = self.model._meta.pk
        # Rows that name their ids keep them; the others get the sequence's.
        fields = [f for f in self.fields if not f.primary_key or f.attname in first]
        names = ", ".join(self.connection.ops.quote_name(f.column) for f in fields)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # psycopg adapts plain Python values itself; only defaults are prepared.
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(
                            [
                                row[f.attname] if f.attname in row else self.defaults[f.attname]
                                for f in fields
                            ]
                        )
                if pk in fields:
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', '{pk.column}'), "
                        f"(SELECT max({pk.column}) FROM {table}))"
                    )
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",
                    (
                        [
                            self._prepare(f, row[f.attname])
                            if f.attname in row
                            else self.defaults[f.attname]
                            for f in fields
                        ]
                        for row in rows
                    ),
                )


@contextlib.contextmanager
def _counting_triggers_off() -> Iterator[None]:
    """The counters are rebuilt once after the load instead of row by row during it."""
    from django.db import connection

    from claims import counters

    if connection.vendor != "postgresql":
        yield
        return
    tables = {
        name: definition.split(" ON ", 1)[1].split()[0]
        for name, definition in counters.PG_COUNT_TRIGGERS.items()
    }
    with connection.cursor() as cursor:
        for name, table in tables.items():
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            # The deferred foreign-key checks first: a table with pending ones cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name, table in tables.items():
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
        counters.recount()


def populate(claims_total: int, *, seed: int = 42, progress=print) -> None:
    """Fill the (migrated, empty) database with `claims_total` claims and what goes with them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
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

    rng = random.Random(seed)
    user_model = get_user_model()
    # No passwords: the benchmarks sign in with force_login or a session of their own.
    reviewer = user_model.objects.create_user("bench-reviewer", first_name="Rita")
    editor = user_model.objects.create_user("bench-editor", first_name="Ed")
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWER))
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    ratings = list(VerdictRating.objects.values_list("pk", flat=True))
    speakers_total = max(SPEAKERS_MIN, claims_total // CLAIMS_PER_SPEAKER)
    articles_total = max(1, claims_total // PER_ARTICLE)
    now = timezone.now().replace(microsecond=0)
    # Claim i was added i / CLAIMS_PER_DAY days before the newest; ids grow with time.
    first = now - datetime.timedelta(days=claims_total / CLAIMS_PER_DAY)
    step = datetime.timedelta(days=1) / CLAIMS_PER_DAY

    started = time.perf_counter()
    with transaction.atomic(), _counting_triggers_off():
        Loader(Speaker).write(
            {
                "id": i + 1,
                "name": f"Speaker {i}",
                "normalised_name": f"speaker {i}",
                "slug": f"speaker-{i}",
                "kind": "person",
                "created_at": first,
            }
            for i in range(speakers_total)
        )
        sentences = [_sentence(rng) for _ in range(2000)]

        def article_sentences(a: int) -> list[str]:
            return [sentences[(a * 7 + k * 13) % len(sentences)] for k in range(PER_ARTICLE)]

        Loader(Article).write(
            {
                "id": a + 1,
                "headline": f"Bench article {a}: " + sentences[a % len(sentences)][:60],
                "text": " ".join(article_sentences(a)),
                "raw_text": " ".join(article_sentences(a)),
                "content_hash": f"{a:064x}",
                "status": "ready",
                "outlet_name": "Bench News",
                "added_by_id": reviewer.pk,
                "created_at": first + step * a * PER_ARTICLE,
                "updated_at": first + step * a * PER_ARTICLE,
            }
            for a in range(articles_total)
        )
        progress(f"  {articles_total:,} articles, {speakers_total:,} speakers")
        statuses: list[str] = []
        claim_speakers: list[int] = []
        claim_contents: list[str] = []

        def claim_rows():
            for a in range(articles_total):
                offset = 0
                for sentence in article_sentences(a):
                    number = len(statuses)
                    status = rng.choice(STATUSES)
                    statuses.append(status)
                    claim_speakers.append(rng.randrange(speakers_total) + 1)
                    claim_contents.append(sentence)
                    created = first + step * number
                    yield {
                        "id": number + 1,
                        "article_id": a + 1,
                        "speaker_id": claim_speakers[-1],
                        "speaker_text": "someone",
                        "cue": "said",
                        "content": sentence,
                        "sentence": sentence,
                        "kind": "indirect",
                        "start": offset,
                        "end": offset + len(sentence),
                        "sentence_start": offset,
                        "sentence_end": offset + len(sentence),
                        "checkworthiness": round(rng.random(), 3),
                        "status": status,
                        "assignee_id": rng.choice([None, reviewer.pk, editor.pk]),
                        "dismissal_reason": "opinion" if status == "dismissed" else "",
                        "created_at": created,
                        "updated_at": created,
                    }
                    offset += len(sentence) + 1

        Loader(Claim).write(claim_rows())
        progress(f"  {len(statuses):,} claims ({time.perf_counter() - started:.0f} s)")
        verdicts = [
            (number + 1, status, rng.choice(ratings))
            for number, status in enumerate(statuses)
            if status in {"published", "awaiting_approval"}
        ]
        Loader(Verdict).write(
            {
                "id": index + 1,
                "claim_id": claim_id,
                "rating_id": rating_id,
                # Published: the same as the published version (Verdict.take_snapshot).
                "published_rating_id": rating_id if status == "published" else None,
                "published_explanation": "Because the records say so."
                if status == "published"
                else "",
                "published_speaker_id": claim_speakers[claim_id - 1]
                if status == "published"
                else None,
                **(
                    published_version(claim_speakers[claim_id - 1], claim_contents[claim_id - 1])
                    if status == "published"
                    else {}
                ),
                "explanation": "Because the records say so.",
                "slug": f"bench-verdict-{claim_id}",
                "author_id": reviewer.pk,
                "approver_id": editor.pk if status == "published" else None,
                "submitted_at": first + step * claim_id,
                "published_at": first + step * (claim_id + rng.randint(0, 3 * CLAIMS_PER_DAY))
                if status == "published"
                else None,
                "created_at": first + step * claim_id,
                "updated_at": first + step * claim_id,
            }
            for index, (claim_id, status, rating_id) in enumerate(verdicts)
        )
        Loader(ClaimEvent).write(
            {
                "id": number + 1,
                "claim_id": number + 1,
                "action": "created",
                "note": "bench",
                "created_at": first + step * number,
            }
            for number in range(len(statuses))
        )
        sample = range(1, len(statuses) + 1, max(1, len(statuses) // 2000))
        Loader(Evidence).write(
            {
                "claim_id": claim_id,
                "url": f"https://example.org/{claim_id}/{k}",
                "title": f"Evidence {k}",
                "created_at": now,
                "updated_at": now,
            }
            for claim_id in sample
            for k in range(3)
        )
        Loader(Comment).write(
            {"claim_id": claim_id, "author_id": reviewer.pk, "body": "A note.", "created_at": now}
            for claim_id in sample
        )
    # A claim with a long history for the claim page: written through the ORM.
    busy = Claim.objects.filter(status="in_review").order_by("id").first()
    for k in range(30):
        ClaimEvent.objects.create(claim=busy, actor=reviewer, action="commented", note=f"{k}")
        Evidence.objects.create(claim=busy, url=f"https://example.org/busy/{k}", title=f"E{k}")
        Comment.objects.create(claim=busy, author=editor, body=f"Comment {k}")
    progress(f"  loaded in {time.perf_counter() - started:.0f} s; analysing")
    if connection.vendor == "postgresql":
        connection.close()
        with connection.cursor() as cursor:
            for model in (Speaker, Article, Claim, Verdict, ClaimEvent, Evidence, Comment):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        # So that the kept database of this shape is found again (see bench_database).
        with connection.cursor() as cursor:
            cursor.execute(
                f'COMMENT ON DATABASE "{connection.settings_dict["NAME"]}" IS '
                f"'factcheck bench v{VERSION} {claims_total}'"
            )


def published_version(speaker_id: int, content: str) -> dict[str, str]:
    """The rest of a published verdict's version, as `Verdict.take_snapshot` stores it: public
    pages read these, and a verdict without them would fall back to the draft's claim."""
    name = f"Speaker {speaker_id - 1}"
    return {
        "speaker_name": name,
        "speaker_kind": "person",
        "claim_reviewed": f"{name} said {content}",
        "published_quote": content,
        "published_cue": "said",
    }


def page_ids() -> dict[str, object]:
    """Users and objects the benchmark pages are about, found in a populated database."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from claims.models import Claim, Speaker, Verdict
    from claims.selectors import QUEUE_SORTS

    user_model = get_user_model()
    busy = Claim.objects.filter(status="in_review").order_by("id").first()
    verdict = (
        Verdict.objects.filter(published_at__isnull=False, claim__status="published")
        .order_by("-published_at")
        .select_related("claim")
        .first()
    )
    # The speaker with the longest public record: the page that could grow the most.
    speaker = (
        Speaker.objects.filter(pk__in=Claim.objects.filter(status="published").values("speaker"))
        .annotate(n=Count("claims"))
        .order_by("-n")
        .first()
    )
    # Row 2,500 of the queue (or the middle row of a smaller database).
    row = min(2500, Claim.objects.count() // 2)
    deep = Claim.objects.order_by(*QUEUE_SORTS["score"])[row : row + 1].first()
    return {
        "reviewer": user_model.objects.get(username="bench-reviewer"),
        "editor": user_model.objects.get(username="bench-editor"),
        "article": busy.article_id,
        "claim": busy.pk,
        "verdict": verdict.slug,
        "speaker": speaker.slug,
        "deep": deep,
    }


def _postgres_has(url: str, size: int) -> bool:
    import psycopg

    if not postgres_exists(url):
        return False
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return bool(row) and row[0] == f"factcheck bench v{VERSION} {size}"


def prepare(size: int, *, base_url: str, keep: bool, progress=print) -> tuple[str, str]:
    """Make (or, with `keep`, reuse) the database for `size` claims; its URL and a label.

    Runs `migrate` and `populate` in a child process so that this one can point Django at
    whichever database it measures.
    """
    if base_url:
        url = database_url(base_url, size)
        label = f"PostgreSQL {urlsplit(url).path.lstrip('/')}"
        if keep and _postgres_has(url, size):
            progress(f"{label}: kept from an earlier run ({size:,} claims); migrating")
            _run_child(url, "--migrate")
            return url, label
        postgres_create(url)
    else:
        folder = Path(tempfile.gettempdir()) / "factcheck-bench"
        folder.mkdir(exist_ok=True)
        path = folder / f"bench_{size}.sqlite3"
        url = f"sqlite:///{path}"
        label = f"SQLite {path.name}"
        marker = path.with_suffix(f".v{VERSION}")
        if keep and path.exists() and marker.exists():
            progress(f"{label}: kept from an earlier run ({size:,} claims); migrating")
            _run_child(url, "--migrate")
            return url, label
        path.unlink(missing_ok=True)
        marker.unlink(missing_ok=True)
    progress(f"{label}: making {size:,} claims")
    _run_child(url, "--populate", str(size))
    if not base_url:
        marker.touch()
    return url, label


def _run_child(url: str, *args: str) -> None:
    """This module as a script, on the database at `url` (Django set up for it alone)."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "factcheck.settings"}
    subprocess.run(  # noqa: S603 - this file, with this Python
        [sys.executable, str(Path(__file__).resolve()), *args], env=env, check=True
    )


def drop(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.unlink(missing_ok=True)
        path.with_suffix(f".v{VERSION}").unlink(missing_ok=True)
    else:
        postgres_drop(url)


def throwaway_database(base: str, name: str) -> tuple[str, str, Callable[[], None]]:
    """An empty database for a benchmark of its own (factcheck_bench_<name> on the server of
    `base`, or an SQLite file in a temporary folder without one): its URL, a description, and
    a function that drops it."""
    if not base:
        folder = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
        path = folder / f"bench_{name}.sqlite3"

        def clean_sqlite() -> None:
            path.unlink(missing_ok=True)
            folder.rmdir()

        return f"sqlite:///{path}", f"SQLite {path.name}", clean_sqlite
    url = database_url(base, name)
    postgres_create(url)
    return url, f"PostgreSQL {urlsplit(url).path.lstrip('/')}", lambda: postgres_drop(url)


def _child_main(populate_size: int | None) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrated in {time.perf_counter() - started:.0f} s", flush=True)
    if populate_size:
        populate(populate_size, progress=lambda line: print(line, flush=True))
        print(f"  ready in {time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Fill DATABASE_URL with synthetic claims.")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--populate", type=int, metavar="CLAIMS")
    group.add_argument("--migrate", action="store_true", help="only bring the schema up to date")
    _child_main(parser.parse_args().populate)
