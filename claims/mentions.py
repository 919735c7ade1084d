"""@mentions in comments: which usernames a comment names.

Pure text work, no database: the service resolves the names to staff accounts, so that a name
nobody has, or someone outside the newsroom's staff, is simply not notified.
"""

from __future__ import annotations

import re

# A mention starts with @ not glued to a word before it (so "desk@outlet.org" is an address,
# not a mention) and takes the characters Django allows in usernames, except "@" itself.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]+)")
# Sentence punctuation that may follow a mention without being part of the name ("@rita.").
TRAILING = ".+-"
# More than this many names in one comment are ignored: a comment is not a mailing list.
MAX_MENTIONS = 20


def mentioned_usernames(text: str) -> list[str]:
    """The usernames mentioned in `text`, lower-cased, each once, in order of first mention."""
    names: list[str] = []
    for match in MENTION.finditer(text):
        name = match.group(1).rstrip(TRAILING).lower()
        if name and name not in names:
            names.append(name)
        if len(names) == MAX_MENTIONS:
            break
    return names
