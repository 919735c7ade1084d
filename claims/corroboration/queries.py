"""What the evidence search asks for: a claim turned into its speaker, entities, numbers and key
terms, and the keyword strings that providers send.

Pure Python, no Django: the job builds a `ClaimQuery` from a claim with `build_query`, and the
same functions read numbers out of candidate passages (see `stance.py`). Entities are found with
a light capitalisation rule rather than spaCy's parser, because the job runs once per claim and
per candidate passage and must not pay for a model load; the archive's re-ranker does the finer
scoring.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field


def word_set(text: str) -> frozenset[str]:
    """A word list written as running text, one entry per whitespace-separated word."""
    return frozenset(text.split())


# Words that say nothing about what a claim is about: function words, reporting verbs and the
# vague quantities of news prose. Plain data, so that it is easy to extend.
STOPWORDS: frozenset[str] = word_set(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can cannot could couldn't did didn't do does
    doesn't doing don't down during each either else ever few for from further had hadn't has
    hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his
    how how's however i i'd i'll i'm i've if in into is isn't it it's its itself just let's
    may me might more most much must mustn't my myself neither no nor not now of off on once
    only or other ought our ours ourselves out over own per same shan't she she'd she'll she's
    should shouldn't since so some such than that that's the their theirs them themselves then
    there there's these they they'd they'll they're they've this those though through thus to
    too under until up upon us very via was wasn't we we'd we'll we're we've were weren't what
    what's when when's where where's whether which while who who's whom whose why why's will
    with within without won't would wouldn't yet you you'd you'll you're you've your yours
    yourself yourselves say says said saying tell tells told report reports reported reporting
    state states stated claim claims claimed according add added adds announce announced
    describe described warn warned accuse accused urge urged deny denied confirm confirmed
    amid among around almost already although another anyone anything away back became become
    becomes even every including least less like many mr mrs ms new next several still today
    tonight yesterday week weeks year years day days time times way ways well hundreds
    thousands dozens millions crowds
    """
)

# Connectors allowed inside a name: "Secretary of State", "Qais al-Khazali".
NAME_CONNECTORS: frozenset[str] = word_set("of the al al- bin de del la le von van for")

NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "million": 1_000_000,
    "dozen": 12,
}  # fmt: skip

SCALE_WORDS: dict[str, int] = {"thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

# Words that count the same thing; a quantity's unit is compared through these groups, so that
# "25 deaths" and "19 killed" are about one figure and "25 fighters" and "55 injured" are not.
UNIT_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "death deaths dead killed kill fatality fatalities casualty casualties life lives",
        "injured wounded injury injuries hurt",
        "troop troops soldier soldiers personnel service servicemember servicemembers forces",
        "fighter fighters militant militants militiamen member members",
        "target targets site sites location locations facility facilities",
        "rocket rockets missile missiles",
        "people person protester protesters demonstrator demonstrators",
        "percent per cent %",
    )
)

