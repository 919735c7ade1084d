"""A news page's own metadata: outlet, headline, publication date and byline, from its markup.

Each is read from what the page declares about itself, in order of trust, and cleaned:
- outlet: JSON-LD ``publisher.name``, then ``og:site_name`` (a Source matched by the page's
  domain comes after, in the ingest service). Never a URL or a word made from the domain, and
  a suffix naming the site's domain ("The Jerusalem Post | JPost.com") is trimmed;
- headline: JSON-LD ``headline``, ``og:title``, ``<title>``; section labels ("Opinion | …",
  "Editorial: …") and the outlet's name ("… | The Japan Times") are trimmed;
- date: ``article:published_time``, the JSON-LD ``datePublished`` of the article itself (not of
  a claim it reviews, nested inside), a "Written:" line, a date in the page's address. Dates
  in scripts, asset addresses and the story's text are never read;
- byline: JSON-LD author names, ``meta name=author``: names only, without "By", "Published",
  dates, "staff" or job titles; "No Author" and the like give nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from claims.extraction.metadata import parse_date
from claims.page_furniture import visible_text

ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "claimreview",
        "webpage",
        "report",
    }
)
# Labels an outlet puts before or after a headline: they name a section, not the story.
SECTION_LABELS = frozenset(
    [
        "opinion",
        "editorial",
        "analysis",
        "commentary",
        "comment",
        "letters",
        "letter",
        "op-ed",
        "oped",
        "column",
        "columns",
        "exclusive",
        "breaking",
        "live",
        "watch",
        "video",
        "news",
        "world",
        "politics",
        "business",
        "sport",
        "sports",
        "national",
        "international",
        "local",
        "us",
        "uk",
        "europe",
        "asia",
        "fact",
        "check",
        "fact-check",
        "factcheck",
        "our",
        "view",
        "perspective",
        "essay",
        "review",
    ]
)
SECTION_PHRASES = frozenset(
    {"fact check", "our view", "letters to the editor", "breaking news", "live updates"}
)
TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s+::\s+")
LABEL_COLON = re.compile(r"^(?P<label>[A-Za-z][A-Za-z -]{1,30})\s*:\s+(?P<rest>.+)$")
# Words that make a byline part a job or a desk, not a person.
BYLINE_NOT_NAMES = frozenset(
    [
        "staff",
        "writer",
        "writers",
        "reporter",
        "reporters",
        "correspondent",
        "correspondents",
        "editor",
        "editors",
        "contributor",
        "contributors",
        "columnist",
        "producer",
        "desk",
        "board",
        "editorial",
        "team",
        "newsroom",
        "senior",
        "chief",
        "political",
        "national",
        "foreign",
        "bureau",
        "published",
        "updated",
        "posted",
        "by",
        "wire",
        "wires",
        "service",
        "services",
    ]
)
NO_AUTHOR = frozenset({"no author", "unknown", "admin", "anonymous", "staff", "none", "null"})
_DOMAIN_LIKE = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/?$", re.I)
_WRITTEN_LINE = re.compile(
    r"\b(?:Written|Published|Posted)\s*(?:on)?\s*:?\s*(?P<date>\d{4}-\d{1,2}-\d{1,2}|"
    r"[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]{2,8} \d{4})"
)
_URL_DATE = re.compile(r"/(?P<y>20\d{2}|19\d{2})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?:/|$|-)")
_BYLINE_DATE = re.compile(
    r"\b(?:published|updated|posted)\b.*$|\b\d{1,2}[:/.]\d{2}\b.*$|\b(?:jan|feb|mar|apr|may|"
    r"jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b.*$",
    re.I,
)
_BYLINE_SPLIT = re.compile(r"\s*(?:,|\||;|/|&|•|·|\band\b)\s*", re.I)


@dataclass
class PageMetadata:
    outlet: str = ""
    headline: str = ""
    published: dt.date | None = None
    byline: str = ""


def read_page_metadata(tree, url: str | None = None) -> PageMetadata:
    """Outlet, headline, date and byline that the page declares (empty when it does not)."""
    objects = _json_ld_articles(tree)
    outlet = _first(
        [_publisher_name(o) for o in objects] + [_meta(tree, "og:site_name")],
        lambda value: clean_outlet(value, url),
    )
    headline_sources = [o.get("headline") for o in objects]
    headline_sources += [_meta(tree, "og:title"), _title(tree)]
    headline = _first(headline_sources, lambda value: clean_headline(value, outlet, url))
    return PageMetadata(
        outlet=outlet,
        headline=headline,
        published=_published(tree, objects, url),
        byline=_first(
            [_authors(o) for o in objects] + [_meta(tree, "author")],
            clean_byline,
        ),
    )


def clean_outlet(value: str | None, url: str | None = None) -> str:
    """The outlet's name, or "" when the value is a URL or a word made from the domain."""
    parts = [part.strip() for part in TITLE_SEPARATORS.split(" ".join((value or "").split()))]
    parts = [part for part in parts if part and not _DOMAIN_LIKE.match(part)]
    if not parts:
        return ""
    name = parts[0]
    if _is_domain_word(name, url):
        return ""
    return name[:200]


