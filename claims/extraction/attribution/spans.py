"""Spans: the attribution record and the span arithmetic every step shares.

Offsets inside one parsed piece are relative to its spaCy doc; an ``Attribution`` holds them
shifted by the piece's ``base`` into the cleaned text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EDGE_PUNCTUATION = " \t\n,;:—–-"


TRAILING_CONJUNCTIONS = (" and", " but", " or", " while", " as")


SPACED_DASHES = (" - ", " – ", " — ", " -- ")


CLAUSE_ENDS = ",;:.!?"


@dataclass
class Attribution:
    """One speech or report act, with spans into the cleaned text."""

    kind: str
    content: tuple[int, int]
    sentence: tuple[int, int]
    paragraph: int
    cue: tuple[int, int] | None = None
    cue_lemma: str = ""
    speaker: tuple[int, int] | None = None
    speaker_tokens: object = None  # spaCy Span of the speaker mention, when there is one
    via: list[str] = field(default_factory=list)
    content_open: bool = False  # the content is a quotation still open at the paragraph's end
    doc: object = None
    base: int = 0


def token_span(tokens) -> tuple[int, int] | None:
    """Character span (relative to the doc) from the first to the last of ``tokens``."""
    tokens = list(tokens)
    if not tokens:
        return None
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def subtree_span(token, exclude: set[int] | None = None, side: int | None = None):
    """Span of a subtree, optionally without some tokens (keeping the longest run)."""
    indexes = sorted(t.i for t in token.subtree if not exclude or t.i not in exclude)
    if not indexes:
        return None
    runs: list[list[int]] = [[indexes[0]]]
    for index in indexes[1:]:
        if index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    if side is not None:
        # "Y, X said": the content is the part before the cue.
        runs = [run for run in runs if run[-1] < side] or runs
    run = max(runs, key=len)
    doc = token.doc
    return doc[run[0]].idx, doc[run[-1]].idx + len(doc[run[-1]].text)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop edge punctuation and a leading 'that' from a content span."""
    while start < end and text[start] in EDGE_PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCTUATION:
        end -= 1
    for conjunction in TRAILING_CONJUNCTIONS:
        if text[start:end].endswith(conjunction):
            end -= len(conjunction)
            while end > start and text[end - 1] in EDGE_PUNCTUATION:
                end -= 1
    lowered = text[start : start + 5].lower()
    if lowered == "that " or lowered == "that\n":
        start += 5
    return start, end


def trim_span(span):
    tokens = [t for t in span]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens.pop()
    return span.doc[tokens[0].i : tokens[-1].i + 1] if tokens else None


def _spaced_dashes(text: str) -> list[int]:
    return sorted(m for dash in SPACED_DASHES for m in _find_all(text, dash))


def _find_all(text: str, needle: str) -> list[int]:
    found, index = [], text.find(needle)
    while index >= 0:
        found.append(index)
        index = text.find(needle, index + 1)
    return found


def over_dash_pair(text: str, start: int, end: int, sentence_end: int) -> int:
    """The end of a content that the parse cut at a parenthetical between spaced dashes.

    "evacuated before the gate - used by vehicles - was broken down": the words between the
    dashes are an aside and the clause goes on after the second dash, to the next comma,
    semicolon or the end of the sentence.
    """
    inside = _spaced_dashes(text[start:end])
    after = [start + i for i in _spaced_dashes(text[start:sentence_end]) if start + i >= end]
    if not after or after[0] - end > 1:
        return end
    if len(inside) % 2 == 0:
        # The content stops right before an opening dash: a closing one must follow.
        if len(after) < 2:
            return end
        closing = after[1]
    else:
        closing = after[0]  # the content stops inside the pair
    resume = closing + 3
    while resume < sentence_end and text[resume] in " -–—":
        resume += 1
    stop = resume
    while stop < sentence_end and text[stop] not in CLAUSE_ENDS and text[stop] not in "\n":
        stop += 1
    if not text[resume:stop].strip():
        return end
    return stop
