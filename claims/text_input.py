"""Text that enters the app must be valid Unicode: no lone surrogate code points.

JSON can spell a lone surrogate (`"\\ud800"`), and so can UTF-7; Python keeps it in a `str`, but
it cannot be encoded as UTF-8, so hashing, storing or rendering the text fails far from where it
came in. It is found here, at the edge, and refused with a sentence that says where it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def invalid_character_at(text: str) -> int | None:
    """The index of the first character that is not valid Unicode (a lone surrogate), or None."""
    match = _LONE_SURROGATE.search(text)
    return match.start() if match else None


def make_valid(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD, as a decoder does with bad bytes."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def invalid_text_fields(data: Any, path: str = "") -> Iterator[str]:
    """Where, in parsed JSON, a string (or a key) holds a lone surrogate: `text`, `items[2]`."""
    if isinstance(data, str):
        if invalid_character_at(data) is not None:
            yield path or "the body"
    elif isinstance(data, dict):
        for key, value in data.items():
            name = make_valid(str(key))
            where = f"{path}.{name}" if path else name
            if invalid_character_at(str(key)) is not None:
                yield where
            yield from invalid_text_fields(value, where)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from invalid_text_fields(value, f"{path}[{index}]")
