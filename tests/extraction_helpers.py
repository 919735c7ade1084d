"""Helpers shared by the extraction tests."""

from __future__ import annotations

from claims.extraction import extract


def only_claim(text, kind=None):
    """The first claim of ``text``; attributed ones unless ``kind`` is "unattributed"."""
    claims = [c for c in extract(text).claims if c.kind != "unattributed" or kind == "unattributed"]
    assert len(claims) >= 1, claims
    return claims[0]


def parse(text):
    """One paragraph parsed as the pipeline parses it."""
    from claims.extraction.segmenting import load_nlp

    return load_nlp()(text)


def token(doc, word):
    """The first token of ``doc`` whose text is ``word``."""
    return next(t for t in doc if t.text == word)
