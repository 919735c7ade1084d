"""Transcripts: debates, speeches, interviews and hearings written as ``SPEAKER: text`` turns.

A transcript is split into turns at lines that start with a speaker label: upper-case names
("SANDERS:", "MR. TRUMP:", "SEN. BERNIE SANDERS (D-VT):"), title-case names that recur
("Hillary Clinton:"), and the interview labels "Q:" and "A:". A line without a label carries on
the turn before it (a new paragraph of the same speaker); lines before the first turn are the
preamble, where a header ("PARTICIPANTS: Former Secretary of State Hillary Clinton; …",
"MODERATORS: …") names the speakers in full.

Each label is resolved to a speaker with a role (``features.ROLES``): from the header, from
the newsroom's list of moderators, from the label itself ("MODERATOR", "Q", "AUDIENCE", "SEN."),
and otherwise from how the speaker talks: someone who mostly asks questions, and is not the
main speaker, moderates. Moderator and host turns are set apart: they rank like any sentence,
but they yield no claims.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import lexicon
from .features import ROLE_AUDIENCE, ROLE_CANDIDATE, ROLE_HOST, ROLE_MODERATOR, ROLE_OFFICIAL

Span = tuple[int, int]

_LINE = re.compile(r"[^\n]*(?:\n|$)")
_LABEL = re.compile(r"[ \t]*(?P<label>[^\W\d_][^:\n]{0,70}?)[ \t]*:(?:[ \t]+|(?=\n)|$)")
_PARENTHESES = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")
_LABEL_CHARACTERS = re.compile(r"[^\W\d_][\w.'’\-]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+")
_HEADER_SPLIT = re.compile(r"\s*(?:;|\n|\||,?\s+and\s+|,)\s*")

MAX_LABEL_WORDS = 6
# A speaker who ends at least this share of their sentences with "?" asks more than answers.
MODERATOR_QUESTION_SHARE = 0.12
MIN_SENTENCES_FOR_GUESS = 3

HONORIFICS = lexicon.words("mr mrs ms miss dr mr. mrs. ms. dr.")
# Label prefixes that name an office: "SEN. SANDERS", "PRESIDENT OBAMA", "GOV. KASICH".
OFFICE_PREFIXES = lexicon.words(
    """
    president vice sen sen. senator gov gov. governor secretary rep rep. representative mayor
    minister chancellor premier ambassador general gen gen. judge justice chairman chairwoman
    congressman congresswoman speaker
    """
)
# Labels that are a role, not a name.
MODERATOR_LABELS = lexicon.words("moderator moderators chair chairman chairwoman q question")
HOST_LABELS = lexicon.words("host hosts anchor presenter interviewer")
ANSWER_LABELS = lexicon.words("a answer")
AUDIENCE_LABELS = frozenset(
    {
        "audience",
        "audience member",
        "audience members",
        "crowd",
        "system",
        "sysytem",
        "unidentified",
        "unidentified male",
        "unidentified female",
        "unknown",
        "protester",
        "protesters",
        "announcer",
        "narrator",
        "crosstalk",
    }
)
# "Note: …", "Photo: …": a colon after these is not a turn.
NOT_LABELS = frozenset(
    {
        "note",
        "notes",
        "editor's note",
        "update",
        "updated",
        "source",
        "sources",
        "photo",
        "photos",
        "image",
        "caption",
        "credit",
        "credits",
        "correction",
        "related",
        "watch",
        "read more",
        "see also",
        "breaking",
        "warning",
        "disclaimer",
        "transcript",
        "published",
        "date",
        "time",
        "location",
        "copyright",
        "subject",
        "tags",
        "video",
        "audio",
        "listen",
        "advertisement",
        "http",
        "https",
    }
)
# Preamble lines that list the speakers rather than start a turn.
HEADER_KEYS: dict[str, str] = {
    "participants": ROLE_CANDIDATE,
    "candidates": ROLE_CANDIDATE,
    "panelists": ROLE_CANDIDATE,
    "speakers": ROLE_CANDIDATE,
    "guests": ROLE_CANDIDATE,
    "guest": ROLE_CANDIDATE,
    "interviewee": ROLE_CANDIDATE,
    "moderators": ROLE_MODERATOR,
    "hosts": ROLE_HOST,
}
ROLE_TEXT = {ROLE_MODERATOR: "Moderator", ROLE_HOST: "Host", ROLE_AUDIENCE: "Audience"}
# Words in a header participant's role that make them an office holder rather than a candidate.
OFFICE_ROLE_WORDS = lexicon.words(
    "president senator governor secretary minister mayor representative congressman "
    "congresswoman ambassador chancellor premier spokesman spokeswoman"
)


@dataclass
class Participant:
    """A speaker named in the transcript's header."""

    name: str
    role_text: str
    role: str


