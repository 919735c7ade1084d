"""Reading schema.org ClaimReview records that other fact-checkers publish.

Accepts what they publish in practice: JSON Lines (one object a line), a JSON array, a single
object, a schema.org `DataFeed` (`dataFeedElement`, whose items may wrap the reviews in
`DataFeedItem.item`), `@graph` documents, and HTML pages carrying ClaimReview JSON-LD; any of
them gzipped. Values are read leniently (a name may be a string, an object or a list of them),
because real feeds vary; a record without an address or a reviewed claim is reported, not
stored. No Django models here: `claims.services.fact_checks` stores what this reads.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from claims.urls_normalise import normalise_url

NO_URL = "no url"
BAD_URL = "url is not a web address"
NO_CLAIM = "no claimReviewed"
BAD_JSON = "not JSON"
NO_RECORDS = "no ClaimReview records found"

_JSON_LD_SCRIPT = re.compile(
    rb"<script[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>",
    re.IGNORECASE | re.DOTALL,
)
_CONTAINER_KEYS = ("@graph", "dataFeedElement", "item", "mainEntity", "itemListElement")


@dataclass
class ClaimReviewRecord:
    """One ClaimReview, its values read into plain fields."""

    url: str
    claim_reviewed: str
    rating: str = ""
    rating_value: float | None = None
    rating_best: float | None = None
    rating_worst: float | None = None
    publisher_name: str = ""
    publisher_url: str = ""
    claimant: str = ""
    item_reviewed: dict = field(default_factory=dict)
    name: str = ""
    description: str = ""
    language: str = ""
    date_published: datetime.date | None = None
    date_modified: datetime.date | None = None
    claim_date: datetime.date | None = None
    sha256: str = ""


@dataclass
class Rejected:
    """A record (or a part of the input) that could not be read, and why."""

    where: str
    reason: str


def read_claimreviews(content: bytes) -> Iterator[ClaimReviewRecord | Rejected]:
    """Every ClaimReview in the content, in order, or why a part of it was left out."""
    if content[:2] == b"\x1f\x8b":
        content = gzip.decompress(content)
    stripped = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        yield from _from_html(stripped)
        return
    try:
        documents = [json.loads(stripped)]
    except json.JSONDecodeError:
        yield from _from_json_lines(stripped)
        return
    found = False
    for document in documents:
        for item in _records_in(document, where="record"):
            found = True
            yield item
    if not found:
        yield Rejected("input", NO_RECORDS)


def _from_json_lines(content: bytes) -> Iterator[ClaimReviewRecord | Rejected]:
    lines = enumerate(content.splitlines(), 1)
    yield from _from_json_texts(
        ((f"line {number}", line) for number, line in lines if line.strip()), nothing_in="input"
    )


def _from_html(content: bytes) -> Iterator[ClaimReviewRecord | Rejected]:
    def scripts() -> Iterator[tuple[str, bytes]]:
        for number, match in enumerate(_JSON_LD_SCRIPT.finditer(content), 1):
            body = match.group(1).strip()
            # Some sites wrap JSON-LD in CDATA or HTML comments.
            for start, end in ((b"<![CDATA[", b"]]>"), (b"<!--", b"-->")):
                if body.startswith(start) and body.endswith(end):
                    body = body[len(start) : -len(end)].strip()
            yield f"JSON-LD script {number}", body

    yield from _from_json_texts(scripts(), nothing_in="page")


def _from_json_texts(
    texts: Iterable[tuple[str, bytes]], *, nothing_in: str
) -> Iterator[ClaimReviewRecord | Rejected]:
    """The records in each JSON text, or why a text was left out; `nothing_in` names the input
    when none of it held a ClaimReview."""
    found = False
    for where, text in texts:
        try:
            document = json.loads(text)
        except json.JSONDecodeError:
            yield Rejected(where, BAD_JSON)
            continue
        for item in _records_in(document, where=where):
            found = True
            yield item
    if not found:
        yield Rejected(nothing_in, NO_RECORDS)


def _records_in(document: object, *, where: str) -> Iterator[ClaimReviewRecord | Rejected]:
    """Walk lists, @graph and feed containers down to the ClaimReview objects."""
    if isinstance(document, list):
        for position, element in enumerate(document, 1):
            inner = f"{where} {position}" if where == "record" else where
            yield from _records_in(element, where=inner)
        return
    if not isinstance(document, dict):
        return
    if _is_claim_review(document):
        yield _record(document, where=where)
        return
    for key in _CONTAINER_KEYS:
        if key in document:
            yield from _records_in(document[key], where=where)


def _is_claim_review(value: dict) -> bool:
    types = value.get("@type") or value.get("type") or ()
    if isinstance(types, str):
        types = [types]
    return any(isinstance(t, str) and t.rsplit("/", 1)[-1].endswith("ClaimReview") for t in types)


def _record(data: dict, *, where: str) -> ClaimReviewRecord | Rejected:
    raw_url = _text(data.get("url")) or _text(data.get("@id"))
    if not raw_url:
        return Rejected(where, NO_URL)
    try:
        url = normalise_url(raw_url)
    except ValueError:
        return Rejected(where, BAD_URL)
    claim_reviewed = _text(data.get("claimReviewed"))
    if not claim_reviewed:
        return Rejected(where, NO_CLAIM)
    rating = _first(data.get("reviewRating"))
    rating = rating if isinstance(rating, dict) else {}
    publisher = _first(data.get("author")) or _first(data.get("publisher"))
    item = _first(data.get("itemReviewed"))
    item = item if isinstance(item, dict) else {}
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return ClaimReviewRecord(
        url=url,
        claim_reviewed=claim_reviewed,
        rating=_text(rating.get("alternateName")) or _text(rating.get("name")),
        rating_value=_number(rating.get("ratingValue")),
        rating_best=_number(rating.get("bestRating")),
        rating_worst=_number(rating.get("worstRating")),
        publisher_name=_text(publisher),
        publisher_url=_url(publisher),
        claimant=_text(_first(item.get("author"))),
        item_reviewed=item,
        name=_text(data.get("name")) or _text(data.get("headline")),
        description=_text(data.get("description")),
        language=_text(data.get("inLanguage"))[:20],
        date_published=_date(data.get("datePublished")),
        date_modified=_date(data.get("dateModified")),
        claim_date=_date(item.get("datePublished")),
        sha256=hashlib.sha256(canonical.encode()).hexdigest(),
    )


def _first(value: object) -> object:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(value: object) -> str:
    """A string from a string, a number, or an object's name (or alternateName)."""
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("alternateName") or ""
        value = _first(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _url(value: object) -> str:
    if isinstance(value, dict):
        candidate = _text(value.get("url")) or _text(value.get("@id"))
        if candidate.startswith(("http://", "https://")):
            return candidate[:2000]
    return ""


def _number(value: object) -> float | None:
    try:
        return float(_first(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _date(value: object) -> datetime.date | None:
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None
