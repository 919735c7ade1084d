"""Write reviewers' corrections of the extractor as gold attributions (JSON lines).

The format is our extraction evaluation data's (`id`, `text`, `attributions` with `source`,
`cue` and `content` spans at character offsets), so the extractor can be scored against its
reviewers with `python -m claims.extraction.evaluation GOLD PRED`; `--predictions` writes the
extractor's original output for the same claims to score.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from claims.corrections_export import ExportTally, gold_documents, original_predictions


class Command(BaseCommand):
    help = "Export reviewers' corrections of the extractor as gold attributions (JSON lines)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["jsonl"], default="jsonl")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument(
            "--since", help="only articles added on or after this date (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--predictions",
            help="also write the extractor's original output for the same claims to this file",
        )

    def handle(self, *args, **options) -> None:
        since = None
        if options["since"]:
            try:
                day = datetime.date.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError("--since takes a date such as 2026-11-30.") from exc
            since = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        tally = ExportTally()
        with contextlib.ExitStack() as stack:
            out = self.stdout
            if options["output"]:
                out = stack.enter_context(open(options["output"], "w", encoding="utf-8"))
            for document in gold_documents(since=since, tally=tally):
                out.write(json.dumps(document, ensure_ascii=False) + "\n")
        if options["predictions"]:
            with open(options["predictions"], "w", encoding="utf-8") as predictions:
                for document in original_predictions(since=since):
                    predictions.write(json.dumps(document, ensure_ascii=False) + "\n")
        skipped = len(tally.no_speaker_mention)
        summary = (
            f"{tally.documents} articles, {tally.attributions} attributions, "
            f"{tally.unattributed} outlet's own statements, {tally.noise} not claims"
        )
        if skipped:
            summary += (
                f"; {skipped} left out: their speaker is not named in the text (claims "
                + ", ".join(f"#{pk}" for pk in tally.no_speaker_mention[:20])
                + ")"
            )
        sys.stderr.write(summary + "\n")
