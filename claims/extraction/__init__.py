"""Claim extraction: text in, claims out (pure Python on spaCy, no Django).

>>> from claims.extraction import extract
>>> result = extract(article_text)
>>> [(c.speaker_name, c.cue, c.content) for c in result.claims]
>>> sorted(result.candidates, key=lambda c: -c.score)  # every sentence, ranked
>>> extract_transcript("MODERATOR: …\nSMITH: …")  # SPEAKER: text turns
"""

from __future__ import annotations

from .pipeline import ExtractedClaim, ExtractionResult, extract, extract_many, guess_language
from .segmenting import load_nlp
from .transcript_claims import extract_transcript

__all__ = [
    "ExtractedClaim",
    "ExtractionResult",
    "extract",
    "extract_many",
    "extract_transcript",
    "guess_language",
    "load_nlp",
]
