"""Page furniture in a news page's markup, taken out before trafilatura reads the article.

trafilatura finds the article; these rules fix what it gets wrong on real pages, by markup
patterns that outlets share rather than by site:
- pop-up cards (a person's name, title and a "MORE" link that appear on hover) are removed, so
  that their text is never spliced into a sentence ("Gov. Kristi NoemKristi Lynn Noem…");
- inline elements inside a paragraph lose their class and id, so that trafilatura's boilerplate
  rules (which drop a ``<span class="link-embed">``) cannot cut a link's words out of a sentence;
- lists and short blocks that are nearly all link text (related stories, "SEE MORE", "Also on
  …") and figures with their captions are removed;
- an embedded social post becomes one paragraph, "text — Author (@handle) date", the form in
  which it reads without scripts, so that extraction attributes it to its author.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

# Words in class names of pop-up cards; a card's own box also carries a word for a box, which
# tells it from the link that opens it ("rollover-people-block" vs "rollover-people-link").
POPUP_WORDS = frozenset(
    {"popup", "pop-up", "popover", "tooltip", "rollover", "hovercard", "hover-card", "flyout"}
)
POPUP_BOX_WORDS = frozenset(
    {"block", "card", "content", "body", "box", "panel", "inner", "info", "bubble", "details"}
)
ALWAYS_POPUP_CLASSES = frozenset({"tooltip", "popover", "hovercard", "hover-card"})
INLINE_TAGS = frozenset(
    {"a", "span", "em", "strong", "b", "i", "u", "small", "mark", "abbr", "cite", "q", "time"}
)
LINK_LIST_TAGS = frozenset({"ul", "ol"})
SHORT_BLOCK_TAGS = frozenset({"p", "li", "div", "h2", "h3", "h4", "h5", "h6", "section"})
# A block whose text is mostly link text is a list of links, not part of the story.
LINK_TEXT_SHARE = 0.6
SENTENCE_LINK_SHARE = 0.8
SHORT_BLOCK_WORDS = 30
FIGURE_TAGS = frozenset({"figure", "figcaption", "picture"})
_CLASS_WORD = re.compile(r"[a-z]+(?:-(?:up|card))?")
_CAPTION_CLASS = re.compile(r"(?:^|[\s_-])(caption|photo-?credit|image-?credit)(?:$|[\s_-])", re.I)
_SOCIAL_POST_CLASS = re.compile(
    r"(?:^|[\s_-])(twitter-tweet|tweet|embedded-post|instagram-media)(?:$|[\s_-])", re.I
)
_HANDLE = re.compile(r"\(@\w{1,30}\)")
_POST_LINK = re.compile(r"\s*(?:pic\.twitter\.com/\S+|https?://t\.co/\S+)")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def parse_page(html: str):
    """The page as an lxml tree, or None when it cannot be read."""
    try:
        return lxml_html.document_fromstring(html)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None


def remove_furniture(tree) -> None:
    """Take the furniture out of ``tree`` in place (see the module's docstring)."""
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if _is_hidden(element) or _is_popup(element):
            _drop(element)
    for post in [e for e in tree.iter("blockquote") if _SOCIAL_POST_CLASS.search(_classes(e))]:
        _flatten_social_post(post)
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        tag = element.tag.lower()
        if (
            tag in FIGURE_TAGS
            or (tag != "body" and _CAPTION_CLASS.search(_classes(element)))
            or (tag in LINK_LIST_TAGS and _link_share(element) >= LINK_TEXT_SHARE)
            or (tag in SHORT_BLOCK_TAGS and _is_short_link_block(element))
        ):
            _drop(element)
    for paragraph in tree.iter("p"):
        for inline in paragraph.iterdescendants():
            if isinstance(inline.tag, str) and inline.tag.lower() in INLINE_TAGS:
                inline.attrib.pop("class", None)
                inline.attrib.pop("id", None)


def visible_text(tree) -> str:
    """The text a reader sees on the page (scripts and styles left out), spaces collapsed."""
    body = tree.find("body")
    if body is None:
        return ""
    parts = []
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag.lower() not in ("script", "style", "noscript", "template"):
            parts.append(element.text or "")
        if element is not body:
            parts.append(element.tail or "")
    return " ".join(" ".join(parts).split())


def _classes(element) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}".strip().lower()


def _is_hidden(element) -> bool:
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style", "")))
    )


def _is_popup(element) -> bool:
    for name in _classes(element).split():
        if name in ALWAYS_POPUP_CLASSES:
            return True
        words = set(re.split(r"[_-]", name)) | set(_CLASS_WORD.findall(name))
        if words & POPUP_WORDS and words & POPUP_BOX_WORDS:
            return True
    return False


def _drop(element) -> None:
    """Remove an element and its text, keeping the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _link_share(element) -> float:
    text = _text(element)
    if not text:
        return 0.0
    linked = sum(len(_text(link)) for link in element.iter("a"))
    return linked / len(text)


def _is_short_link_block(element) -> bool:
    """A paragraph-sized block that is nearly all link text: "SEE MORE", "Also on …: <a>"."""
    if any(
        isinstance(child.tag, str) and child.tag.lower() in SHORT_BLOCK_TAGS | LINK_LIST_TAGS
        for child in element
    ):
        return False
    text = _text(element)
    if not text or len(text.split()) > SHORT_BLOCK_WORDS:
        return False
    share = _link_share(element)
    # A sentence may link most of its words; a list item or a teaser does not end like one.
    return share >= SENTENCE_LINK_SHARE or (
        share >= LINK_TEXT_SHARE and not text.endswith((".", "!", "?", '"', "”"))
    )


def _flatten_social_post(post) -> None:
    """'<blockquote class="twitter-tweet"><p>text</p>— Name (@handle) date</blockquote>' →
    one paragraph "text — Name (@handle) date"."""
    paragraphs = list(post.iter("p"))
    if not paragraphs:
        return
    words = " ".join(_text(p) for p in paragraphs)
    words = _POST_LINK.sub("", words).strip()
    signature = _text(post)
    for paragraph in paragraphs:
        signature = signature.replace(_text(paragraph), "", 1)
    signature = signature.strip(" —–-")
    if not words or not _HANDLE.search(signature):
        return
    replacement = lxml_html.Element("p")
    replacement.text = f"{words} — {signature}"
    replacement.tail = post.tail
    post.getparent().replace(post, replacement)
