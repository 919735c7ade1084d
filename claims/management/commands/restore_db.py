"""Restore the database from a backup made by `backup_db` (or `pg_dump -Fc`).

    python manage.py restore_db factcheck-20260101-0300.dump --yes

Everything in the database is replaced by what the backup holds. Stop the web, worker and
beat processes first (`docker compose stop web worker beat`) so that nothing writes meanwhile.
Afterwards it checks that the counters agree with the tables and says how many claims there are.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims import backups, counters


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by backup_db."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="The backup file.")
        parser.add_argument(
            "--yes", action="store_true", help="Do it: the database's current contents are lost."
        )

    def handle(self, *args, path: str, yes: bool = False, **options) -> None:
        if not yes:
            raise CommandError(
                "This replaces everything in the database with the backup; add --yes to go on."
            )
        started = time.perf_counter()
        try:
            backups.restore(Path(path))
        except backups.BackupError as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        from claims.models import Claim

        claims = Claim.objects.count()
        drift = counters.drift()
        self.stdout.write(
            f"Restored {path} in {time.perf_counter() - started:.1f} s: {claims:,} claims"
            + ("; counters agree." if not drift else "; counters differ: run `recount`.")
        )
