"""Metadata: the headline, the byline, the outlet and the publication date, when the text carries
them (header lines, an outlet's logo line, the byline and date lines of its head)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import dates
from .head import Head, read_head

# "Sky News logo Sky News 31/12/2019": the outlet line of an MSN scrape.
_LOGO_LINE = re.compile(r"(?P<outlet>.{2,60}?) logo (?P=outlet)(?:\s+(?P<date>.{6,40}))?")
_HEADER = re.compile(
    r"(?P<key>title|headline|publisher|outlet|source|publication date|published|date|byline|"
    r"author)\s*:"
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
    byline: str | None = None


def parse_date(text: str) -> dt.date | None:
    """The date ``text`` holds ("31/12/2019", "Dec. 31, 2019"), or None; see ``dates``."""
    return dates.parse_date(text)


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


def read_metadata(text: str, first_paragraph: str | None, head: Head | None = None) -> Metadata:
    """Headline, byline, outlet and date from header lines, a logo line, the byline and date
    lines at the top (``head``, as the cleaner found them) or the first paragraph."""
    metadata = Metadata()
    # Only the top of the text carries metadata; a date deep in the story is not the byline's.
    top = text[:3000]
    for raw_line in top.splitlines()[:40]:
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
            elif key in ("byline", "author") and metadata.byline is None:
                metadata.byline = re.sub(r"^by\s+", "", value, flags=re.IGNORECASE) or None
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
    head = head if head is not None else read_head(text.splitlines())
    metadata.byline = metadata.byline or head.byline or None
    metadata.outlet = metadata.outlet or head.outlet or None
    metadata.published = metadata.published or head.published
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