def clean_headline(value: str | None, outlet: str = "", url: str | None = None) -> str:
    """The headline without section labels and without the outlet's name."""
    text = " ".join((value or "").split())
    if not text:
        return ""
    parts = TITLE_SEPARATORS.split(text)
    outlet_key = outlet.lower()
    kept = [
        part
        for part in parts
        if part.strip()
        and not _is_section_label(part)
        and not _DOMAIN_LIKE.match(part.strip())
        and not (outlet_key and part.strip().lower() in (outlet_key, f"the {outlet_key}"))
        and not _is_domain_word(part.strip(), url)
    ]
    if not kept:
        return text
    # A story's headline is its longest part; the others were the site's.
    headline = max(kept, key=len).strip() if len(kept) > 1 else kept[0].strip()
    label = LABEL_COLON.match(headline)
    if label and _is_section_label(label.group("label")):
        headline = label.group("rest").strip()
    return headline[:500]


def clean_byline(value: str | None) -> str:
    """Names only: "By Jane Smith, Published Oct. 4, 2019" → "Jane Smith"."""
    text = " ".join((value or "").split())
    if not text or text.lower() in NO_AUTHOR:
        return ""
    text = re.sub(r"^by\s+", "", text, flags=re.I)
    text = _BYLINE_DATE.sub("", text).strip(" ,|-–—")
    names = []
    for part in _BYLINE_SPLIT.split(text):
        part = re.sub(r"^by\s+", "", part.strip(), flags=re.I).strip(" .")
        part = _capitalised_name(part)
        words = part.split()
        if not words or part.lower() in NO_AUTHOR:
            continue
        if any(w.lower().strip(".") in BYLINE_NOT_NAMES for w in words):
            continue
        if any(c.isdigit() for c in part) or "@" in part or len(words) > 5:
            continue
        if part not in names:
            names.append(part)
    return ", ".join(names)[:300]


def _capitalised_name(part: str) -> str:
    """'KEISHA GRANT Associated Wire' (a wire byline: the name in capitals, then the agency)
    → 'Keisha Grant'."""
    words = part.split()
    capitals = 0
    while capitals < len(words) and words[capitals].isupper() and words[capitals].isalpha():
        capitals += 1
    if capitals >= 2:
        return " ".join(word.capitalize() for word in words[:capitals])
    return part


def _is_section_label(part: str) -> bool:
    key = part.strip().lower().rstrip(":")
    return key in SECTION_PHRASES or (
        bool(key) and all(word in SECTION_LABELS for word in key.split()) and len(key) < 30
    )


def _is_domain_word(name: str, url: str | None) -> bool:
    """'Timesofisrael' or 'Hosted' for timesofisrael.com, hosted.ap.org: made from the domain."""
    if not url or " " in name.strip():
        return False
    host = (urlsplit(url).hostname or "").lower()
    name = name.strip()
    # "Hosted", "Timesofisrael": a label of the host with only its first letter raised. A
    # name the outlet styles itself ("POLITICO", "PolitiCheck") is kept.
    return any(name in (label, label.capitalize()) for label in host.split("."))


def _first(values, clean) -> str:
    for value in values:
        if isinstance(value, str):
            cleaned = clean(value)
            if cleaned:
                return cleaned
    return ""


def _meta(tree, name: str) -> str:
    for attribute in ("property", "name", "itemprop"):
        found = tree.xpath(f'//meta[@{attribute}="{name}"]/@content')
        if found:
            return str(found[0])
    return ""


def _title(tree) -> str:
    found = tree.xpath("//title/text()")
    return str(found[0]) if found else ""


def _json_ld_articles(tree) -> list[dict]:
    """The top-level article objects of the page's JSON-LD (nested ones are what they cite)."""
    objects: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                items.extend(i for i in item["@graph"] if isinstance(i, dict))
        for item in items:
            if not isinstance(item, dict):
                continue
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t.lower() in ARTICLE_TYPES for t in types):
                objects.append(item)
    # An article beats a web page that wraps it.
    objects.sort(key=lambda o: str(o.get("@type", "")).lower() == "webpage")
    return objects


def _publisher_name(item: dict) -> str:
    publisher = item.get("publisher")
    if isinstance(publisher, list):
        publisher = publisher[0] if publisher else None
    if isinstance(publisher, dict):
        return str(publisher.get("name") or "")
    return ""


def _authors(item: dict) -> str:
    """People who wrote the article; an organisation as author is the outlet, not a byline."""
    authors = item.get("author")
    authors = authors if isinstance(authors, list) else [authors]
    names = []
    for author in authors:
        if isinstance(author, dict) and author.get("name"):
            if str(author.get("@type", "Person")).lower() == "person":
                names.append(str(author["name"]))
        elif isinstance(author, str):
            names.append(author)
    return ", ".join(names)


def _published(tree, objects: list[dict], url: str | None) -> dt.date | None:
    candidates = [
        _meta(tree, "article:published_time"),
        _meta(tree, "og:article:published_time"),
        *(str(o.get("datePublished") or "") for o in objects),
        _meta(tree, "datePublished"),
        *(str(v) for v in tree.xpath('//*[@itemprop="datePublished"]/@datetime')),
    ]
    for value in candidates:
        date = _iso_date(value)
        if date is not None:
            return date
    written = _WRITTEN_LINE.search(visible_text(tree))
    if written:
        date = _iso_date(written.group("date")) or parse_date(written.group("date"))
        if date is not None:
            return date
    match = _URL_DATE.search(urlsplit(url).path if url else "")
    if match:
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return None
    return None


def _iso_date(value: str) -> dt.date | None:
    match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value or "")
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
