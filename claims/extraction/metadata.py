"""Metadata: the headline, the outlet and the publication date, when the text carries them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# Date forms seen in scraped articles; day-first for numeric dates, as in UK outlets' bylines,
# unless the first number cannot be a day of the month (then month-first, as in US ones).
DATE_PATTERNS: tuple[str, ...] = (
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})",
    r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})",
    rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH})\.?,?\s+(?P<y>\d{{4}})",
    rf"(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})",
)
_DATE = re.compile(
    "|".join(f"(?:{re.sub(r'[?]P<[a-z]+>', '', pattern)})" for pattern in DATE_PATTERNS),
    re.IGNORECASE,
)
_DATE_ALTERNATIVES = [re.compile(pattern, re.IGNORECASE) for pattern in DATE_PATTERNS]

# "Sky News logo Sky News 31/12/2019": the outlet line of an MSN scrape.
_LOGO_LINE = re.compile(r"(?P<outlet>.{2,60}?) logo (?P=outlet)(?:\s+(?P<date>.{6,40}))?")
_HEADER = re.compile(
    r"(?P<key>title|headline|publisher|outlet|source|publication date|published|date)\s*:"
    r"\s*(?P<value>.+)",
    re.IGNORECASE,
)
# A dateline names the agency: "DALLAS (AP) —".
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}\((?P<agency>[A-Za-z .]{2,30})\)\s*[—–-]")
AGENCY_NAMES = {"AP": "Associated Press", "AFP": "AFP", "Reuters": "Reuters"}


@dataclass
class Metadata:
    headline: str | None = None
    outlet: str | None = None
    published: dt.date | None = None


def parse_date(text: str) -> dt.date | None:
    """The first date written in ``text``, or None."""
    for match in _DATE.finditer(text):
        for pattern in _DATE_ALTERNATIVES:
            found = pattern.fullmatch(match.group(0))
            if found:
                date = _date_from(found.groupdict())
                if date is not None:
                    return date
    return None


def _date_from(parts: dict[str, str | None]) -> dt.date | None:
    try:
        year = int(parts["y"] or 0)
        if parts.get("mon"):
            month = MONTHS[parts["mon"].lower().rstrip(".")]
            day = int(parts["d"] or 0)
        elif parts.get("a"):
            first, second = int(parts["a"] or 0), int(parts["b"] or 0)
            day, month = (first, second) if first > 12 or second <= 12 else (second, first)
        else:
            month, day = int(parts["m"] or 0), int(parts["d"] or 0)
        return dt.date(year, month, day)
    except (ValueError, KeyError, TypeError):
        return None


def is_metadata_line(line: str) -> bool:
    """True for the outlet/date line of a scrape, which is not part of the story."""
    if len(line) > 120:
        return False
    match = _LOGO_LINE.fullmatch(line)
    return bool(match)


def _looks_like_headline(paragraph: str) -> bool:
    words = paragraph.split()
    return (
        2 <= len(words) <= 25
        and "\n" not in paragraph
        and not paragraph.rstrip().endswith((".", ":", ",", ";", "!", "?"))
        and paragraph[:1].isupper()
    )


def read_metadata(text: str, first_paragraph: str | None) -> Metadata:
    """Headline, outlet and date from header lines, a logo line or the first paragraph."""
    metadata = Metadata()
    # Only the top of the text carries metadata; a date deep in the story is not the byline's.
    head = text[:3000]
    for raw_line in head.splitlines()[:40]:
        line = raw_line.strip()
        if not line:
            continue
        if line == "---":
            break
        header = _HEADER.fullmatch(line)
        if header:
            key, value = header.group("key").lower(), header.group("value").strip()
            if key in ("title", "headline") and metadata.headline is None:
                metadata.headline = value
            elif key in ("publisher", "outlet", "source") and metadata.outlet is None:
                metadata.outlet = value
            elif metadata.published is None and key in ("publication date", "published", "date"):
                metadata.published = parse_date(value)
            continue
        logo = _LOGO_LINE.fullmatch(line) if len(line) <= 120 else None
        if logo:
            metadata.outlet = metadata.outlet or logo.group("outlet").strip()
            if logo.group("date") and metadata.published is None:
                metadata.published = parse_date(logo.group("date"))
            continue
        dateline = _DATELINE.match(line)
        if dateline and metadata.outlet is None:
            agency = dateline.group("agency").strip()
            metadata.outlet = AGENCY_NAMES.get(agency, agency)
    # A headline stands above a story: a lone line is a sentence, not a headline.
    has_story = first_paragraph is not None and len(text.strip()) > len(first_paragraph) + 40
    if (
        metadata.headline is None
        and first_paragraph
        and has_story
        and _looks_like_headline(first_paragraph)
    ):
        metadata.headline = first_paragraph.strip()
    return metadata
