"""A claim's standalone statement when nobody has written one: speaker + cue + content.

Extracted content is often a fragment ("Washington for the strikes", from "Iraq condemned
Washington for the strikes"), which makes no sense as a page title or as ClaimReview's
`claimReviewed`. Extraction drafts a better statement and reviewers edit it; this is the
fallback for claims that have none, so that the public side always shows a whole sentence.
Pure Python: no Django import.
"""

from __future__ import annotations

_END_PUNCTUATION = (".", "!", "?", '"', "”", "'", "’", "…")
_TRAILING_JUNK = " \t\n,;:–—-"


# A fragment that starts a sentence of its own ("The strikes hit …") continues the speaker's
# sentence in lower case; names ("Iran", "Washington") keep their capital.
_LOWER_AFTER_CUE = frozenset(
    {"a", "an", "the", "it", "its", "this", "that", "these", "those", "there", "their", "our"}
    | {"his", "her", "some", "all", "many", "most", "several", "no", "one", "two", "three"}
    | {"in", "on", "at", "after", "before"}
)


def _continue_sentence(text: str) -> str:
    first, _, rest = text.partition(" ")
    if first.lower() in _LOWER_AFTER_CUE and first[:1].isupper() and first[1:].islower():
        return f"{first.lower()} {rest}".rstrip()
    return text


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _finished(text: str) -> str:
    text = text.rstrip(_TRAILING_JUNK)
    return text if text.endswith(_END_PUNCTUATION) else text + "."


def compose_statement(*, speaker: str, cue: str, content: str, direct_quote: bool = False) -> str:
    """The claim as one sentence: "David Schenker said the strikes were a message to Iran."

    `speaker` is empty for the outlet's own statements, which stand as they are. A cue such as
    "according to" leads the sentence; an empty cue (a claim added by hand) is attributed with
    "according to" rather than putting a verb in the speaker's mouth.
    """
    content = " ".join(content.split()).strip(_TRAILING_JUNK)
    speaker = " ".join(speaker.split())
    cue = " ".join(cue.split())
    if not content:
        return ""
    if not speaker:
        return _finished(_sentence_case(content))
    if direct_quote and not content.startswith(('"', "“")):
        content = f"“{content}”"
    else:
        content = _continue_sentence(content)
    if not cue or cue.lower().startswith("according to"):
        return _finished(f"According to {speaker}, {content}")
    return _finished(f"{_sentence_case(speaker)} {cue} {content}")
