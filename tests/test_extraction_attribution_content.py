"""Attribution, content choice: clause, object, parenthetical, asides and dashes."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from claims.extraction.attribution.content import (
    content_for_verb,
    is_time_phrase,
    object_content,
    rest_of_sentence,
)
from claims.extraction.segmenting import find_quotes
from tests.extraction_helpers import only_claim, parse, token


def test_accused_described_urged_condemned_denied():
    text = (
        "Iran accused Washington of terrorism. "
        'The minister described the attack as "a vicious assault". '
        "The police urged residents to stay indoors. "
        "France condemned the strikes. "
        "The ministry denied that troops had crossed the border."
    )
    cues = {c.cue: c for c in extract(text).claims if c.kind != "unattributed"}
    assert cues["accused"].content == "Washington of terrorism"
    assert cues["described"].content.startswith("the attack as")
    assert cues["urged"].content == "residents to stay indoors"
    assert cues["condemned"].content == "the strikes"
    assert cues["denied"].content == "troops had crossed the border"


def test_a_parenthetical_cue_keeps_the_whole_sentence_as_content():
    claim = only_claim("The mayor, officials said, would resign on Friday.")
    assert claim.speaker == "officials"
    assert claim.cue == "said"
    assert claim.content == "The mayor, officials said, would resign on Friday"


@pytest.mark.parametrize(
    ("text", "ending"),
    [
        (
            "The staff are believed to have left before the gate - used by lorries as well "
            "as cars - was forced open, with rioters throwing stones.",
            "was forced open",
        ),
        (
            "The mayor said the bridge – opened in 1931 – would close on Monday.",
            "would close on Monday",
        ),
    ],
)
def test_a_spaced_dash_pair_is_an_aside_not_the_end_of_the_content(text, ending):
    claims = [c for c in extract(text).claims if c.cue]
    assert claims
    assert claims[0].content.endswith(ending)


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "The council condemned the landlord for the evictions.",
            "condemned",
            "the landlord for the evictions",
        ),
        (
            "The council accused the landlord of illegal evictions.",
            "accused",
            "the landlord of illegal evictions",
        ),
        (
            "The council blamed the landlord for the evictions.",
            "blamed",
            "the landlord for the evictions",
        ),
        (
            "The council criticised the landlord over the evictions.",
            "criticised",
            "the landlord over the evictions",
        ),
    ],
)
def test_object_taking_cues_keep_the_object_and_its_complement(text, cue, content):
    claim = only_claim(text)
    assert claim.cue == cue
    assert claim.content == content


def test_an_aside_after_the_complement_is_left_out():
    claim = only_claim(
        "The council condemned the landlord for the evictions, which left 40 families homeless."
    )
    assert claim.content == "the landlord for the evictions"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "The union accused the bakery, which employs 300 people, of breaking the law.",
            "the bakery, which employs 300 people, of breaking the law",
        ),
        (
            "The senator blamed the governor, who took office in May, for the delays.",
            "the governor, who took office in May, for the delays",
        ),
        (
            "The mayor praised the firefighters, who worked through the night, for saving "
            "the school.",
            "the firefighters, who worked through the night, for saving the school",
        ),
    ],
)
def test_an_aside_before_the_complement_does_not_cut_it_off(text, content):
    assert only_claim(text).content == content


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The harbour master said at a briefing that it was not over.", "it was not over"),
        (
            "The harbour master said at a briefing that the ferries had stopped.",
            "the ferries had stopped",
        ),
    ],
)
def test_a_place_or_occasion_between_cue_and_that_clause_is_not_content(text, content):
    claim = only_claim(text)
    assert claim.cue == "said"
    assert claim.content == content


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "The minister condemned the shelling of the school, which injured 9 pupils, "
            "as a war crime.",
            "the shelling of the school, which injured 9 pupils, as a war crime",
        ),
        (
            "The council condemned the landlord for the evictions, which left 40 families "
            "homeless, on Monday.",
            "the landlord for the evictions",
        ),
        (
            "The union accused the bakery of fraud over the payments, which reached 2 million "
            "pounds, on Tuesday.",
            "the bakery of fraud over the payments",
        ),
    ],
)
def test_a_complement_after_an_aside_is_kept_but_a_date_is_not(text, content):
    assert only_claim(text).content == content


def test_a_quotation_before_the_cue_wins_over_a_name_in_quotes_after_it():
    doc = parse("“We will win,” Fiorina told “Fox and Friends.”")
    speaker = token(doc, "Fiorina")
    start, end = content_for_verb(
        token(doc, "told"), doc.text, find_quotes(doc.text), doc[speaker.i : speaker.i + 1]
    )
    assert doc.text[start:end] == "“We will win,”"


def test_an_object_taking_verb_keeps_object_and_complement_but_not_a_date():
    doc = parse("The council accused the landlord of fraud on Monday.")
    start, end = object_content(token(doc, "accused"), set())
    assert doc.text[start:end] == "the landlord of fraud on Monday"
    assert is_time_phrase(token(doc, "on"))


def test_a_parse_gone_astray_gives_the_words_after_that():
    doc = parse("The harbour master said on Friday during a conference that the ferries stopped.")
    span = rest_of_sentence(token(doc, "said"), set())
    assert span is not None
    assert doc.text[span[0] : span[1]].startswith("the ferries stopped")
