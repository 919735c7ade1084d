"""Quotation stitching: kinds from quotation marks, and quotations the parse cut apart.

A quotation that the parser cut into several sentences is put back together; a quotation that
runs over several paragraphs (an opening mark on each, no closing mark until the last) yields
one claim per paragraph, all with the speaker of the first; a cue ending a paragraph with a
colon ("issued the following statement:") hands its speaker to the next paragraph's quotation.
"""

from __future__ import annotations

from .. import lexicon
from ..segmenting import Quote
from .spans import Attribution, trim
from .speaker_mentions import SUBJECT_DEPS, past_dateline, speaker_like, speaker_span_tokens

KIND_MARKS = set(lexicon.ALL_DOUBLE_QUOTES + lexicon.SINGLE_OPENING)


QUOTE_MARKS = set(lexicon.ALL_DOUBLE_QUOTES + lexicon.SINGLE_OPENING + lexicon.SINGLE_CLOSING)


def extend_to_quotes(start: int, end: int, cue: tuple[int, int] | None, quotes: list[Quote]):
    """Put back together a quotation the parser cut into several sentences."""
    for quote in quotes:
        if quote.end <= start or quote.start >= end:
            continue
        if cue and quote.start <= cue[0] < quote.end:
            continue
        start, end = min(start, quote.start), max(end, quote.end)
    return start, end


def kind_of(text: str) -> tuple[str, int, int]:
    """Direct, indirect or mixed, from the quotation marks; with the span to keep.

    A direct quotation's span leaves out its outer marks.
    """
    opening_width = 2 if text.startswith(lexicon.DOUBLED_APOSTROPHE) else 1
    # Doubled apostrophes stand for one double mark; same length, so offsets hold.
    text = text.replace(lexicon.DOUBLED_APOSTROPHE, '"\u0000')
    stripped_end = len(text)
    while stripped_end > 0 and text[stripped_end - 1] in " .,;:\u0000":
        stripped_end -= 1
    core = text[:stripped_end]
    # Closing single marks are apostrophes as often as not ("they’ve"): only a closing mark
    # after an opening one counts.
    marks = [index for index, char in enumerate(text) if char in KIND_MARKS]
    if "‘" in text:
        marks += [i for i, c in enumerate(text) if c == "’" and i > text.index("‘")][-1:]
        marks.sort()
    if not marks:
        return "indirect", 0, len(text)
    starts_quoted = core[:1] in QUOTE_MARKS
    if starts_quoted:
        inner_marks = [m for m in marks if 0 < m < stripped_end - 1]
        closing = [m for m in marks if m > 0]
        if not inner_marks or (len(inner_marks) == 1 and inner_marks[0] >= stripped_end - 2):
            end = closing[-1] if closing else len(text)
            if end <= opening_width:
                end = len(text)
            return "direct", opening_width, end
    return "mixed", 0, len(text)


def continue_quotes(
    previous: Attribution | None, paragraph: int, text: str, base: int, quotes: list[Quote]
) -> Attribution | None:
    """A paragraph that continues the previous paragraph's open quotation."""
    if previous is None or not previous.content_open or not quotes:
        return None
    first = quotes[0]
    if text[: first.start].strip():
        return None
    inner_start, inner_end = first.inner
    inner_start, inner_end = trim(text, inner_start, inner_end)
    if inner_end - inner_start < 2:
        return None
    claim = Attribution(
        kind="direct",
        content=(base + inner_start, base + inner_end),
        sentence=(base, base + len(text.rstrip())),
        paragraph=paragraph,
        cue=previous.cue,
        cue_lemma=previous.cue_lemma,
        speaker=previous.speaker,
        speaker_tokens=previous.speaker_tokens,
        via=list(previous.via),
        content_open=not first.closed,
    )
    return claim


def statement_template(doc, base: int, paragraph: int) -> Attribution | None:
    """'Senator Jack Reed issued the following statement:' — the next paragraphs are his."""
    text = doc.text.rstrip()
    if not text.endswith(":") or not len(doc):
        return None
    sentence = doc[-1].sent
    noun = next(
        (t for t in sentence if t.lemma_.lower() in lexicon.STATEMENT_NOUNS and t.pos_ == "NOUN"),
        None,
    )
    if noun is None:
        return None
    verb = noun.head
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is not None:
        subject = past_dateline(subject, verb)
    if subject is None or not speaker_like(subject):
        return None
    speaker = speaker_span_tokens(subject)
    if speaker is None:
        return None
    return Attribution(
        kind="direct",
        content=(base + len(doc.text), base + len(doc.text)),
        sentence=(base + sentence.start_char, base + sentence.end_char),
        paragraph=paragraph,
        cue=(base + noun.idx, base + noun.idx + len(noun.text)),
        cue_lemma="statement",
        speaker=(base + speaker.start_char, base + speaker.end_char),
        speaker_tokens=speaker,
        content_open=True,
    )
