"""Finding the passage of a text that matches a claim, and re-ranking archive hits by it.

Keyword search finds candidates; this module decides which of them say the same thing as the
claim. Each candidate's best passage (one to three sentences) is scored on what a fact-checker
would look at: the claim's rare words weighted above its common ones (IDF from the archive
itself), the names it mentions, its numbers and dates (agreeing or not), and whether the
speaker appears. With the optional semantic extra installed, a sentence-embedding similarity
is blended in. Scores are on a 0–1 scale that means the same from one claim to the next, so
that a threshold ("already fact-checked" above 0.6) can be set once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from claims.corroboration import semantic
from claims.corroboration.archive import ArchiveHit, claim_statement, term_document_frequencies
from claims.corroboration.terms import STOPWORDS, clean_text, tokens
from claims.models import Claim

PASSAGE_MAX_CHARS = 700
MAX_SENTENCES_PER_PASSAGE = 3
# Past this many sentences a page is scored on the windows around its best sentences only.
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n+")
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\w)|(?<![\w.])\d+(?:\.\d+)?(?!\w)")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of|the|de|al|bin)?\s*[A-Z][\w'’-]*)*")
_MONTHS_TEXT = (
    "january february march april may june july august september october november december"
)
_MONTHS = frozenset(_MONTHS_TEXT.split())
_NUMBER_WORDS_TEXT = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_NUMBER_WORDS = {word: str(value) for value, word in enumerate(_NUMBER_WORDS_TEXT.split())}

# How the keyword evidence adds up (tuned on CheckThat! 2022 training queries, see
# benchmarks/bench_claim_matching.py): the claim's words found, weighted by rarity, in both
# directions; a bonus for shared names and for the speaker; a penalty for numbers that differ.
WEIGHT_COVERAGE = 0.40
WEIGHT_PRECISION = 0.30
WEIGHT_RETRIEVAL = 0.30
BONUS_ENTITY = 0.05
BONUS_SPEAKER = 0.05
PENALTY_NUMBERS = 0.05
# Share of the semantic similarity in the final score when the semantic extra is installed.
WEIGHT_SEMANTIC = 0.65


@dataclass
class Passage:
    text: str
    start: int
    end: int
    score: float  # 0 to 1: the IDF-weighted share of the claim's words in the passage


@dataclass
class ClaimQuery:
    """What re-ranking knows about the claim: its words, and who made it."""

    text: str
    speaker: str = ""

    @classmethod
    def for_claim(cls, claim) -> ClaimQuery:
        """A claim as the public page states it, and who made it."""
        speaker = claim.speaker.name if claim.speaker_id else claim.speaker_text
        return cls(text=claim_statement(claim), speaker=speaker)


@dataclass
class RankedHit:
    hit: ArchiveHit
    passage: Passage
    score: float  # 0 to 1, comparable across claims
    reasons: list[str] = field(default_factory=list)
    number_disagreement: tuple[list[str], list[str]] | None = None

    @property
    def document(self):
        return self.hit.document


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def stems(text: str) -> list[str]:
    """The content words of a text, stemmed as PostgreSQL's english configuration stems them."""
    result = []
    for token in tokens(text):
        for part in token.split("'"):
            if part and part not in STOPWORDS and (len(part) > 1 or part.isdigit()):
                result.append(stem(_NUMBER_WORDS.get(part, part)))
    return result


def numbers(text: str) -> set[str]:
    """Numbers as written with digits or as words up to twenty, without thousands commas."""
    found = {match.group().replace(",", "") for match in _NUMBER.finditer(text)}
    found |= {_NUMBER_WORDS[t] for t in tokens(text) if t in _NUMBER_WORDS}
    return found


