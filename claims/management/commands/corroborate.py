"""Run the evidence search for a claim, or for every claim of an article, and print what it
found. Through the broker when one is configured (a worker runs the job and this waits for
it), inline otherwise."""

from __future__ import annotations

import textwrap
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims import selectors
from claims.models import Article, Claim, CorroborationRun
from claims.services.corroboration import corroboration_request
from claims.services.errors import ServiceError

POLL_SECONDS = 0.5


class Command(BaseCommand):
    help = "Search for evidence on a claim (--claim ID) or an article's claims (--article ID)."

    def add_arguments(self, parser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--claim", type=int, help="the claim's id")
        target.add_argument("--article", type=int, help="the article's id: each of its claims")
        parser.add_argument(
            "--timeout",
            type=float,
            default=settings.CORROBORATION_TIME_LIMIT + 60,
            help="seconds to wait for the jobs (default: the job's time limit and a minute)",
        )

    def handle(self, *args, **options) -> None:
        claims = self._claims(options)
        runs: dict[int, CorroborationRun] = {}
        for claim in claims:
            try:
                runs[claim.pk] = corroboration_request(
                    claim=claim, by=None, note="Evidence search started from the command line."
                )
            except ServiceError as exc:
                self.stdout.write(self.style.WARNING(f"Claim #{claim.pk}: {exc.message}"))
        from factcheck.celery import app

        if not app.conf.task_always_eager:
            self.stdout.write(f"Waiting for {len(runs)} evidence search(es) on the workers…")
        else:
            # Inline: the job ran when its request committed; running it here again is a no-op
            # then, and runs it when the caller holds a transaction open (tests, scripts).
            from claims.tasks import corroborate_claim

            for run in runs.values():
                corroborate_claim.apply(args=[run.pk])
        finished = self._wait(runs, options["timeout"])
        for claim in claims:
            if claim.pk in runs:
                self._print(claim, finished.get(claim.pk))
        unfinished = [pk for pk, run in finished.items() if run.is_active]
        if unfinished:
            raise CommandError(
                f"{len(unfinished)} search(es) still running after {options['timeout']:g} s "
                f"(claims {', '.join(map(str, unfinished))}); is a worker running?"
            )

    def _claims(self, options) -> list[Claim]:
        if options["claim"]:
            claim = Claim.objects.select_related("speaker").filter(pk=options["claim"]).first()
            if claim is None:
                raise CommandError(f"There is no claim {options['claim']}.")
            return [claim]
        article = Article.objects.filter(pk=options["article"]).first()
        if article is None:
            raise CommandError(f"There is no article {options['article']}.")
        claims = list(
            article.claims.select_related("speaker")
            .exclude(status__in=[Claim.Status.DISMISSED, Claim.Status.PUBLISHED])
            .order_by("start")
        )
        if not claims:
            raise CommandError(f"Article {article.pk} has no claims to search for.")
        return claims

    def _wait(
        self, runs: dict[int, CorroborationRun], timeout: float
    ) -> dict[int, CorroborationRun]:
        deadline = time.monotonic() + timeout
        ids = [run.pk for run in runs.values()]
        while True:
            fresh = {r.claim_id: r for r in CorroborationRun.objects.filter(pk__in=ids)}
            if all(not r.is_active for r in fresh.values()) or time.monotonic() > deadline:
                return fresh
            time.sleep(POLL_SECONDS)

    def _print(self, claim: Claim, run: CorroborationRun | None) -> None:
        speaker = claim.speaker.name if claim.speaker_id else claim.speaker_text or "The outlet"
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Claim #{claim.pk} ({speaker})"))
        self.stdout.write(
            textwrap.fill(claim.content, 100, initial_indent="  ", subsequent_indent="  ")
        )
        if run is None:
            return
        if run.is_active:
            self.stdout.write(
                self.style.WARNING(
                    f"  search still {run.get_status_display().lower()}: {run.stage}"
                )
            )
        elif run.status == CorroborationRun.Status.FAILED:
            self.stdout.write(self.style.ERROR(f"  search failed: {run.error}"))
        else:
            self.stdout.write(f"  {run.found} candidate(s), {run.added} new")
        for report in run.providers:
            if report["status"] != "ok":
                self.stdout.write(self.style.WARNING(f"  {report['error']}"))
        for rank, evidence in enumerate(selectors.claim_candidates(claim), start=1):
            outlet = evidence.outlet.name if evidence.outlet else "unknown outlet"
            reliability = (
                evidence.outlet.get_reliability_display().split(":")[0].lower()
                if evidence.outlet
                else "unknown"
            )
            score = f"{evidence.score:.2f}" if evidence.score is not None else "  – "
            self.stdout.write(
                f"  {rank:>2}. {score}  {evidence.title or evidence.url}  [{outlet}, "
                f"reliability {reliability}; {evidence.origin}]"
            )
            self.stdout.write(f"      {evidence.url}")
            if evidence.passage:
                self.stdout.write(
                    textwrap.fill(
                        f"“{evidence.passage}”",
                        100,
                        initial_indent="      ",
                        subsequent_indent="      ",
                        max_lines=4,
                    )
                )
            if evidence.suggested_stance and evidence.stance == "unreviewed":
                self.stdout.write(
                    f"      suggested: {evidence.suggested_stance} ({evidence.suggestion_reason})"
                )
