"""Words of a claim as search terms: tokens, stop words, and the light clean-up of pasted text.

Shared by archive search (which ORs the terms) and passage re-ranking (which weighs them), so
that both see the same words.
"""

from __future__ import annotations

import re

# The Snowball English stop words, the list PostgreSQL's `english` configuration drops, so that
# both database backends search for the same words.
_STOPWORDS_TEXT = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now d ll m o re
    ve y ain aren couldn didn doesn hadn hasn haven isn ma mightn mustn needn shan shouldn wasn
    weren won wouldn
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Web addresses and @handles carry no words of the claim (tweets and social posts are full
# of them); a trailing "— Name (@handle) Month day, year" signature is dropped with them.
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\bpic\.twitter\.com/\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<!\w)@\w+")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

MAX_QUERY_TERMS = 64


def clean_text(text: str) -> str:
    """The text without web addresses and @handles."""
    return _HANDLE.sub(" ", _URL.sub(" ", text or ""))


def tokens(text: str) -> list[str]:
    """Lower-case word tokens in order, apostrophes kept inside words ("don't")."""
    return [match.group().lower().replace("’", "'") for match in _TOKEN.finditer(text or "")]


def content_words(text: str) -> list[str]:
    """The tokens that are not stop words, in order, with repeats."""
    return [token for token in tokens(text) if _is_content(token)]


def query_terms(text: str, *, limit: int = MAX_QUERY_TERMS) -> list[str]:
    """Distinct search terms of a text: its content words (numbers too), first seen first.

    Possessives and contractions are split the way both full-text engines split them, so that
    "Iran's" looks for "iran".
    """
    seen: dict[str, None] = {}
    for token in tokens(clean_text(text)):
        for part in token.split("'"):
            if _is_content(part) and part not in seen:
                seen[part] = None
    return list(seen)[:limit]


def _is_content(token: str) -> bool:
    return bool(token) and token not in STOPWORDS and (len(token) > 1 or token.isdigit())