_WORD = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\w(?:[\w'’\-]*\w)?")
_SENTENCE_END = re.compile(r"[.!?]\s+|\n+")
_NUMBER = re.compile(
    r"(?<![\w-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s+(thousand|million|billion))?(?![\w-])"
)
_NUMBER_WORD = re.compile(
    r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_LABEL = re.compile(r"([A-Za-z]{3,})\s*[:–—-]\s*$")
_LOWER_BOUND = re.compile(r"\b(more than|over|at least|upwards of|in excess of)\s*$", re.I)
_UPPER_BOUND = re.compile(r"\b(less than|fewer than|under|at most|up to|no more than)\s*$", re.I)
_ROUGHLY = re.compile(
    r"\b(about|around|nearly|almost|some|roughly|approximately|an estimated)\s*$", re.I
)
_UNIT_LEAD_INS = word_set("of the more than a an")


@dataclass(frozen=True)
class Quantity:
    """A number as a text states it, with the words that say what it counts."""

    value: float
    text: str  # as written: "5,000", "three"
    unit: tuple[str, ...]  # the next few content words, in order: ("military", "personnel")
    start: int
    lead: str = ""  # the words just before: "more than", "at least", "about"

    def bounds(self) -> tuple[float, float]:
        """The range the wording allows: "more than 5,000" is 5,000 up, "about 20" is 17–23."""
        if _LOWER_BOUND.search(self.lead):
            return self.value, float("inf")
        if _UPPER_BOUND.search(self.lead):
            return 0.0, self.value
        if _ROUGHLY.search(self.lead):
            margin = 0.15 * abs(self.value)
            return self.value - margin, self.value + margin
        return self.value, self.value

    def agrees_with(self, other: Quantity) -> bool:
        low, high = self.bounds()
        other_low, other_high = other.bounds()
        return low <= other_high and other_low <= high

    @property
    def unit_words(self) -> frozenset[str]:
        return frozenset(self.unit)

    def same_measure(self, other: Quantity) -> bool:
        """Whether two quantities count the same kind of thing (so their values can differ)."""
        if self.unit_words & other.unit_words:
            return True
        return any(group & self.unit_words and group & other.unit_words for group in UNIT_GROUPS)


@dataclass(frozen=True)
class ClaimQuery:
    """A claim as the providers see it."""

    text: str  # the claim's content, as the reviewer reads it
    speaker: str = ""  # normalised name, e.g. "David Schenker"
    entities: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    terms: tuple[str, ...] = ()  # key terms, most telling first, lower-case
    claim_id: int | None = None
    article_id: int | None = None
    article_url: str = ""
    said_on: datetime.date | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    def keywords(self, max_terms: int = 10) -> str:
        """A short keyword query for web search engines: speaker's surname, entities, terms."""
        chosen: list[str] = []
        seen: set[str] = set()

        def add(word: str) -> None:
            key = word.lower()
            if key and key not in seen and len(chosen) < max_terms:
                seen.add(key)
                chosen.append(word)

        if self.speaker:
            add(self.speaker.split()[-1])
        for entity in self.entities:
            for word in entity.split():
                if word.lower() not in NAME_CONNECTORS and not is_stopword(word):
                    add(word)
        for term in self.terms:
            add(term)
        return " ".join(chosen)

    def search_text(self) -> str:
        """The text for keyword (full-text) search: the claim with its speaker's name."""
        return f"{self.speaker} {self.text}".strip()

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(q.text for q in self.quantities)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_stopword(word: str) -> bool:
    """Function words and the like; an acronym never is one ("US" is not "us")."""
    if len(word) > 1 and word.isupper():
        return False
    return word.lower() in STOPWORDS


def content_words(text: str) -> list[str]:
    """Lower-case words that say what the text is about, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in words(text):
        key = word.lower().strip("'’-")
        if len(key) < 2 or is_stopword(word) or key in seen:
            continue
        seen[key] = None
    return list(seen)


def entities(text: str) -> list[str]:
    """Runs of capitalised words ("David Schenker", "Kataib Hezbollah", "F-15"), in order.

    The first word of a sentence is capitalised anyway: it is dropped when it is a common word
    ("The", "Hundreds"), and kept otherwise ("Reuters reports …").
    """
    found: dict[str, None] = {}
    for sentence in _sentences(text):
        tokens = words(sentence)
        run: list[str] = []
        run_start = 0
        for index, token in enumerate([*tokens, ""]):
            if token and _looks_like_name(token):
                if not run:
                    run_start = index
                run.append(token)
                continue
            if (
                run
                and token.lower() in NAME_CONNECTORS
                and index + 1 < len(tokens)
                and _looks_like_name(tokens[index + 1])
            ):
                run.append(token)
                continue
            _take_run(run, sentence_start=run_start == 0, into=found)
            run = []
    return list(found)


def _looks_like_name(token: str) -> bool:
    if token[0].isupper():
        return True
    return token[0].isdigit() and "-" in token  # "9-11"; F-15 starts with a capital anyway


def _take_run(run: list[str], *, sentence_start: bool, into: dict[str, None]) -> None:
    while run and run[-1].lower() in NAME_CONNECTORS:
        run = run[:-1]
    if sentence_start and run and is_stopword(run[0]):
        run = run[1:]
        while run and run[0].lower() in NAME_CONNECTORS:
            run = run[1:]
    name = " ".join(run)
    if name and not is_stopword(name):
        into.setdefault(name, None)


def quantities(text: str) -> list[Quantity]:
    """Numbers in figures or words with what they count; years are left out (they are dates)."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for match in _NUMBER.finditer(text):
        digits = match.group(1).replace(",", "")
        if _YEAR.match(digits) and not match.group(2) and not match.group(3):
            continue
        value = float(digits + (match.group(2) or ""))
        if match.group(3):
            value *= SCALE_WORDS[match.group(3).lower()]
        found.append(
            Quantity(
                value=value,
                text=match.group(0),
                unit=_unit_after(text, match.end()) or _label_before(text, match.start()),
                start=match.start(),
                lead=text[max(0, match.start() - 25) : match.start()],
            )
        )
        taken.append(match.span())
    for match in _NUMBER_WORD.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        word = match.group(1).lower()
        if word in SCALE_WORDS or word == "hundred":
            continue  # "hundreds of …" is vague, and "5 thousand" is read above
        if word == "one" and not _unit_after(text, match.end()):
            continue  # "one of the …", "no one"
        found.append(
            Quantity(
                value=float(NUMBER_WORDS[word]),
                text=match.group(0),
                unit=_unit_after(text, match.end()),
                start=match.start(),
                lead=text[max(0, match.start() - 25) : match.start()],
            )
        )
    found.sort(key=lambda q: q.start)
    return found


def _unit_after(text: str, end: int, span: int = 3) -> tuple[str, ...]:
    """The content words right after a number, up to a clause break: what it counts."""
    following = re.split(r"[,;:.()!?]", text[end : end + 80], maxsplit=1)[0]
    unit: list[str] = []
    for word in words(following):
        key = word.lower()
        if not unit and key in _UNIT_LEAD_INS:
            continue  # "25 of the fighters", "5,000 more troops"
        if is_stopword(word) or key in NUMBER_WORDS or key[0].isdigit() or len(unit) == span:
            break
        unit.append(key.removesuffix("'s").removesuffix("’s"))
    return tuple(unit)


def _label_before(text: str, start: int) -> tuple[str, ...]:
    """A label that introduces a figure: "Fatalities: 19", "Killed – 25"."""
    match = _LABEL.search(text[max(0, start - 40) : start])
    return (match.group(1).lower(),) if match else ()


def _is_number_token(token: str) -> bool:
    return token[0].isdigit() and token.replace(",", "").replace(".", "").isdigit()


def _sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


def build_query(
    text: str,
    *,
    speaker: str = "",
    claim_id: int | None = None,
    article_id: int | None = None,
    article_url: str = "",
    said_on: datetime.date | None = None,
) -> ClaimQuery:
    """The query for a claim's content and speaker; entities first among the key terms."""
    text = " ".join(text.split())
    found_entities = entities(text)
    entity_words = {w.lower() for e in found_entities for w in words(e)}
    terms = content_words(text)
    # Names and numbers tell most about what a claim is about; then the longer words.
    terms.sort(key=lambda t: (t not in entity_words, not t[0].isdigit(), -len(t)))
    return ClaimQuery(
        text=text,
        speaker=" ".join(speaker.split()),
        entities=tuple(found_entities),
        quantities=tuple(quantities(text)),
        terms=tuple(terms),
        claim_id=claim_id,
        article_id=article_id,
        article_url=article_url,
        said_on=said_on,
    )
