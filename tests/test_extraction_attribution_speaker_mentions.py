"""Attribution, speaker mentions: subjects, agents, appositions and chains of attribution."""

from __future__ import annotations

from claims.extraction import extract
from claims.extraction.attribution.speaker_mentions import (
    can_speak,
    speaker_of_cue,
    speaker_span_tokens,
)
from tests.extraction_helpers import only_claim, parse, token


def test_a_chain_of_attribution():
    claim = only_claim("Reuters reports that the ambassador left the city, citing two officials.")
    assert claim.speaker == "Reuters"
    assert claim.via == ["two officials"]
    assert claim.content == "the ambassador left the city"


def test_a_passive_report_with_its_agent():
    claim = only_claim("The move was first reported by MSNBC.")
    assert claim.speaker == "MSNBC"
    assert claim.content == "The move"


def test_an_apposition_hung_on_the_subject_does_not_swallow_the_claim():
    claim = only_claim("US officials believe Iran was behind the attack, a claim Tehran denies.")
    assert claim.speaker == "US officials"
    assert claim.content == "Iran was behind the attack"


def test_no_claim_of_a_speech_kind_is_without_a_speaker():
    text = (
        "The hostages are thought to have been freed overnight. It is claimed that the "
        "bridge was never inspected. The mayor said the bridge was closed. Officials are "
        "reported to have left the building before noon."
    )
    claims = extract(text).claims
    assert len([c for c in claims if c.speaker_name == "unnamed sources"]) >= 2
    for claim in claims:
        if claim.kind in ("direct", "indirect", "mixed"):
            assert claim.speaker_name, claim


def test_a_cue_hung_on_another_verb_inherits_its_subject():
    doc = parse("The police urged residents to stay indoors, saying the storm was dangerous.")
    assert speaker_of_cue(token(doc, "saying")).text == "police"


def test_the_asker_of_a_question_is_not_the_speaker():
    doc = parse("Asked about the vote, she said it was fair.")
    assert speaker_of_cue(token(doc, "Asked")) is None
    assert speaker_of_cue(token(doc, "said")).text == "she"


def test_a_dateline_glued_to_the_subject_is_cut_off():
    doc = parse("MACAU (Reuters) - Top donor Sheldon Adelson said the casino would reopen.")
    subject = speaker_of_cue(token(doc, "said"))
    assert speaker_span_tokens(subject).text == "Top donor Sheldon Adelson"


def test_which_speaks_only_for_a_body():
    doc = parse("The council, which said the road was safe, met on Monday.")
    assert can_speak(token(doc, "which"))
    doc = parse("The road, which said nothing, was closed.")
    assert not can_speak(token(doc, "which"))
