"""Main text and metadata of a web page (headline, byline, date, site name), with trafilatura.

Shared by ingestion, corroboration and evidence fetching, so that every page is read the same way.
The page's furniture is taken out of the markup first (``page_furniture``) and its metadata is
read from what it declares about itself (``page_metadata``). When the text found is tiny next
to what the page shows (a body that scripts fill in, or markup trafilatura misjudged), the page
is read again with trafilatura's recall-oriented setting; if that finds no more, the article
carries a ``review_reason`` so that a person checks it instead of trusting it.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import re
from dataclasses import dataclass

import trafilatura

from claims.page_furniture import parse_page, remove_furniture, visible_text
from claims.page_metadata import clean_byline, clean_headline, read_page_metadata

logger = logging.getLogger(__name__)

# Fewer characters than this after extraction is a navigation page or an error page, not news.
MIN_ARTICLE_CHARS = 80
# A body shorter than this, on a page that shows far more text, was probably not all found.
SMALL_BODY_CHARS = 500
SMALL_BODY_PAGE_RATIO = 4
SMALL_BODY_MIN_PAGE_CHARS = 2000
TOO_LITTLE_TEXT = (
    "Only {found:,} characters of article text were found on a page that shows about "
    "{visible:,}: check that the article's text is all there before relying on its claims."
)
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass
class WebArticle:
    title: str
    text: str  # paragraphs separated by a blank line
    byline: str
    published: dt.date | None
    site_name: str
    review_reason: str = ""  # set when the text found may not be the whole article


def html_to_article(html: str, url: str | None = None) -> WebArticle | None:
    """The article in `html`, or None when the page holds no article text."""
    if not html or not html.strip():
        return None
    tree = parse_page(html)
    if tree is None:
        return None
    metadata = read_page_metadata(tree, url)
    visible = len(visible_text(tree))
    remove_furniture(tree)
    document = _extract(tree, url, recall=False)
    if document is None:
        return None
    title = metadata.headline or clean_headline(document.title, metadata.outlet, url)
    headlines = {_key(title), _key(document.title), _key(metadata.headline)} - {""}
    text = _body(document, headlines)
    review_reason = ""
    if _too_little(text, visible):
        again = _extract(tree, url, recall=True)
        recalled = _body(again, headlines) if again is not None else ""
        if len(recalled) > len(text):
            text = recalled
        if _too_little(text, visible):
            review_reason = TOO_LITTLE_TEXT.format(found=len(text), visible=visible)
    if len(text) < MIN_ARTICLE_CHARS:
        return None
    return WebArticle(
        title=title,
        text=text,
        byline=metadata.byline or clean_byline(document.author),
        published=metadata.published,
        site_name=metadata.outlet,
        review_reason=review_reason,
    )


def _extract(tree, url: str | None, *, recall: bool):
    try:
        return trafilatura.bare_extraction(
            copy.deepcopy(tree),  # trafilatura prunes the tree it is given
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=not recall,
            favor_recall=recall,
        )
    except Exception:  # trafilatura raises assorted lxml errors on broken markup
        logger.warning("trafilatura could not read the page %s", url, exc_info=True)
        return None


def _body(document, headlines: set[str]) -> str:
    paragraphs = [" ".join(line.split()) for line in (document.text or "").splitlines()]
    paragraphs = [p for p in paragraphs if p]
    # trafilatura often repeats the headline (the <h1>) as the first line; it is kept apart.
    while paragraphs and _key(paragraphs[0]) in headlines:
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def _too_little(text: str, visible: int) -> bool:
    return len(text) < SMALL_BODY_CHARS and visible >= max(
        SMALL_BODY_MIN_PAGE_CHARS, SMALL_BODY_PAGE_RATIO * len(text)
    )


def _key(text: str | None) -> str:
    """A headline compared without case, spaces or punctuation."""
    return _NOT_WORD.sub(" ", (text or "").casefold()).strip()
