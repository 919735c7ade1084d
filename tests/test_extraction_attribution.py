"""Attribution as a whole: every order of speaker, cue and content, and the outlet's own facts.

Each step of claims/extraction/attribution/ has its tests beside this module, in
test_extraction_attribution_<step>.py (cues, content, quotations, speaker_mentions).
"""

from __future__ import annotations

import pytest

from claims.extraction import extract
from tests.extraction_helpers import only_claim


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        ("The mayor said the bridge was closed.", "The mayor", "the bridge was closed"),
        ("The bridge was closed, the mayor said.", "the mayor", "The bridge was closed"),
        ("The bridge was closed, said the mayor.", "the mayor", "The bridge was closed"),
        ("According to the mayor, the bridge was closed.", "the mayor", "the bridge was closed"),
        ("The bridge was closed, according to the mayor.", "the mayor", "The bridge was closed"),
        (
            "The mayor told reporters that the bridge was closed.",
            "The mayor",
            "the bridge was closed",
        ),
    ],
)
def test_every_order_of_speaker_cue_and_content(text, speaker, content):
    claim = only_claim(text)
    assert claim.speaker == speaker
    assert claim.content == content
    assert claim.kind == "indirect"


def test_unattributed_facts_and_no_claim_from_opinion():
    result = extract("Three people were killed in the blast on Monday. What a terrible day!")
    facts = [c for c in result.claims if c.kind == "unattributed"]
    assert [c.content for c in facts] == ["Three people were killed in the blast on Monday."]
