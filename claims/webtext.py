"""Main text and metadata of a web page (headline, byline, date, site name), with trafilatura.

Shared by ingestion, corroboration and evidence fetching, so that every page is read the same way.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import trafilatura

logger = logging.getLogger(__name__)

# Fewer characters than this after extraction is a navigation page or an error page, not news.
MIN_ARTICLE_CHARS = 80


@dataclass
class WebArticle:
    title: str
    text: str  # paragraphs separated by a blank line
    byline: str
    published: dt.date | None
    site_name: str


def html_to_article(html: str, url: str | None = None) -> WebArticle | None:
    """The article in `html`, or None when the page holds no article text."""
    if not html or not html.strip():
        return None
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception:  # trafilatura raises assorted lxml errors on broken markup
        logger.warning("trafilatura could not read the page %s", url, exc_info=True)
        return None
    if document is None:
        return None
    title = " ".join((document.title or "").split())
    paragraphs = [" ".join(line.split()) for line in (document.text or "").splitlines()]
    paragraphs = [p for p in paragraphs if p]
    # trafilatura often repeats the <h1> as the first line; the headline is kept apart.
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    text = "\n\n".join(paragraphs)
    if len(text) < MIN_ARTICLE_CHARS:
        return None
    return WebArticle(
        title=title,
        text=text,
        byline=" ".join((document.author or "").split()),
        published=_parse_date(document.date),
        site_name=" ".join((document.sitename or "").split()),
    )


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
