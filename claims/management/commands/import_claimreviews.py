"""Import other fact-checkers' ClaimReview records from files or web addresses.

JSON Lines, a JSON array, a schema.org DataFeed, or an HTML page with ClaimReview JSON-LD (any
of them gzipped). Idempotent: the ClaimReview's url is the key, so importing the same feed again
only updates what changed. Every record becomes part of the archive, and new claims are matched
against it.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from claims.corroboration.claimreviews import read_claimreviews
from claims.fetching import FetchError, fetch_url
from claims.services.fact_checks import fact_checks_import

# What a ClaimReview source may be served as; the content decides how it is read.
IMPORT_TYPES = frozenset(
    {
        "application/json",
        "application/ld+json",
        "application/x-ndjson",
        "application/jsonl",
        "application/json-seq",
        "application/gzip",
        "application/x-gzip",
        "application/octet-stream",
        "text/plain",
        "text/html",
        "application/xhtml+xml",
    }
)
NO_SUCH_FILE = "No such file: {path}."
NOTHING_IMPORTED = "Nothing could be imported from {count} of {total} inputs (see above)."
SHOW_REJECTED = 10


class Command(BaseCommand):
    help = (
        "Import schema.org ClaimReview records (JSON Lines, JSON array, DataFeed, or HTML with "
        "JSON-LD; gzipped too) from files or web addresses; idempotent by the review's url."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")

    def handle(self, *args, **options) -> None:
        failed = 0
        for given in options["inputs"]:
            try:
                content = self._read(given)
            except CommandError as error:
                self.stderr.write(f"refused  {given}: {error}")
                failed += 1
                continue
            if not self._import(given, content, show_bar=options["verbosity"] > 0):
                failed += 1
        if failed:
            raise CommandError(NOTHING_IMPORTED.format(count=failed, total=len(options["inputs"])))

    def _read(self, given: str) -> bytes:
        if given.lower().startswith(("http://", "https://")):
            try:
                page = fetch_url(
                    given, max_bytes=settings.CLAIMREVIEW_IMPORT_MAX_BYTES, accept=IMPORT_TYPES
                )
            except FetchError as error:
                raise CommandError(error.reason) from None
            return page.content
        path = Path(given)
        if not path.is_file():
            raise CommandError(NO_SUCH_FILE.format(path=given))
        return path.read_bytes()

    def _import(self, given: str, content: bytes, *, show_bar: bool) -> bool:
        started = time.monotonic()
        records = list(read_claimreviews(content))
        with tqdm(total=len(records), desc="Importing", unit="record", disable=not show_bar) as bar:
            result = fact_checks_import(records=records, imported_from=given, progress=bar.update)
        seconds = time.monotonic() - started
        for rejected in result.rejected[:SHOW_REJECTED]:
            self.stderr.write(f"skipped  {given} {rejected.where}: {rejected.reason}")
        if len(result.rejected) > SHOW_REJECTED:
            self.stderr.write(f"skipped  … and {len(result.rejected) - SHOW_REJECTED} more")
        summary = (
            f"{given}: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged, {len(result.rejected)} skipped in {seconds:.1f} s"
        )
        if result.stored:
            self.stdout.write(self.style.SUCCESS(summary))
            return True
        self.stderr.write(summary)
        return False
