"""Check or rebuild the running counts that the queue and the dashboard read.

    python manage.py recount --check    # say whether the counters agree with the tables
    python manage.py recount            # rebuild them (writers wait while it runs)

Triggers keep the counters right on every write; this is for after a restore from a partial
backup or a change made with the triggers switched off.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from claims import counters


class Command(BaseCommand):
    help = "Check (--check) or rebuild the running counts of claims and published verdicts."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Only compare; exit with status 1 if they differ."
        )

    def handle(self, *args, check: bool = False, **options) -> None:
        if check:
            drift = counters.drift()
            if not drift:
                self.stdout.write("The counters agree with the tables.")
                return
            for name, differences in drift.items():
                for key, (stored, actual) in sorted(differences.items(), key=str):
                    self.stdout.write(f"{name} {key}: counted {stored}, actually {actual}")
            raise CommandError("The counters differ from the tables; run `manage.py recount`.")
        counters.recount()
        self.stdout.write("Counters rebuilt from the tables.")
