"""The head of a pasted article: its byline and date lines, read and set apart from the story.

A pasted article often starts with "By Staff Reporter, 14 March 2024", "By Jane Doe and John
Roe | Reuters" or "Published 3 January 2020 14:05 GMT". Those lines say who wrote the story and
when; they are not claims and not the headline. Only the first few lines are looked at, and a
line is taken only when every part of it is accounted for (names, a role, an outlet, a date, a
reading time): "By Tuesday the army had left" is a sentence, not a byline. Dates are read by
``dates.parse_date`` (dateparser).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import lexicon
from .dates import parse_date

# The head is the first few lines that hold something; a byline further down is not the story's.
HEAD_LINES = 8
# A line this long is a paragraph of the story: the head has ended.
MAX_HEAD_LINE_CHARS = 200
MAX_NAME_WORDS = 5
# A date cut by separators spans at most this many parts: "Monday, March 14, 2024, 5:03 p.m.".
MAX_DATE_PARTS = 4
# A date more than this far ahead of today is not when the story was published.
FUTURE_TOLERANCE = dt.timedelta(days=1)

_BYLINE_START = re.compile(
    r"^(?:(?:written|words|story|text|report(?:ed)?|photos? and words)\s+)?by(?:\s*:\s*|\s+)",
    re.IGNORECASE,
)
_DATE_KEYWORD = (
    r"first published|last updated|last modified|published|updated|modified|posted|filed"
)
# "Published 3 January 2020", "Updated on: 4 Jan 2020", "Last updated at 14:05".
_DATE_PREFIX = re.compile(rf"^(?P<keyword>{_DATE_KEYWORD})(?:\s+(?:on|at))?\s*:?\s*", re.IGNORECASE)
# Parts of a head line: "Jane Doe | Reuters • 14 March 2024 — 3 min read; Updated …".
_SEPARATOR = re.compile(
    rf"\s*(?:[|•·;,]|\s[—–-]\s|—|–)\s*|(?<!last)(?<!first)\s+(?=(?:{_DATE_KEYWORD})\b)",
    re.IGNORECASE,
)
_NAME_JOINER = re.compile(r"\s+(?:and|&)\s+|\s*&\s*", re.IGNORECASE)
_LOCATION = re.compile(r"\s+in\s+(?P<place>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})$")
# "14:05 GMT", "5.03pm", "at 6 a.m. EDT": a time needs its minutes or its am/pm.
_TIME = re.compile(
    r"^(?:at\s+)?\d{1,2}(?:[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?)"
    r"(?:\s+[A-Z]{2,5}(?:[+-]\d{1,2})?)?$",
    re.IGNORECASE,
)
_AGO = re.compile(r"^(?:an?|\d{1,3})\s+(?:min(?:ute)?s?|hours?|hrs?|days?)\s+ago$", re.IGNORECASE)
_READING_TIME = re.compile(r"^\d{1,3}\s*(?:-|\s)?(?:min(?:ute)?s?|mins?)\.?(?:\s+read)?$", re.I)
_INITIAL = re.compile(r"^(?:[A-Z]\.){1,3}$|^[A-Z]\.?$")
_NAME_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’.-](?=[^\W\d_]))*\.?$")

# Lower-case words inside a person's name: "Ursula von der Leyen", "Ahmed bin Salman".
NAME_PARTICLES = lexicon.words(
    "de del della der den di da dos das du la le van von ter ten bin ibn al el y st."
)
# Capitalised words that start sentences after "By", not names: "By Tuesday the army had left",
# "By March, prices had risen", "By The Numbers".
NOT_NAME_WORDS = lexicon.words(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december jan feb mar apr jun jul aug sep sept
    oct nov dec today tonight tomorrow yesterday now then morning afternoon evening night
    midnight noon dawn dusk weekend week month year decade century christmas easter spring
    summer autumn winter fall early late mid end the a an this that these those then of and or
    for in on at to from with without all some most many few far contrast comparison default
    design chance accident mistake force hand order nature definition law way far numbers
    popular demand air sea land road rail car train plane bus foot means
    """
)
# The last word of a person's job, or of a desk: "Political Editor", "our correspondent".
ROLE_WORDS = lexicon.words(
    """
    reporter reporters correspondent correspondents editor editors writer writers staff team
    desk columnist contributor contributors journalist journalists producer producers
    analyst board bureau newsroom
    """
)
# The last word of an outlet's or agency's name: "BBC News", "The Washington Post".
OUTLET_WORDS = lexicon.words(
    """
    news times post press journal guardian telegraph herald tribune agency network radio tv
    television online daily gazette mail express independent observer reuters bloomberg
    standard chronicle magazine media wire review star sun mirror record today weekly
    broadcasting insider politico axios
    """
)
_ROLE_DETERMINERS = frozenset({"our", "the", "a", "an"})


