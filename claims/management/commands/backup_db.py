"""Back up the database to a file.

    python manage.py backup_db                      # factcheck-20260101-0300.dump here
    python manage.py backup_db --output /backups/nightly.dump

PostgreSQL: a custom-format `pg_dump` (compressed; restore with `restore_db` or `pg_restore`).
SQLite: a copy made with SQLite's online backup.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from claims import backups


class Command(BaseCommand):
    help = "Back up the database to a file (pg_dump custom format on PostgreSQL)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", "-o", help="File to write (default: a dated name here).")

    def handle(self, *args, output: str | None = None, **options) -> None:
        path = Path(output or f"factcheck-{timezone.now():%Y%m%d-%H%M%S}.dump")
        started = time.perf_counter()
        try:
            backups.backup(path)
        except backups.BackupError as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        size = path.stat().st_size
        self.stdout.write(
            f"Backed up to {path} ({size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s)"
        )
