"""Command line: ``python -m claims.extraction FILE…`` or ``--jsonl IN.jsonl``; JSON out.

One JSON object per input, one per line. ``-`` reads standard input. With ``--jsonl`` each input
line is ``{"id", "text"}`` and each output line is ``{"id", …}``. The model loads once and the
texts go through ``nlp.pipe`` in batches.

``--rank-sentences --jsonl IN.jsonl`` scores transcripts given as sentences: input lines
``{"id", "sentences": [{"i", "speaker", "text"}]}``, output lines ``{"id", "scores": [{"i",
"score"}]}``, with the code that scores claims in the app (``scoring.rank_sentences``).
With ``--transcript`` the FILEs are transcripts (``SPEAKER: text`` turns).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from itertools import islice

from .pipeline import extract_many
from .scoring import rank_sentences
from .transcript_claims import extract_transcript

JSONL_BATCH = 200


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read()


def _jsonl_records(path: str) -> Iterator[dict]:
    if path == "-":
        handle = sys.stdin
    elif path.endswith(".gz"):
        handle = gzip.open(path, "rt", encoding="utf-8", errors="replace")  # noqa: SIM115
    else:
        handle = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
    try:
        for line in handle:
            if line.strip():
                yield json.loads(line)
    finally:
        if handle is not sys.stdin:
            handle.close()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m claims.extraction", description="Extract claims from news text."
    )
    parser.add_argument("files", nargs="*", help="text files ('-' for standard input)")
    parser.add_argument("--jsonl", help='a file of {"id", "text"} lines (.gz or "-" too)')
    parser.add_argument("--n-process", type=int, default=1, help="parser processes")
    parser.add_argument("--indent", type=int, default=None, help="pretty-print the JSON")
    parser.add_argument(
        "--rank-sentences",
        action="store_true",
        help='score the sentences of --jsonl lines {"id", "sentences": [{"i", "speaker", "text"}]}',
    )
    parser.add_argument(
        "--transcript", action="store_true", help="the FILEs are transcripts (SPEAKER: text)"
    )
    parser.add_argument(
        "--moderator", action="append", default=[], help="a moderator's name (repeatable)"
    )
    args = parser.parse_args(argv)
    if not args.files and not args.jsonl:
        parser.error("give FILE… or --jsonl IN.jsonl")
    if args.rank_sentences and (args.files or not args.jsonl):
        parser.error("--rank-sentences reads --jsonl IN.jsonl only")
    out = sys.stdout
    if args.rank_sentences:
        records = _jsonl_records(args.jsonl)
        while batch := list(islice(records, JSONL_BATCH)):
            for line in rank_sentences(batch, n_process=args.n_process):
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
        return 0
    if args.files and args.transcript:
        for path in args.files:
            result = extract_transcript(_read(path), moderators=args.moderator)
            out.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=args.indent) + "\n")
    elif args.files:
        texts = [_read(path) for path in args.files]
        for result in extract_many(texts, n_process=args.n_process):
            out.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=args.indent) + "\n")
    if args.jsonl:
        records = _jsonl_records(args.jsonl)
        while batch := list(islice(records, JSONL_BATCH)):
            texts = [str(record.get("text") or "") for record in batch]
            for record, result in zip(
                batch, extract_many(texts, n_process=args.n_process), strict=True
            ):
                line = {"id": record.get("id"), **result.to_dict()}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
