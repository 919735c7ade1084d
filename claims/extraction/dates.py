"""Dates as news pages write them ("14 March 2024", "Mar. 14, 2024, 5:03 p.m. ET",
"2024-03-14T10:00:00Z"), read by dateparser rather than by patterns of our own.

dateparser is lenient by default: it reads "Tuesday" or "2 days ago" as dates. Here it is held
to absolute dates written out with day, month and year, in English, so that a word in a byline
or a sentence is never taken for one. Numeric dates are read day first ("03/04/2024" is 3 April),
as UK outlets write them, unless the first number cannot be a day of the month.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

# Older than this is a typo or not a publication date at all.
EARLIEST = dt.date(1800, 1, 1)
# A date with its time and zone is never longer; longer text is a sentence, not a date.
MAX_DATE_CHARS = 60
_HAS_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=1)
def _parser():
    # Imported here: the language data loads on first use, not when extraction is imported.
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "STRICT_PARSING": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
            "DATE_ORDER": "DMY",
            "PARSERS": ["absolute-time"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )


def parse_date(text: str) -> dt.date | None:
    """The date that ``text`` is as a whole (a time and a zone may follow it), or None.

    The date is the day as written: "3 January 2020 23:30 EST" is 3 January, wherever the
    server is.
    """
    text = " ".join((text or "").split()).strip(" ,;:|")
    if not text or len(text) > MAX_DATE_CHARS or not _HAS_DIGIT.search(text):
        return None
    return _parse(text)


@lru_cache(maxsize=4096)
def _parse(text: str) -> dt.date | None:
    try:
        found = _parser().get_date_data(text).date_obj
    except Exception:  # a library's parse error on odd text means "no date"
        return None
    if found is None:
        return None
    date = found.date()
    return date if date >= EARLIEST else None