@dataclass(frozen=True)
class HeadLine:
    """What one head line says: who wrote the story, for which outlet, and when."""

    authors: tuple[str, ...] = ()
    outlet: str = ""
    published: dt.date | None = None
    updated: dt.date | None = None


@dataclass
class Head:
    """The head lines of a text (their line numbers) and what they say together."""

    line_numbers: set[int] = field(default_factory=set)
    byline: str = ""
    outlet: str = ""
    published: dt.date | None = None


def read_head(lines: Iterable[str], *, today: dt.date | None = None) -> Head:
    """The byline and date lines among the first lines of a text.

    ``lines`` are the text's lines in order; blank ones do not count towards the head. The
    published date is the first one given as published (or given bare); an updated date is
    used only when no other is there.
    """
    today = today or dt.date.today()
    head = Head()
    updated: dt.date | None = None
    seen = 0
    for number, raw in enumerate(lines):
        line = " ".join(raw.split())
        if not line:
            continue
        seen += 1
        if seen > HEAD_LINES or len(line) > MAX_HEAD_LINE_CHARS:
            break
        found = read_head_line(line, today=today)
        if found is None:
            continue
        head.line_numbers.add(number)
        if found.authors and not head.byline:
            head.byline = ", ".join(found.authors)
        head.outlet = head.outlet or found.outlet
        head.published = head.published or found.published
        updated = updated or found.updated
    head.published = head.published or updated
    return head


def read_head_line(line: str, *, today: dt.date | None = None) -> HeadLine | None:
    """What a byline or date line says, or None when the line is anything else."""
    line = " ".join(line.split())
    if not line or len(line) > MAX_HEAD_LINE_CHARS or line.endswith(("?", "!", ":")):
        return None
    today = today or dt.date.today()
    byline = _BYLINE_START.match(line)
    if byline:
        return _read_byline(line[byline.end() :], today)
    return _read_date_line(line, today)


def _read_byline(rest: str, today: dt.date) -> HeadLine | None:
    parts = _parts(rest)
    if not parts:
        return None
    authors = _names(parts[0][2], alone=len(parts) == 1)
    if authors is None:
        return None
    found = _read_parts(rest, parts, 1, today, allow_names=True)
    if found is None:
        return None
    more_authors, outlet, published, updated = found
    return HeadLine(
        authors=tuple(authors + more_authors), outlet=outlet, published=published, updated=updated
    )


def _read_date_line(line: str, today: dt.date) -> HeadLine | None:
    """A line of dates ("Published 3 January 2020 | Updated 14:05 GMT"), or one that starts with
    "Updated", "Published"… and holds only times ("Updated 2 hours ago"): set apart, no date."""
    keyword = _DATE_PREFIX.match(line)
    if not keyword and not any(ch.isdigit() for ch in line):
        return None
    found = _read_parts(line, _parts(line), 0, today, allow_names=False)
    if found is None:
        return None
    _, outlet, published, updated = found
    if published is None and updated is None and (not keyword or outlet):
        return None
    return HeadLine(outlet=outlet, published=published, updated=updated)


def _parts(text: str) -> list[tuple[int, int, str]]:
    """The parts between separators: (start, end, text), with the spans into ``text``."""
    parts = []
    position = 0
    for separator in _SEPARATOR.finditer(text):
        if separator.start() > position:
            parts.append((position, separator.start(), text[position : separator.start()]))
        position = max(position, separator.end())
    if position < len(text):
        parts.append((position, len(text), text[position:]))
    return [(start, end, part) for start, end, part in parts if part.strip()]


def _read_parts(
    line: str,
    parts: list[tuple[int, int, str]],
    index: int,
    today: dt.date,
    *,
    allow_names: bool,
) -> tuple[list[str], str, dt.date | None, dt.date | None] | None:
    """Authors, outlet and dates of the parts from ``index`` on; None if one is none of those.

    ``parts`` are spans into ``line``, so that a date cut by a separator ("March 14, 2024") is
    read across them.
    """
    if not parts:
        return None
    authors: list[str] = []
    outlet = ""
    published: dt.date | None = None
    updated: dt.date | None = None
    while index < len(parts):
        # The longest run of parts from here that is one date: "March 14, 2024, 5:03 p.m. ET".
        for last in range(min(len(parts), index + MAX_DATE_PARTS) - 1, index - 1, -1):
            keyword, date = _date_of(line[parts[index][0] : parts[last][1]])
            if date is not None:
                break
        else:
            keyword, date, last = "", None, index
        if date is not None:
            if date > today + FUTURE_TOLERANCE:
                return None
            if keyword.startswith(("updated", "last", "modified")):
                updated = updated or date
            else:
                published = published or date
            index = last + 1
            continue
        part = parts[index][2].strip()
        if _is_ignorable(part):
            pass
        elif _is_outlet(part):
            outlet = outlet or part
        elif allow_names and _is_role(part):
            pass
        elif allow_names and (names := _names(part, alone=False)) is not None:
            authors.extend(names)
        else:
            return None
        index += 1
    return authors, outlet, published, updated


