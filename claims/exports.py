"""The queue as a file for editors' reports: claims as CSV or JSON rows, written as they are read.

Both formats carry the same columns. Rows are produced from chunks of claims (see
`selectors.export_claim_chunks`) and written one at a time, so that an export of 100,000 claims
holds one chunk in memory, never the whole list.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Iterable, Iterator

from claims.models import Claim

COLUMNS = (
    "id",
    "review_url",
    "status",
    "statement",
    "content",
    "speaker",
    "speaker_role",
    "kind",
    "cue",
    "checkworthiness",
    "assignee",
    "verdict",
    "verdict_published_at",
    "evidence_count",
    "article_id",
    "article_headline",
    "article_url",
    "outlet",
    "created_at",
    "updated_at",
)

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): such
# text cells get a leading apostrophe, which spreadsheets show as plain text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _when(value: datetime.datetime | None) -> str:
    return value.isoformat() if value else ""


def claim_row(claim: Claim, *, base_url: str) -> dict[str, object]:
    """One claim's export row; `base_url` is the review site's scheme and host."""
    # Selected with the claim; a claim without one raises an AttributeError, hence getattr.
    verdict = getattr(claim, "verdict", None)
    speaker = claim.speaker
    article = claim.article
    assignee = claim.assignee
    return {
        "id": claim.pk,
        "review_url": base_url + claim.get_absolute_url(),
        "status": claim.status,
        "statement": claim.display_statement,
        "content": claim.content,
        "speaker": speaker.name if speaker else claim.speaker_text,
        "speaker_role": speaker.role if speaker else "",
        "kind": claim.kind,
        "cue": claim.cue,
        "checkworthiness": round(claim.checkworthiness, 4),
        "assignee": assignee.get_username() if assignee else "",
        "verdict": verdict.rating.name if verdict else "",
        "verdict_published_at": _when(verdict.published_at) if verdict else "",
        "evidence_count": claim.evidence_count,
        "article_id": article.pk,
        "article_headline": article.headline,
        "article_url": article.url or "",
        "outlet": article.outlet_name,
        "created_at": _when(claim.created_at),
        "updated_at": _when(claim.updated_at),
    }


def claim_rows(chunks: Iterable[list[Claim]], *, base_url: str) -> Iterator[dict[str, object]]:
    for chunk in chunks:
        for claim in chunk:
            yield claim_row(claim, base_url=base_url)


class _Line:
    """A file-like object whose write() hands back the line, for csv.writer (Django's recipe)."""

    def write(self, value: str) -> str:
        return value


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(rows: Iterable[dict[str, object]]) -> Iterator[str]:
    """The rows as CSV text, a line at a time, with a byte-order mark so that spreadsheets
    read it as UTF-8."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow([_safe_cell(row[column]) for column in COLUMNS])


def json_lines(rows: Iterable[dict[str, object]]) -> Iterator[str]:
    """The rows as one JSON array, an element at a time."""
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"
