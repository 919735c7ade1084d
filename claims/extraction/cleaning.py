"""Cleaning: drop page furniture, image alt text, photo credits and captions, keep every sentence.

The cleaned text is built from verbatim slices of the input, so every position in it maps back
to a position in the input (the app highlights spans in the original and stores the cleaned
text). Paragraphs in the cleaned text are separated by blank lines.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from . import lexicon
from .head import Head, read_head
from .metadata import is_metadata_line

_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x0b|\x0c|\x85")
_FURNITURE = re.compile(
    "|".join(f"(?:{pattern})" for pattern in lexicon.FURNITURE_LINE_PATTERNS), re.IGNORECASE
)
_HTML_BLOCK = re.compile(r"<(script|style|noscript)\b[^>]*>.*?(</\1\s*>|$)", re.I | re.S)
_HTML_TAG = re.compile(r"</?[A-Za-z!][^<>]{0,500}>")
_HTML_COMMENT = re.compile(r"<!--.*?(-->|$)", re.S)
_CREDIT_MARK = re.compile(r"©|\(c\)(?=\s+[A-Z])")
_ALT_TEXT_AT_END = re.compile(
    r"(?:^|(?<=[.!?\"”’)])\s)\s*((?:"
    + "|".join(re.escape(opening) for opening in lexicon.ALT_TEXT_OPENINGS)
    + r")\b[a-z0-9 ,'\-]{0,100}?):\s*$"
)
_WORD = re.compile(r"\S+")
# "Anchor: …", "Report: …" in a broadcast transcript: who reads the line, not a speaker.
_BROADCAST_LABEL = re.compile(
    r"\s*\[?(?:" + "|".join(lexicon.BROADCAST_LABELS) + r")\]?\s*:\s*", re.IGNORECASE
)
_REPORT_LABEL = re.compile(
    r"\s*\[?(?:" + "|".join(lexicon.BROADCAST_REPORT_LABELS) + r")\]?\s*:\s*", re.IGNORECASE
)
_ANCHOR_LINE = re.compile(r"^\s*\[?anchor(?: lead)?\]?\s*(?::|$)", re.IGNORECASE | re.MULTILINE)
# Lines the cleaner keeps as a paragraph only if they hold at least one letter or digit.
_HAS_CONTENT = re.compile(r"[^\W_]")

MAX_CAPTION_CHARS = 400


@dataclass
class CleanedText:
    """The cleaned text with its paragraphs and the way back to the input's offsets."""

    text: str
    paragraphs: list[tuple[int, int]]
    original_length: int
    # The byline and date lines at the top, left out of the text (see ``head``).
    head: Head = field(default_factory=Head)
    # Each piece of the cleaned text is a verbatim slice of the input: (clean start, input start).
    _clean_starts: list[int] = field(default_factory=list)
    _original_starts: list[int] = field(default_factory=list)
    _lengths: list[int] = field(default_factory=list)

    def to_original(self, position: int) -> int:
        """Input offset of the cleaned text's character at ``position`` (clamped)."""
        if not self._clean_starts:
            return 0
        position = max(0, min(position, len(self.text)))
        index = bisect.bisect_right(self._clean_starts, position) - 1
        if index < 0:
            return self._original_starts[0]
        offset = position - self._clean_starts[index]
        if offset < self._lengths[index]:
            return self._original_starts[index] + offset
        # A separator the cleaner inserted: it stands for the start of the next piece.
        if index + 1 < len(self._clean_starts):
            return self._original_starts[index + 1]
        return self._original_starts[index] + self._lengths[index]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Input span covering the cleaned span ``[start, end)``; always inside the input."""
        if end <= start:
            position = min(self.to_original(start), self.original_length)
            return position, position
        original_start = self.to_original(start)
        original_end = self.to_original(end - 1) + 1
        original_end = min(max(original_end, original_start), self.original_length)
        return min(original_start, original_end), original_end


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _is_furniture(line: str) -> bool:
    stripped = line.strip()
    return bool(_FURNITURE.fullmatch(stripped)) or is_metadata_line(stripped)


def _markup_and_control_removals(line: str) -> list[tuple[int, int]]:
    """HTML left in the text and control characters: removed, never parsed."""
    removals: list[tuple[int, int]] = []
    if "<" in line:
        for pattern in (_HTML_COMMENT, _HTML_BLOCK, _HTML_TAG):
            removals.extend(match.span() for match in pattern.finditer(line))
    for index, char in enumerate(line):
        if char != "\t" and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co"):
            removals.append((index, index + 1))
    return removals


def _repeated_caption_length(before: str, after: str) -> int:
    """Length of the longest caption that ends ``before`` and starts ``after``.

    MSN-style scrapes print a caption, its credit, then the same caption again.
    """
    limit = min(len(before), len(after), MAX_CAPTION_CHARS)
    for length in range(limit, 7, -1):
        candidate = after[:length]
        if length < len(after) and after[length].isalnum():
            continue
        if before.endswith(candidate) and (
            length == len(before) or not before[-length - 1].isalnum()
        ):
            return length
    return 0


def _caption_removals(line: str) -> list[tuple[int, int]]:
    """Alt text, caption and credit around each credit mark ("alt: caption © Sky caption")."""
    removals: list[tuple[int, int]] = []
    for mark in _CREDIT_MARK.finditer(line):
        before_end = mark.start()
        before = line[:before_end].rstrip()
        rest_start = mark.end()
        words = list(_WORD.finditer(line, rest_start))
        best: tuple[int, int] | None = None  # (caption start, removal end)
        # The credit is one to four words; the caption repeats after it.
        for credit_words in range(1, min(4, len(words)) + 1):
            after_start = words[credit_words].start() if credit_words < len(words) else len(line)
            after = line[after_start:]
            length = _repeated_caption_length(before, after)
            if length:
                best = (len(before) - length, after_start + length)
                break
        if best is None:
            credit_end = words[0].end() if words else rest_start
            # Credits such as "© Getty Images": take following capitalised words.
            for word in words[1:3]:
                if word.group()[:1].isupper() and word.group().rstrip(".,").isalpha():
                    if line[credit_end : word.start()].strip():
                        break
                    credit_end = word.end()
                else:
                    break
            alt = _ALT_TEXT_AT_END.search(line[: _caption_start_guess(before)])
            start = alt.start(1) if alt else before_end
            best = (start, credit_end)
        caption_start, removal_end = best
        alt = _ALT_TEXT_AT_END.search(line[:caption_start])
        if alt:
            caption_start = alt.start(1)
        removals.append((caption_start, removal_end))
    return removals


def _caption_start_guess(before: str) -> int:
    """Without a repeated caption, a caption follows the last colon of an alt text."""
    colon = before.rfind(": ")
    return colon + 2 if colon >= 0 else len(before)


def _kept_pieces(line: str, removals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if not removals:
        return [(0, len(line))]
    removals.sort()
    pieces = []
    position = 0
    for start, end in removals:
        if start > position:
            pieces.append((position, start))
        position = max(position, end)
    if position < len(line):
        pieces.append((position, len(line)))
    return pieces


def _strip_piece(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


def clean(text: str) -> CleanedText:
    """Clean ``text``; never raises, whatever the input."""
    pieces: list[tuple[int, int, str]] = []  # (input start, input end, separator before)
    broadcast = bool(_ANCHOR_LINE.search(text))
    paragraph_open = False
    lines = _line_spans(text)
    head = read_head(text[start:end] for start, end in lines)
    for number, (line_start, line_end) in enumerate(lines):
        line = text[line_start:line_end]
        if not line.strip() or _is_furniture(line) or number in head.line_numbers:
            paragraph_open = False
            continue
        removals = _markup_and_control_removals(line)
        label = _BROADCAST_LABEL.match(line) or (broadcast and _REPORT_LABEL.match(line))
        if label:
            removals.append(label.span())
        if "©" in line or "(c)" in line:
            removals.extend(_caption_removals(line))
        line_pieces = []
        for start, end in _kept_pieces(line, removals):
            start, end = _strip_piece(line, start, end)
            if end > start:
                line_pieces.append((start, end))
        kept_text = " ".join(line[start:end] for start, end in line_pieces)
        if not _HAS_CONTENT.search(kept_text) or _is_furniture(kept_text):
            paragraph_open = False
            continue
        for number, (start, end) in enumerate(line_pieces):
            separator = " " if number else ("\n" if paragraph_open else "\n\n")
            pieces.append((line_start + start, line_start + end, separator))
        paragraph_open = True

    parts: list[str] = []
    clean_starts: list[int] = []
    original_starts: list[int] = []
    lengths: list[int] = []
    paragraphs: list[tuple[int, int]] = []
    position = 0
    paragraph_start = 0
    for number, (start, end, separator) in enumerate(pieces):
        if number > 0:
            if separator == "\n\n":
                paragraphs.append((paragraph_start, position))
            parts.append(separator)
            position += len(separator)
            if separator == "\n\n":
                paragraph_start = position
        clean_starts.append(position)
        original_starts.append(start)
        lengths.append(end - start)
        parts.append(text[start:end])
        position += end - start
    if pieces:
        paragraphs.append((paragraph_start, position))
    return CleanedText(
        text="".join(parts),
        paragraphs=paragraphs,
        original_length=len(text),
        head=head,
        _clean_starts=clean_starts,
        _original_starts=original_starts,
        _lengths=lengths,
    )
