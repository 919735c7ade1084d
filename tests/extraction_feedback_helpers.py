"""An article with extracted claims at real offsets, for the tests of reviewers' corrections."""

from __future__ import annotations

from claims.models import Claim
from claims.services.claims import speaker_get_or_create
from tests import factories

TEXT = (
    "The minister said the bridge will open in May. "
    "Critics said the date is unrealistic. "
    "Mayor Ada Brown claimed taxes fell by three percent last year. "
    "Officials said the road is closed and the rail line is open. "
    "Police said two men were arrested. Police said they were questioned. "
    "Unemployment rose to 5 percent in June. "
    "Analysts warned that prices will rise, according to Jane Doe."
)


def span(fragment: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def article(**kwargs):
    return factories.ArticleFactory(text=TEXT, raw_text=TEXT, **kwargs)


def extracted_claim(
    article, content: str, *, speaker: str | None, mention: str = "", cue: str = "said", **kw
) -> Claim:
    """A claim as the extractor would store it: spans of the content, cue and speaker mention."""
    start, end = span(content)
    sentence_start = TEXT.rfind(". ", 0, start) + 2 if TEXT.rfind(". ", 0, start) != -1 else 0
    cue_start = TEXT.rfind(cue, sentence_start, start) if cue else -1
    mention_start = TEXT.rfind(mention, sentence_start, start) if mention else -1
    if mention and mention_start == -1:
        mention_start = TEXT.find(mention, end)
    return factories.ClaimFactory(
        article=article,
        speaker=speaker_get_or_create(name=speaker) if speaker else None,
        speaker_text=mention,
        cue=cue if cue_start != -1 else "",
        cue_start=cue_start if cue_start != -1 else None,
        cue_end=cue_start + len(cue) if cue_start != -1 else None,
        speaker_start=mention_start if mention_start != -1 else None,
        speaker_end=mention_start + len(mention) if mention_start != -1 else None,
        content=content,
        start=start,
        end=end,
        kind=kw.pop("kind", Claim.Kind.INDIRECT if speaker else Claim.Kind.UNATTRIBUTED),
        origin=Claim.Origin.EXTRACTED,
        **kw,
    )
