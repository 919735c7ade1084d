"""Match claims from a JSON Lines file against the imported fact-checks and our verdicts.

Reads `{"id", "text"}` lines (optionally `"speaker"`) and writes one line per claim:
`{"id", "matches": [{"url", "claim_reviewed", "rating", "publisher", "score"}, …]}`, best
first. It calls the same function as the claim page, so its numbers are the product's.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from claims.corroboration import semantic
from claims.corroboration.matching import match_fact_checks

BAD_LINE = "Line {number} is not a JSON object with an id and a text."


class Command(BaseCommand):
    help = "Match {id, text} JSON lines against imported fact-checks and our published verdicts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jsonl", required=True, help="Input file, '-' for standard input.")
        parser.add_argument("--top", type=int, default=5, help="Matches per claim (default 5).")
        parser.add_argument("--output", help="Write here instead of standard output.")
        parser.add_argument(
            "--keyword-only",
            action="store_true",
            help="Leave out semantic re-ranking even when the semantic extra is installed.",
        )

    def handle(self, *args, **options) -> None:
        if options["top"] < 1:
            raise CommandError("--top must be at least 1.")
        claims = self._read(options["jsonl"])
        use_semantic = False if options["keyword_only"] else None
        if options["verbosity"] > 1:
            path = "keyword" if use_semantic is False or not semantic.available() else "semantic"
            self.stderr.write(f"Matching {len(claims)} claims ({path} ranking)")
        out = open(options["output"], "w", encoding="utf-8") if options["output"] else self.stdout  # noqa: SIM115
        try:
            for claim in tqdm(
                claims, desc="Matching", unit="claim", disable=options["verbosity"] < 2
            ):
                matches = match_fact_checks(
                    claim["text"],
                    speaker=str(claim.get("speaker") or ""),
                    top=options["top"],
                    use_semantic=use_semantic,
                )
                line = {"id": claim["id"], "matches": [match.as_dict() for match in matches]}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        finally:
            if options["output"]:
                out.close()

    def _read(self, given: str) -> list[dict]:
        if given == "-":
            lines = sys.stdin.read().splitlines()
        else:
            path = Path(given)
            if not path.is_file():
                raise CommandError(f"No such file: {given}.")
            lines = path.read_text(encoding="utf-8").splitlines()
        claims = []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                claim = json.loads(line)
            except json.JSONDecodeError:
                raise CommandError(BAD_LINE.format(number=number)) from None
            if (
                not isinstance(claim, dict)
                or "id" not in claim
                or not isinstance(claim.get("text"), str)
            ):
                raise CommandError(BAD_LINE.format(number=number))
            claims.append(claim)
        return claims
