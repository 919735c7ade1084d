"""The evidence search for one claim, from query to ranked proposals; no writes to evidence.

Steps: ask every enabled provider; merge what several found (one address, one proposal); drop
the claim's own article; read the pages that providers did not hand over whole (`pages.py`);
find each page's best passage; keep the ones whose passage matches the claim well enough, best
first; suggest a stance with its reason. The service in `claims/services/corroboration.py`
stores the proposals as evidence.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from claims.corroboration.pages import read_pages
from claims.corroboration.providers import (
    Candidate,
    Provider,
    ProviderReport,
    search_providers,
)
from claims.corroboration.queries import ClaimQuery, content_words, words
from claims.corroboration.stance import Suggestion, normalise, stem, suggest_stance
from claims.urls_normalise import normalise_url

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]

PASSAGE_MAX_CHARS = 700
# A sentence ends at . ! ? (and closing quotes), but not after initials: "U.S. Embassy".
_SENTENCES = re.compile(r"(?<!\b[A-Z]\.[A-Z]\.)(?<=[.!?…])[\"'”’)\]]*\s+|\n+")
# A passage must carry at least this many of the claim's key terms: two shared names ("Trump",
# "America") are a coincidence, not corroboration.
MIN_SHARED_TERMS = 3


@dataclass
class Proposal:
    """A candidate the search proposes as evidence, ready to store."""

    url: str
    title: str
    passage: str
    score: float
    provider: str  # "archive", or "archive, searxng" when several found it
    snapshot: str  # the text the passage was taken from, as found
    snapshot_sha256: str
    page_sha256: str  # set when the text was read from the address itself (link checks)
    published_on: datetime.date | None = None
    outlet_name: str = ""
    outlet_id: int | None = None  # the source the provider named, when the address names none
    suggestion: Suggestion | None = None
    failure: str = ""  # the page could not be read; the passage comes from the provider
    rank: tuple = field(default=(), repr=False)


def find_evidence(
    query: ClaimQuery,
    providers: list[Provider],
    *,
    progress: Progress | None = None,
) -> tuple[list[Proposal], list[ProviderReport]]:
    """Proposals for the claim, best first, and what each provider did."""
    say = progress or (lambda stage: None)
    names = ", ".join(p.name for p in providers) or "no provider"
    say(f"Searching {names}")
    candidates, reports = search_providers(
        query, providers, limit=settings.CORROBORATION_RESULTS_PER_PROVIDER
    )
    merged = _merge(candidates, own_url=query.article_url)
    to_read = [c.url for c in merged if not c.text]
    pages = {}
    if to_read:
        say(f"Reading {len(to_read)} page{'s' if len(to_read) != 1 else ''}")
        pages = read_pages(to_read)
    say("Matching passages")
    proposals = []
    for candidate in merged:
        proposal = _propose(query, candidate, pages.get(candidate.url))
        if proposal is not None and proposal.score >= settings.CORROBORATION_MIN_SCORE:
            proposals.append(proposal)
    proposals.sort(key=lambda p: p.rank)
    return proposals[: settings.CORROBORATION_MAX_CANDIDATES], reports


def _merge(candidates: list[Candidate], *, own_url: str) -> list[Candidate]:
    """One candidate per normalised address; the one with the page's text wins, and the
    providers that found it are all named."""
    own = _normalised(own_url) if own_url else ""
    by_url: dict[str, Candidate] = {}
    for candidate in candidates:
        url = _normalised(candidate.url)
        if not url or url == own:
            continue
        candidate.url = url
        kept = by_url.get(url)
        if kept is None:
            by_url[url] = candidate
            continue
        providers = _join_names(kept.provider, candidate.provider)
        winner, other = (candidate, kept) if candidate.text and not kept.text else (kept, candidate)
        winner.provider = providers
        winner.snippet = winner.snippet or other.snippet
        winner.rating = winner.rating or other.rating
        winner.source_id = winner.source_id or other.source_id
        by_url[url] = winner
    return list(by_url.values())


def _join_names(first: str, second: str) -> str:
    names = [n.strip() for n in f"{first},{second}".split(",") if n.strip()]
    return ", ".join(dict.fromkeys(names))


def _normalised(url: str) -> str:
    try:
        return normalise_url(url)
    except ValueError:
        return ""


def _propose(query: ClaimQuery, candidate: Candidate, page) -> Proposal | None:
    text, title, failure, page_sha = candidate.text, candidate.title, "", ""
    published_on, outlet = candidate.published_on, candidate.outlet_name
    if not text and page is not None:
        if page.text:
            text, page_sha = page.text, page.sha256
            title = title or page.title
            published_on = published_on or page.published_on
            outlet = outlet or page.site_name
        else:
            failure = page.error
    if not text:
        # The page could not be read: the provider's own words about it are all there is.
        text = candidate.snippet
    if not text.strip():
        return None
    passage, score = best_passage(query, text)
    if not passage:
        return None
    if candidate.snippet and candidate.rating:
        # A fact-check's verdict is in its snippet; the page may not say it in a sentence.
        passage = candidate.snippet if failure or score < 0.3 else passage
    suggestion = suggest_stance(query, passage, rating=candidate.rating, match=score)
    return Proposal(
        url=candidate.url,
        title=(title or candidate.url)[:500],
        passage=passage,
        score=score,
        provider=candidate.provider,
        snapshot=text,
        snapshot_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        page_sha256=page_sha,
        published_on=published_on,
        outlet_name=outlet,
        outlet_id=candidate.source_id,
        suggestion=suggestion,
        failure=failure,
        # Best passage first; on a tie the provider's own order, the archive before the web.
        rank=(-score, candidate.rank, candidate.provider),
    )


def best_passage(query: ClaimQuery, page_text: str) -> tuple[str, float]:
    """The window of one to three sentences that carries most of the claim's key terms, and its
    score (0 to 1): the share of those terms it holds, names counting double. On a tie the
    shorter window, the tighter quote."""
    wanted = {stem(term): term for term in content_words(normalise(query.text))}
    names = {stem(w.lower()) for e in query.entities for w in words(normalise(e))}
    weights = {key: 2.0 if key in names else 1.0 for key in wanted}
    total = sum(weights.values())
    sentences = [s.strip() for s in _SENTENCES.split(page_text) if s.strip()]
    if not total or not sentences:
        return "", 0.0
    found = [{stem(w) for w in content_words(normalise(s))} for s in sentences]
    best = (-1.0, 0, "", 0)
    for i in range(len(sentences)):
        covered: set[str] = set()
        for width in range(3):
            if i + width >= len(sentences):
                break
            window = " ".join(sentences[i : i + width + 1])
            if width and len(window) > PASSAGE_MAX_CHARS:
                break
            covered |= found[i + width]
            shared = [key for key in wanted if key in covered]
            share = sum(weights[key] for key in shared) / total
            if (share, -len(window)) > best[:2]:
                best = (share, -len(window), window, len(shared))
    if best[3] < min(MIN_SHARED_TERMS, len(wanted)):
        return best[2][:PASSAGE_MAX_CHARS], 0.0
    return best[2][:PASSAGE_MAX_CHARS], round(best[0], 4)
