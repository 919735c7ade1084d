"""The demo corpus: openly licensed texts about the reference article's events, each a header
(title, publisher, original URL, date, licence) and a body after a line holding only `---`.

`seed_demo` puts them into the archive, so that `make run` finds real corroboration offline.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent.parent / "demo_data" / "corpus"

_URL = re.compile(r"https?://[^\s;,)]+")
_COPY_USED = re.compile(r"[Cc]opy used:\s*(https?://[^\s;,)]+)")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class CorpusText:
    slug: str
    title: str
    publisher: str
    url: str  # the original, or the verbatim copy the text was taken from when it is unknown
    published_on: datetime.date | None
    licence: str
    text: str


def read_corpus_text(path: Path) -> CorpusText:
    """One corpus file; ValueError when it does not have the header and `---` line."""
    raw = path.read_text(encoding="utf-8")
    header, separator, body = raw.partition("\n---\n")
    if not separator or not body.strip():
        raise ValueError(f"{path.name}: no '---' line between the header and the text")
    fields: dict[str, str] = {}
    for line in header.splitlines():
        name, colon, value = line.partition(":")
        if colon and name.strip():
            fields[name.strip().lower()] = value.strip()
    return CorpusText(
        slug=path.stem,
        title=fields.get("title", path.stem),
        publisher=fields.get("publisher", ""),
        url=_address(fields.get("original url", "")),
        published_on=_date(fields.get("publication date", "")),
        licence=fields.get("licence", ""),
        text=body.strip(),
    )


def read_corpus(folder: Path = CORPUS_DIR) -> list[CorpusText]:
    return [read_corpus_text(path) for path in sorted(folder.glob("*.txt"))]


def _address(value: str) -> str:
    """The original URL when the header gives one, else the verbatim copy's."""
    if value.startswith(("http://", "https://")):
        return _URL.match(value).group().rstrip(".")
    copy = _COPY_USED.search(value)
    if copy:
        return copy.group(1).rstrip(".")
    found = _URL.search(value)
    return found.group().rstrip(".") if found else ""


def _date(value: str) -> datetime.date | None:
    match = _ISO_DATE.match(value)
    return datetime.date.fromisoformat(match.group()) if match else None


# The demo source of each corpus text (its header names the publisher in full).
CORPUS_PUBLISHERS = {
    "dod-": "US Department of Defense",
    "esper-": "US Department of Defense",
    "grenell-": "US Department of State",
    "feinstein-": "US Senate",
    "reed-": "US Senate",
    "udall-": "US Senate",
    "hasc-": "US House of Representatives",
    "mccaul-": "US House of Representatives",
}


def load_corpus() -> int:
    """Put the demo corpus into the archive (idempotent: each text's key is its file name)."""
    from claims.corroboration.archive import archive_upsert
    from claims.models import Source

    texts = read_corpus()
    for text in texts:
        publisher = next(
            (name for prefix, name in CORPUS_PUBLISHERS.items() if text.slug.startswith(prefix)),
            None,
        )
        archive_upsert(
            kind="corpus",
            key=f"corpus:{text.slug}",
            url=text.url,
            title=text.title,
            text=text.text,
            published_on=text.published_on,
            source=Source.objects.filter(name=publisher).first() if publisher else None,
            outlet_name=text.publisher,
        )
    return len(texts)
