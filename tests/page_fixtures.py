"""The page fixtures in tests/pages/ (invented outlets, real markup patterns) and their gold.

Shared by the page tests and `benchmarks/bench_real_pages.py`, which measure the same things:
claims from outside the article body, generic speakers and statements without a finite verb.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parent / "pages"
# A speaker that names nobody: a pronoun left unresolved, or a broadcast label as a name.
GENERIC_SPEAKERS = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "we",
        "i",
        "you",
        "who",
        "which",
        "that",
        "him",
        "her",
        "them",
        "us",
        "me",
    ]
)
BROADCAST_LABELS = frozenset({"anchor", "report", "reporter", "anchor lead"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


@cache
def gold() -> dict[str, dict]:
    return json.loads((PAGES_DIR / "gold.json").read_text(encoding="utf-8"))


def page_html(name: str) -> str:
    return (PAGES_DIR / name).read_text(encoding="utf-8")


@dataclass
class PageResult:
    name: str
    article: object  # claims.webtext.WebArticle or None
    extraction: object  # claims.extraction.ExtractionResult or None

    @property
    def claims(self) -> list:
        return list(self.extraction.claims) if self.extraction is not None else []


@cache
def read_page(name: str) -> PageResult:
    """The page read as ingestion reads it: page text and metadata, then extraction."""
    from claims.extraction import extract
    from claims.webtext import html_to_article

    article = html_to_article(page_html(name), url=gold()[name]["url"])
    extraction = extract(article.text) if article is not None else None
    return PageResult(name, article, extraction)


def squashed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def in_body(content: str, body: list[str]) -> bool:
    """Whether a claim's content is words of the article body (not of its furniture)."""
    needle = squashed(content)
    return any(needle in squashed(paragraph) for paragraph in body)


def is_generic(claim) -> bool:
    """An attributed claim whose speaker names nobody ("you", an unresolved "it", "Anchor")."""
    if claim.kind == "unattributed":
        return False
    name = (claim.speaker_name or claim.speaker or "").strip().lower()
    mention = (claim.speaker or "").strip().lower()
    return not name or name in GENERIC_SPEAKERS or mention in BROADCAST_LABELS


def has_finite_verb(statement: str) -> bool:
    from claims.extraction import load_nlp

    return any(token.tag_ in FINITE_TAGS for token in load_nlp()(statement))


def measure(names: list[str] | None = None) -> dict[str, float | int]:
    """Shares over all fixture pages: claims outside the body, generic speakers, verbless
    statements (of attributed claims), with the counts they are shares of."""
    names = names or sorted(gold())
    claims = [(name, claim) for name in names for claim in read_page(name).claims]
    attributed = [claim for _, claim in claims if claim.kind != "unattributed"]
    outside = [c for name, c in claims if not in_body(c.content, gold()[name]["body"])]
    generic = [c for c in attributed if is_generic(c)]
    verbless = [c for c in attributed if not has_finite_verb(c.statement)]
    return {
        "pages": len(names),
        "claims": len(claims),
        "attributed": len(attributed),
        "outside_body": len(outside) / len(claims) if claims else 0.0,
        "generic_speakers": len(generic) / len(attributed) if attributed else 0.0,
        "verbless_statements": len(verbless) / len(attributed) if attributed else 0.0,
    }