@dataclass
class Turn:
    """One speaker's turn: the label as written and the text until the next label."""

    label: str
    label_span: Span
    start: int
    end: int
    paragraphs: list[Span] = field(default_factory=list)
    name: str | None = None
    role_text: str = ""
    role: str | None = None

    @property
    def moderator(self) -> bool:
        """Moderator, host and interviewer turns: set apart, they yield no claims."""
        return self.role in (ROLE_MODERATOR, ROLE_HOST)

    @property
    def yields_claims(self) -> bool:
        return self.role in (ROLE_CANDIDATE, ROLE_OFFICIAL)


@dataclass
class Transcript:
    """The turns of a transcript, and the header's participants."""

    turns: list[Turn]
    preamble: Span
    participants: list[Participant] = field(default_factory=list)


def parse_transcript(text: str, *, moderators: Iterable[str] = ()) -> Transcript:
    """Turns, speakers and roles of ``text``; ``moderators`` are names the newsroom gave."""
    lines = [(m.start(), m.group()) for m in _LINE.finditer(text) if m.group()]
    candidates = [(start, line, _label_of(line)) for start, line in lines]
    counts = Counter(_key(match.group("label")) for _s, _l, match in candidates if match)
    header_end = 0
    participants: list[Participant] = []
    turns: list[Turn] = []
    for start, line, match in candidates:
        label = match.group("label") if match else ""
        key = _key(label) if match else ""
        if match and not turns and key in HEADER_KEYS:
            participants.extend(_participants(line[match.end() :], HEADER_KEYS[key]))
            header_end = start + len(line)
            continue
        if match and _is_label(label, key, counts, participants):
            body_start = start + match.end()
            turns.append(
                Turn(
                    label=label,
                    label_span=(start + match.start("label"), start + match.end("label")),
                    start=body_start,
                    end=body_start,
                )
            )
            _extend(turns[-1], body_start, start + len(line), text)
        elif turns:
            _extend(turns[-1], start, start + len(line), text)
    preamble_end = turns[0].label_span[0] if turns else len(text)
    transcript = Transcript(turns, (0, max(header_end, preamble_end)), participants)
    _resolve(transcript, text, moderators)
    return transcript


def guess_roles(
    turns: Iterable[tuple[str, str]],
    *,
    moderators: Iterable[str] = (),
    participants: Iterable[Participant] = (),
) -> dict[str, str]:
    """Each speaker label's role, from ``(label, text)`` pairs of turns or sentences.

    In order: the newsroom's moderators; the header's participants; what the label says
    ("MODERATOR", "Q", "AUDIENCE", "SEN. …"); then how the speaker talks.
    """
    turns = list(turns)
    moderator_keys = {_last_word(name) for name in moderators if name.strip()}
    by_key = {_last_word(p.name): p for p in participants}
    sentences: Counter[str] = Counter()
    questions: Counter[str] = Counter()
    for label, text in turns:
        for sentence in _SENTENCE_END.split(text.strip()):
            if sentence:
                sentences[label] += 1
                questions[label] += sentence.rstrip('"”’) ').endswith("?")
    main_speaker = max(sentences, key=lambda label: sentences[label], default=None)
    roles: dict[str, str] = {}
    for label in dict.fromkeys(label for label, _text in turns):
        key = _key(label)
        participant = by_key.get(_last_word(label))
        if _last_word(label) in moderator_keys or key in moderator_keys:
            roles[label] = ROLE_MODERATOR
        elif participant is not None:
            roles[label] = participant.role
        elif key in MODERATOR_LABELS:
            roles[label] = ROLE_MODERATOR
        elif key in HOST_LABELS:
            roles[label] = ROLE_HOST
        elif key in AUDIENCE_LABELS or not key:
            roles[label] = ROLE_AUDIENCE
        elif key.split()[0] in OFFICE_PREFIXES:
            roles[label] = ROLE_OFFICIAL
        elif (
            label != main_speaker
            and sentences[label] >= MIN_SENTENCES_FOR_GUESS
            and questions[label] >= MODERATOR_QUESTION_SHARE * sentences[label]
        ):
            roles[label] = ROLE_MODERATOR
        else:
            roles[label] = ROLE_CANDIDATE
    return roles


# --- Labels -----------------------------------------------------------------------------------


def _label_of(line: str) -> re.Match | None:
    return _LABEL.match(line)


def _key(label: str) -> str:
    """'SEN. BERNIE SANDERS (D-VT), PRESIDENTIAL CANDIDATE' → 'sen. bernie sanders'."""
    core = _PARENTHESES.sub(" ", label).split(",")[0]
    return " ".join(core.lower().split())


def _last_word(label: str) -> str:
    words = [w.strip(".'’-") for w in _key(label).split()]
    words = [w for w in words if w]
    return words[-1] if words else ""


