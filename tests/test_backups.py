"""Backups: `backup_db` and `restore_db`, and the restore drill on PostgreSQL: dump, restore into
a database that has nothing (a new server) and over one that lost data, and the app reads the
same claims and serves the same published verdict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from claims.models import Claim
from tests import factories
from tests.conftest import publish

ROOT = Path(__file__).resolve().parent.parent

on_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the restore drill runs on PostgreSQL (DATABASE_URL)",
)

READ_CLAIMS = """
import json, django
django.setup()
from django.test import Client
from claims.models import Claim, Verdict
claims = list(Claim.objects.order_by("pk").values_list("pk", "content", "status"))
verdict = Verdict.objects.get(published_at__isnull=False)
page = Client().get(verdict.get_absolute_url(), HTTP_HOST="localhost")
print(json.dumps({"claims": claims, "page": page.status_code,
                  "text": verdict.claim.content in page.content.decode()}))
"""


@pytest.fixture
def roles_and_scale(transactional_db):
    """Transactional tests that ran before flushed the roles and the verdict scale (migration
    data) away: put them back."""
    from django.contrib.auth.models import Group, Permission

    from claims.models import VerdictRating
    from claims.roles import ensure_roles, ensure_verdict_scale

    ensure_roles(Group, Permission)
    ensure_verdict_scale(VerdictRating)


def _database_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    )


def _manage(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_CONN_MAX_AGE": "0", "DEBUG": "true"}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_restore_needs_yes(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore_db", str(tmp_path / "x.dump"))


@on_postgres
@pytest.mark.django_db
def test_restore_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore_db", str(tmp_path / "missing.dump"), yes=True)


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the SQLite refusal"
)
@pytest.mark.django_db
def test_backups_on_sqlite_point_to_sqlites_own_backup(tmp_path):
    with pytest.raises(CommandError, match=r"sqlite3 db.sqlite3 \".backup"):
        call_command("backup_db", output=str(tmp_path / "x.dump"))


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_restore_drill(tmp_path, roles_and_scale, capsys):
    reviewer_user = factories.reviewer(username="drill-reviewer")
    editor_user = factories.editor(username="drill-editor")
    article = factories.ArticleFactory()
    for i in range(30):
        factories.ClaimFactory(article=article, content=f"Drill claim number {i} about ports")
    publish(
        factories.ClaimFactory(article=article, content="The port handled 48,000 containers"),
        reviewer=reviewer_user,
        editor=editor_user,
        explanation="The port authority's annual report says 48,112.",
    )
    expected = [
        list(row) for row in Claim.objects.order_by("pk").values_list("pk", "content", "status")
    ]
    dump = tmp_path / "drill.dump"

    started = time.perf_counter()
    call_command("backup_db", output=str(dump))
    dump_seconds = time.perf_counter() - started
    assert dump.stat().st_size > 0

    drill = f"{connection.settings_dict['NAME']}_drill"
    drill_url = _database_url(drill)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{drill}"')
        cursor.execute(f'CREATE DATABASE "{drill}"')
    try:
        # A new, empty database (a new server): restore, then the app reads it.
        started = time.perf_counter()
        restored = _manage(drill_url, "manage.py", "restore_db", str(dump), "--yes")
        restore_seconds = time.perf_counter() - started
        assert restored.returncode == 0, restored.stderr
        assert "counters agree" in restored.stdout
        assert f"{len(expected)} claims" in restored.stdout
        read = _manage(drill_url, "-c", READ_CLAIMS)
        assert read.returncode == 0, read.stderr
        seen = json.loads(read.stdout.strip().splitlines()[-1])
        assert seen["claims"] == expected
        assert seen["page"] == 200 and seen["text"]
        # No migration is left to apply: the dump holds the migration history too.
        pending = _manage(drill_url, "manage.py", "migrate", "--check", "--plan")
        assert pending.returncode == 0, pending.stdout + pending.stderr

        # Data lost after the backup (tables dropped): restore over it brings the claims back.
        lost = _manage(
            drill_url,
            "-c",
            "import django; django.setup(); from django.db import connection; "
            "connection.cursor().execute('DROP TABLE claims_claim CASCADE')",
        )
        assert lost.returncode == 0, lost.stderr
        again = _manage(drill_url, "manage.py", "restore_db", str(dump), "--yes")
        assert again.returncode == 0, again.stderr
        seen = json.loads(_manage(drill_url, "-c", READ_CLAIMS).stdout.strip().splitlines()[-1])
        assert seen["claims"] == expected
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{drill}"')
    with capsys.disabled():
        print(
            f"\nrestore drill: {len(expected)} claims, dump {dump_seconds:.2f} s, "
            f"restore {restore_seconds:.2f} s ({dump.stat().st_size / 1e3:.0f} kB)"
        )
