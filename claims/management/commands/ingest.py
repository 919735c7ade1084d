"""Ingest articles from the command line: web addresses, .txt/.html files or folders of them
(``--transcript`` for transcripts of debates, speeches, interviews and hearings).

Each input goes through the same services as the web form (same checks, same duplicate
detection, same job). With a broker configured the jobs run on the workers and the command
waits for them; without one they run inline, one after the other.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from claims.extraction.dates import parse_date
from claims.models import FINISHED_STATUSES, Article
from claims.services.articles import (
    UPLOAD_EXTENSIONS,
    DuplicateArticle,
    article_submit_upload,
    article_submit_url,
)
from claims.services.errors import ServiceError

NO_SUCH_FILE = "No such file or folder."
NO_FILES_IN_FOLDER = "The folder holds no .txt or .html files."
NOT_FINISHED = "Still running after {seconds:g} seconds; see the article page."
SOME_NOT_INGESTED = "{count} of {total} inputs were not ingested (see above)."
ONE_FILE_FOR_DETAILS = (
    "--original-url, --outlet and --published describe one file's text: give exactly one file."
)
BAD_PUBLISHED = "--published: {value!r} is not a date; give it as 2024-03-14."


@dataclass
class Outcome:
    given: str
    article: Article | None = None
    duplicate: bool = False
    refused: str = ""


class Command(BaseCommand):
    help = (
        "Ingest articles by web address or from .txt/.html files (folders are searched for "
        "them), exactly as the web form does; prints what became of each."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument(
            "--user", help="Username recorded as having added the articles (default: nobody)."
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=600,
            help="Seconds to wait for the worker jobs to finish (default 600).",
        )
        parser.add_argument(
            "--no-wait", action="store_true", help="Queue the jobs and return at once."
        )
        parser.add_argument(
            "--transcript",
            action="store_true",
            help="The files are transcripts (SPEAKER: text turns), not news articles.",
        )
        parser.add_argument(
            "--moderators",
            default="",
            help="With --transcript: the moderators' or hosts' names, comma-separated.",
        )
        parser.add_argument(
            "--original-url",
            default="",
            help="One file: the address its text was published at (an article already there "
            "is not added twice).",
        )
        parser.add_argument(
            "--outlet", default="", help="One file: the outlet that published its text."
        )
        parser.add_argument(
            "--published",
            default="",
            metavar="DATE",
            help="One file: the day its text was published (2024-03-14).",
        )

    def handle(self, *args, **options) -> None:
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get_by_natural_key(options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user called {options['user']!r}.") from None
        self.timeout = options["timeout"]
        self.text_options = {"kind": Article.Kind.ARTICLE}
        if options["transcript"]:
            self.text_options = {
                "kind": Article.Kind.TRANSCRIPT,
                "moderators": options["moderators"],
            }
        inputs = self._expand(options["inputs"])
        self.text_options.update(self._published_options(options, inputs))
        show_bar = len(inputs) > 1 and options["verbosity"] > 0
        outcomes = [
            self._submit(given, user)
            for given in tqdm(inputs, desc="Submitting", unit="input", disable=not show_bar)
        ]
        if not options["no_wait"]:
            self._wait(outcomes, timeout=options["timeout"], show_bar=show_bar)
        failures = sum(1 for outcome in outcomes if not self._report(outcome, options["no_wait"]))
        if failures:
            raise CommandError(SOME_NOT_INGESTED.format(count=failures, total=len(outcomes)))

    def _published_options(self, options: dict, inputs: list[str]) -> dict:
        """Where and when one file's text was published, as the submit services take it."""
        given = {
            "original_url": options["original_url"],
            "outlet": options["outlet"],
            "published_on": None,
        }
        if not any((options["original_url"], options["outlet"], options["published"])):
            return {}
        if len(inputs) != 1 or inputs[0].lower().startswith(("http://", "https://")):
            raise CommandError(ONE_FILE_FOR_DETAILS)
        if options["published"]:
            published = parse_date(options["published"])
            if published is None:
                raise CommandError(BAD_PUBLISHED.format(value=options["published"]))
            given["published_on"] = published
        return given

    def _expand(self, inputs: list[str]) -> list[str]:
        """Folders become the .txt/.html files in them, in name order; the rest stays."""
        expanded: list[str] = []
        for given in inputs:
            path = Path(given)
            if not given.lower().startswith(("http://", "https://")) and path.is_dir():
                files = sorted(
                    str(p)
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in UPLOAD_EXTENSIONS
                )
                expanded.extend(files or [given])
            else:
                expanded.append(given)
        return expanded

    def _submit(self, given: str, user) -> Outcome:
        try:
            if given.lower().startswith(("http://", "https://")):
                article = article_submit_url(url=given, by=user)
            else:
                path = Path(given)
                if path.is_dir():
                    return Outcome(given, refused=NO_FILES_IN_FOLDER)
                if not path.is_file():
                    return Outcome(given, refused=NO_SUCH_FILE)
                article = article_submit_upload(
                    filename=path.name, content=path.read_bytes(), by=user, **self.text_options
                )
        except DuplicateArticle as duplicate:
            return Outcome(given, article=duplicate.article, duplicate=True)
        except ServiceError as error:
            return Outcome(given, refused=error.message)
        return Outcome(given, article=article)

    def _wait(self, outcomes: list[Outcome], *, timeout: float, show_bar: bool) -> None:
        """Poll the database until every new article's job has finished, or time runs out."""
        waiting = {o.article.pk for o in outcomes if o.article is not None and not o.duplicate}
        deadline = time.monotonic() + timeout
        with tqdm(
            total=len(waiting), desc="Ingesting", unit="article", disable=not show_bar
        ) as bar:
            while waiting and time.monotonic() < deadline:
                done = set(
                    Article.objects.filter(
                        pk__in=waiting, status__in=FINISHED_STATUSES
                    ).values_list("pk", flat=True)
                )
                bar.update(len(done))
                waiting -= done
                if waiting:
                    time.sleep(0.5)
        for outcome in outcomes:
            if outcome.article is not None:
                outcome.article.refresh_from_db()

    def _report(self, outcome: Outcome, queued_only: bool) -> bool:
        """Print one line for the input; False when it did not end up as a ready article."""
        article = outcome.article
        if outcome.refused:
            self.stderr.write(f"refused    {outcome.given}: {outcome.refused}")
            return False
        assert article is not None
        label = f"#{article.pk:<6} {outcome.given}"
        if outcome.duplicate:
            self.stdout.write(f"duplicate  {label}: already here as “{article}”")
            return True
        if article.status == Article.Status.READY:
            count = article.claims.count()
            self.stdout.write(self.style.SUCCESS(f"ready      {label} ({count} claims)"))
            return True
        if article.status == Article.Status.NEEDS_REVIEW:
            count = article.claims.count()
            self.stdout.write(
                self.style.WARNING(f"review     {label} ({count} claims): {article.failure_reason}")
            )
            return True
        if article.status == Article.Status.FAILED:
            if article.duplicate_of_id:
                self.stdout.write(
                    f"duplicate  {label}: already here as #{article.duplicate_of_id} "
                    f"“{article.duplicate_of}”"
                )
                return True
            self.stderr.write(f"failed     {label}: {article.failure_reason}")
            return False
        if queued_only:
            self.stdout.write(f"queued     {label}")
            return True
        self.stderr.write(
            f"{article.status:<10} {label}: {NOT_FINISHED.format(seconds=self.timeout)}"
        )
        return False