def _is_label(label: str, key: str, counts: Counter, participants: list[Participant]) -> bool:
    """Whether ``label:`` at a line's start names a speaker (not "Note:" or a clause)."""
    if not key or key in NOT_LABELS or key in HEADER_KEYS:
        return False
    core = _PARENTHESES.sub(" ", label).split(",")[0]
    words = core.split()
    if not 1 <= len(words) <= MAX_LABEL_WORDS:
        return False
    if not all(_LABEL_CHARACTERS.fullmatch(word) for word in words):
        return False
    known = (
        key in MODERATOR_LABELS
        or key in HOST_LABELS
        or key in ANSWER_LABELS
        or key in AUDIENCE_LABELS
        or any(_last_word(p.name) == _last_word(label) for p in participants)
    )
    names = [w for w in words if w.lower() not in HONORIFICS]
    if names and all(w == w.upper() for w in names):
        return True  # "SANDERS", "MR. TRUMP"
    # Title case ("Hillary Clinton:", "Mr. Trump:") only when it recurs or is a known label,
    # so that a sentence like "Her answer: no" is not taken for a turn.
    title_case = all(w[:1].isupper() for w in words)
    return title_case and (known or counts[key] >= 2)


def _extend(turn: Turn, start: int, end: int, text: str) -> None:
    """Add a line of the turn's text as a paragraph, without its surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        turn.paragraphs.append((start, end))
        turn.end = end


# --- Speakers ---------------------------------------------------------------------------------


def _participants(value: str, role: str) -> list[Participant]:
    """'Former Secretary of State Hillary Clinton (D-NY); Senator Bernie Sanders (I-VT)'."""
    found = []
    for item in _HEADER_SPLIT.split(_PARENTHESES.sub(" ", value)):
        words = item.strip(" .").split()
        if not words:
            continue
        # The name is the last person the tagger finds ("Businessman Donald Trump"), or else
        # the run of capitalised words at the end, after the last title word ("Former
        # Secretary of State Hillary Clinton"); what comes before it is the role.
        name_start = _person_start(words)
        name_words = words[name_start:]
        role_words = words[:name_start]
        if not name_words:
            continue
        role_text = " ".join(role_words)
        item_role = role
        if role == ROLE_CANDIDATE and set(role_text.lower().split()) & OFFICE_ROLE_WORDS:
            item_role = ROLE_CANDIDATE if "former" in role_text.lower() else ROLE_OFFICIAL
        found.append(Participant(" ".join(name_words), role_text, item_role))
    return found


def _person_start(words: list[str]) -> int:
    """Index of the first word of the name at the end of a header item."""
    from .segmenting import load_nlp

    text = " ".join(words)
    persons = [entity for entity in load_nlp()(text).ents if entity.label_ == "PERSON"]
    if persons:
        person = persons[-1]
        at_word_start = person.start_char == 0 or text[person.start_char - 1] == " "
        if at_word_start and not text[person.end_char :].strip(" .,"):
            return text[: person.start_char].count(" ")
    start = len(words)
    while (
        start > 0
        and words[start - 1][:1].isupper()
        and words[start - 1].lower() not in lexicon.TITLE_WORDS
        and words[start - 1].lower().strip(".") not in OFFICE_PREFIXES
    ):
        start -= 1
    return start


def _resolve(transcript: Transcript, text: str, moderators: Iterable[str]) -> None:
    """Give every turn its speaker's name, role text and role."""
    pairs = [(turn.label, text[turn.start : turn.end]) for turn in transcript.turns]
    roles = guess_roles(pairs, moderators=moderators, participants=transcript.participants)
    by_key = {_last_word(p.name): p for p in transcript.participants}
    interviewees = [p for p in transcript.participants if p.role in (ROLE_CANDIDATE, "official")]
    interviewers = [p for p in transcript.participants if p.role in (ROLE_MODERATOR, ROLE_HOST)]
    for turn in transcript.turns:
        key = _key(turn.label)
        turn.role = roles.get(turn.label)
        participant = by_key.get(_last_word(turn.label))
        if participant is None and key in ANSWER_LABELS and len(interviewees) == 1:
            participant = interviewees[0]
        if participant is None and key == "q" and len(interviewers) == 1:
            participant = interviewers[0]
        if participant is not None:
            turn.name, turn.role_text = participant.name, participant.role_text
        elif turn.role == ROLE_AUDIENCE or key in ANSWER_LABELS | MODERATOR_LABELS | HOST_LABELS:
            turn.name = None
        else:
            turn.name, turn.role_text = _name_from_label(turn.label)
        if not turn.role_text:
            turn.role_text = ROLE_TEXT.get(turn.role or "", "")


def _name_from_label(label: str) -> tuple[str, str]:
    """'SEN. BERNIE SANDERS (D-VT)' → ('Bernie Sanders', 'Sen.'); 'MR. TRUMP' → ('Trump', '')."""
    words = _PARENTHESES.sub(" ", label).split(",")[0].split()
    role_words = []
    while len(words) > 1 and words[0].lower() in HONORIFICS:
        words = words[1:]
    while len(words) > 1 and words[0].lower().strip(".") in OFFICE_PREFIXES:
        role_words.append(words.pop(0))
    name = " ".join(_title(word) for word in words)
    return name, " ".join(_title(word) for word in role_words)


def _title(word: str) -> str:
    """'MCCAIN' → 'Mccain' is wrong but rare; 'SANDERS' → 'Sanders', "O'ROURKE" → "O'Rourke"."""
    if word != word.upper():
        return word
    return re.sub(r"[^\W\d_]+", lambda m: m.group()[:1] + m.group()[1:].lower(), word)
