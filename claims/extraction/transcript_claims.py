"""Claims from a transcript: each sentence of a speaker's turn, attributed to that speaker.

Where an article needs attribution rules to find who said what, a transcript says it at every
turn. Every sentence is a candidate scored with its speaker's role; the sentences of
candidates' and officials' turns that state something (a verb, five words or more, not a
question) and score at least ``MIN_CLAIM_SCORE`` become claims, as direct quotes of the turn's
speaker. Moderator, host and audience turns are set apart: ranked, never claims.

The text is kept as given (no article cleaning), so every span is into the input.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import scoring
from .pipeline import Candidate, ExtractedClaim, ExtractionResult, guess_language
from .segmenting import parse, pieces_of
from .transcripts import Transcript, Turn, parse_transcript

# A transcript sentence becomes a claim from this score on. At 0.5 on the CheckThat! 2019
# training debates (scored leave-one-debate-out), 32% of the candidates' sentences qualify,
# among them 75% of those fact-checkers picked; at 0.6 it is 21% and 59%
# (benchmarks/bench_checkworthiness.py). The queue sorts by score, so recall comes first.
MIN_CLAIM_SCORE = 0.5
MIN_CLAIM_WORDS = 5
MAX_HEADLINE_CHARS = 300


def extract_transcript(text: str, *, moderators: Iterable[str] = ()) -> ExtractionResult:
    """Claims and candidates of a transcript; ``moderators`` are names the newsroom gave."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    transcript = parse_transcript(text, moderators=moderators)
    language = guess_language(text)
    result = ExtractionResult(
        headline=_headline(text, transcript),
        outlet=None,
        published=None,
        cleaned_text=text,
        language=language,
    )
    result.turns = [turn_dict(turn) for turn in transcript.turns]
    if language not in ("en", "unknown"):
        return result
    turn_of_paragraph = [turn for turn in transcript.turns for _paragraph in turn.paragraphs]
    paragraphs = [paragraph for turn in transcript.turns for paragraph in turn.paragraphs]
    pieces = pieces_of(text, paragraphs)
    docs = parse(text[piece.start : piece.end] for piece in pieces)
    for piece, doc in zip(pieces, docs, strict=True):
        turn = turn_of_paragraph[piece.paragraph]
        for sentence in doc.sents:
            _add_sentence(result, turn, piece.start, sentence)
    return result


def turn_dict(turn: Turn) -> dict:
    """A turn as stored with the transcript and printed by the CLI (offsets into the text)."""
    return {
        "label_start": turn.label_span[0],
        "label_end": turn.label_span[1],
        "start": turn.start,
        "end": turn.end,
        "label": turn.label,
        "speaker": turn.name,
        "role": turn.role,
        "role_text": turn.role_text,
        "moderator": turn.moderator,
    }


def _add_sentence(result: ExtractionResult, turn: Turn, base: int, sentence) -> None:
    start = base + sentence.start_char
    end = start + len(sentence.text.rstrip())
    if end <= start:
        return
    value = scoring.score(sentence, role=turn.role)
    claimed = turn.yields_claims and value >= MIN_CLAIM_SCORE and _states_something(sentence)
    result.candidates.append(
        Candidate(
            sentence_span=(start, end),
            clean_sentence_span=(start, end),
            speaker=turn.name or turn.label,
            role=turn.role,
            score=value,
            claimed=claimed,
        )
    )
    if not claimed:
        return
    text = result.cleaned_text
    result.claims.append(
        ExtractedClaim(
            kind="direct",
            speaker=turn.label,
            speaker_name=turn.name,
            speaker_role=turn.role_text or None,
            speaker_kind="person" if turn.name else None,
            speaker_span=turn.label_span,
            via=[],
            cue=None,
            cue_span=None,
            content=text[start:end],
            content_span=(start, end),
            sentence=text[start:end],
            sentence_span=(start, end),
            checkworthiness=value,
            clean_content_span=(start, end),
            clean_sentence_span=(start, end),
            clean_speaker_span=turn.label_span,
            ranking_role=turn.role,
        )
    )


def _states_something(sentence) -> bool:
    """A statement, not a question, an interjection or a stage direction ("(APPLAUSE)")."""
    words = [t for t in sentence if not t.is_punct and not t.is_space]
    if len(words) < MIN_CLAIM_WORDS:
        return False
    if sentence.text.rstrip().rstrip('"”’)').endswith("?"):
        return False
    return any(t.pos_ in ("VERB", "AUX") for t in sentence)


def _headline(text: str, transcript: Transcript) -> str | None:
    """The preamble's first line that is not a header list ("PARTICIPANTS: …")."""
    preamble = text[slice(*transcript.preamble)]
    for line in preamble.splitlines():
        line = line.strip()
        if line and ":" not in line[:40] and len(line) <= MAX_HEADLINE_CHARS:
            return line
    return None