def entities(text: str) -> set[str]:
    """Names, roughly: runs of capitalised words that do not start a sentence on their own."""
    names = set()
    for match in _CAPITALISED.finditer(text):
        words = [w for w in match.group().split() if w.lower() not in STOPWORDS]
        if not words:
            continue
        at_sentence_start = match.start() == 0 or text[: match.start()].rstrip()[-1:] in '.!?"“'
        if at_sentence_start and len(words) == 1:
            continue
        for word in words:
            if word.lower() not in _MONTHS:
                names.add(stem(word.lower().replace("’", "'").split("'")[0]))
    return names


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_SPLIT.finditer(text):
        if text[start : match.start()].strip():
            spans.append(_trim(text, start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _weights(words: Iterable[str], idf: Mapping[str, float]) -> dict[str, float]:
    return {word: idf.get(word, 1.0) for word in words}


def best_passage(
    claim_text: str, page_text: str, *, idf: Mapping[str, float] | None = None
) -> Passage:
    """The window of one to three sentences that holds most of the claim's words, its rare words
    counting most; on a tie the shorter window, the tighter quote."""
    wanted = _weights(set(stems(claim_text)), idf or {})
    spans = sentence_spans(page_text)
    total = sum(wanted.values())
    if not total or not spans:
        return Passage("", 0, 0, 0.0)
    sentence_words = [set(stems(page_text[s:e])) for s, e in spans]
    best = (-1.0, 0, 0, 0)
    for i in range(len(spans)):
        covered: set[str] = set()
        for width in range(MAX_SENTENCES_PER_PASSAGE):
            if i + width >= len(spans):
                break
            start, end = spans[i][0], spans[i + width][1]
            if width and end - start > PASSAGE_MAX_CHARS:
                break
            covered |= sentence_words[i + width]
            share = sum(weight for word, weight in wanted.items() if word in covered) / total
            candidate = (share, -(end - start), start, end)
            if candidate[:2] > best[:2]:
                best = candidate
    share, _, start, end = best
    if end - start > PASSAGE_MAX_CHARS:
        end = start + PASSAGE_MAX_CHARS
    return Passage(page_text[start:end], start, end, round(max(share, 0.0), 4))


def rerank(
    claim: ClaimQuery | str | Claim,
    hits: list[ArchiveHit],
    *,
    use_semantic: bool | None = None,
) -> list[RankedHit]:
    """The hits re-scored on their best passage, best first (see the module docstring)."""
    if isinstance(claim, str):
        claim = ClaimQuery(text=claim)
    elif not isinstance(claim, ClaimQuery):  # a Claim
        claim = ClaimQuery.for_claim(claim)
    if not hits:
        return []
    claim_text = clean_text(claim.text)
    claim_stems = set(stems(claim_text))
    idf = inverse_document_frequencies(claim_stems)
    claim_weights = _weights(claim_stems, idf)
    claim_total = sum(claim_weights.values()) or 1.0
    claim_numbers = numbers(claim_text)
    claim_entities = entities(claim_text)
    speaker_words = set(stems(claim.speaker)) - claim_stems
    top_retrieval = max(hit.score for hit in hits) or 1.0
    ranked = []
    for hit in hits:
        document = hit.document
        page = f"{document.title}\n{document.text}" if document.title else document.text
        passage = best_passage(claim_text, page, idf=idf)
        passage_stems = set(stems(passage.text))
        found = sum(weight for word, weight in claim_weights.items() if word in passage_stems)
        coverage = found / claim_total
        passage_weights = _weights(passage_stems, idf)
        precision = found / (sum(passage_weights.values()) or 1.0)
        score = (
            WEIGHT_COVERAGE * coverage
            + WEIGHT_PRECISION * min(1.0, precision)
            + WEIGHT_RETRIEVAL * (hit.score / top_retrieval)
        )
        reasons = []
        shared_entities = claim_entities & entities(passage.text)
        if claim_entities and shared_entities:
            score += BONUS_ENTITY * len(shared_entities) / len(claim_entities)
            reasons.append("names: " + ", ".join(sorted(shared_entities)))
        if speaker_words and speaker_words & set(stems(page)):
            score += BONUS_SPEAKER
            reasons.append("speaker named")
        disagreement = None
        passage_numbers = numbers(passage.text)
        if claim_numbers and passage_numbers:
            if claim_numbers & passage_numbers:
                reasons.append(
                    "numbers agree: " + ", ".join(sorted(claim_numbers & passage_numbers))
                )
            else:
                score -= PENALTY_NUMBERS
                disagreement = (sorted(claim_numbers), sorted(passage_numbers))
                reasons.append(
                    f"numbers disagree: {', '.join(disagreement[0])} in the claim, "
                    f"{', '.join(disagreement[1])} here"
                )
        ranked.append(RankedHit(hit, passage, min(1.0, max(0.0, score)), reasons, disagreement))
    if use_semantic is None:
        use_semantic = semantic.available()
    if use_semantic:
        _blend_semantic(claim_text, ranked)
    ranked.sort(key=lambda item: (-item.score, -item.hit.score, item.document.pk))
    return ranked


def _blend_semantic(claim_text: str, ranked: list[RankedHit]) -> None:
    similarities = semantic.similarities(claim_text, [item.document for item in ranked],
                                         [item.passage.text for item in ranked])  # fmt: skip
    for item, similarity in zip(ranked, similarities, strict=True):
        item.score = (1 - WEIGHT_SEMANTIC) * item.score + WEIGHT_SEMANTIC * max(0.0, similarity)
        item.reasons.append(f"meaning: {similarity:.2f}")


def inverse_document_frequencies(words: set[str]) -> dict[str, float]:
    """How rare each (stemmed) word is in the archive: log(N / df), capped counts."""
    if not words:
        return {}
    total, counts = term_document_frequencies(sorted(words))
    return {word: math.log(1 + (total + 1) / (counts.get(word, 0) + 0.5)) for word in words}