def _date_of(text: str) -> tuple[str, dt.date | None]:
    """("published"/"updated"/…, the date) of "Published 3 January 2020 14:05 GMT"."""
    text = text.strip()
    prefix = _DATE_PREFIX.match(text)
    keyword = ""
    if prefix:
        keyword = prefix.group("keyword").lower()
        text = text[prefix.end() :]
    return keyword, parse_date(text)


def _is_ignorable(part: str) -> bool:
    """A time ("Updated 14:05 GMT", "2 hours ago"), a reading time or a bare "Updated":
    nothing to keep, and not a sentence."""
    prefix = _DATE_PREFIX.match(part)
    rest = part[prefix.end() :] if prefix else part
    return not rest or bool(_TIME.match(rest) or _AGO.match(rest) or _READING_TIME.match(rest))


def _is_outlet(part: str) -> bool:
    words = part.split()
    if not 1 <= len(words) <= 6 or any(ch.isdigit() for ch in part):
        return False
    if not all(w[:1].isupper() or w.lower() in {"of", "the", "and", "&"} for w in words):
        return False
    if words[0].lower().strip(".,") in NOT_NAME_WORDS - {"the"}:
        return False
    last = words[-1].lower().strip(".")
    return (
        last in OUTLET_WORDS
        or words[0] == "The"
        or any(len(w) >= 2 and w.isupper() and w.isalpha() for w in words)
        or (len(words) == 1 and bool(_NAME_WORD.match(words[0])))
    )


def _is_role(part: str) -> bool:
    """ "Political Editor", "Staff Writer", "Senior Correspondent": a job, said after a name."""
    words = part.split()
    return (
        1 <= len(words) <= 5
        and words[-1].lower().strip(".") in ROLE_WORDS
        and all(w[:1].isupper() or w.lower() in _ROLE_DETERMINERS for w in words)
    )


def _names(part: str, *, alone: bool) -> list[str] | None:
    """People's names in a byline part ("Jane Doe and John Roe in London"), or None.

    A desk or a job stands for a name too: "Staff Reporter", "our Political Correspondent",
    "The Associated Press". One word is a name only when it is all there is after "By".
    """
    part = part.strip()
    if not part:
        return None
    if _is_desk(part):
        return [part]
    names = []
    for name in _NAME_JOINER.split(part):
        name = name.strip()
        location = _LOCATION.search(name)
        if location:
            name = name[: location.start()]
        words = name.split()
        if not 1 <= len(words) <= MAX_NAME_WORDS:
            return None
        if len(words) == 1 and not (alone and len(_NAME_JOINER.split(part)) == 1):
            return None
        if not all(_is_name_word(word, index, len(words)) for index, word in enumerate(words)):
            return None
        if sum(1 for word in words if len(word.strip(".")) >= 2) == 0:
            return None
        names.append(_capitalised(name))
    return names


def _is_desk(part: str) -> bool:
    """ "Staff Reporter", "our correspondent", "the Editorial Board", "The Associated Press"."""
    words = part.split()
    if not 1 <= len(words) <= 5:
        return False
    last = words[-1].lower().strip(".")
    if words[0] == "The" or words[0].lower() in _ROLE_DETERMINERS:
        rest = words[1:]
        capitalised = all(w[:1].isupper() or w.lower() == "of" for w in rest)
        lower = all(w.islower() for w in rest)
        return bool(rest) and (capitalised or lower) and last in ROLE_WORDS | OUTLET_WORDS
    return last in ROLE_WORDS and all(w[:1].isupper() for w in words) and len(words) >= 2


def _is_name_word(word: str, index: int, count: int) -> bool:
    if word.lower() in NAME_PARTICLES and 0 < index < count - 1:
        return True
    if _INITIAL.match(word):
        return True
    if not _NAME_WORD.match(word) or not word[:1].isupper():
        return False
    return word.lower().strip(".") not in NOT_NAME_WORDS


def _capitalised(name: str) -> str:
    """ "JANE DOE" → "Jane Doe": a wire byline in capitals."""
    if name.isupper() and len(name) > 3:
        return " ".join(word.capitalize() for word in name.split())
    return name
