"""Claim extraction: text in, claims out (pure Python on spaCy, no Django).

>>> from claims.extraction import extract
>>> result = extract(article_text)
>>> [(c.speaker_name, c.cue, c.content) for c in result.claims]
"""

from __future__ import annotations

from .pipeline import ExtractedClaim, ExtractionResult, extract, extract_many, guess_language
from .segmenting import load_nlp

__all__ = [
    "ExtractedClaim",
    "ExtractionResult",
    "extract",
    "extract_many",
    "guess_language",
    "load_nlp",
]
