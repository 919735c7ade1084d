"""Attribution, cue finding: which words report, and what the cue span holds."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from claims.extraction.attribution.cues import (
    cue_span,
    ends_paragraph_with_colon,
    is_cue_noun,
    is_cue_verb,
)
from tests.extraction_helpers import only_claim, parse, token


def test_in_a_statement_is_part_of_the_cue():
    claim = only_claim("The ministry said in a statement that the border was open.")
    assert claim.cue == "said in a statement"
    assert claim.content == "the border was open"


def test_i_think_is_not_a_report():
    assert not [c for c in extract("I think it is fine.").claims if c.cue == "think"]


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "The two suspects are understood to have crossed the border on Friday.",
            "understood",
            "The two suspects are understood to have crossed the border on Friday",
        ),
        (
            "The ferry is believed to be carrying 300 passengers.",
            "believed",
            "The ferry is believed to be carrying 300 passengers",
        ),
        (
            "The old mill is said to have closed in 1987.",
            "said",
            "The old mill is said to have closed in 1987",
        ),
        ("It is reported that the factory closed in March.", "reported", "the factory closed"),
    ],
)
def test_an_anonymous_report_is_by_unnamed_sources(text, cue, content):
    hedged = [c for c in extract(text).claims if c.cue == cue]
    assert hedged
    claim = hedged[0]
    assert claim.kind == "indirect"
    assert claim.speaker_name == "unnamed sources"
    assert claim.speaker_kind == "unknown"
    # Nobody is named in the text: there is no mention to highlight.
    assert claim.speaker is None
    assert claim.speaker_span is None
    assert claim.content.startswith(content)


@pytest.mark.parametrize(
    ("text", "word", "is_cue"),
    [
        ("The mayor said the bridge was closed.", "said", True),
        ("The mayor is confident that the bridge will reopen.", "confident", True),
        ("The mayor hinted that the bridge would reopen.", "hinted", True),
        ("It is likely that the bridge will reopen.", "likely", False),
        ("The reported attack took place on Monday.", "reported", False),
        ("The bridge was closed on Monday.", "closed", False),
    ],
)
def test_cue_verbs_come_from_the_lexicon_or_a_that_clause(text, word, is_cue):
    assert is_cue_verb(token(parse(text), word)) is is_cue


def test_a_noun_is_a_cue_only_with_an_owner():
    doc = parse("His criticism of the deal was sharp. The criticism was sharp.")
    criticisms = [t for t in doc if t.lower_ == "criticism"]
    assert [is_cue_noun(t) for t in criticisms] == [True, False]


def test_the_cue_span_takes_a_particle():
    doc = parse("The mayor pointed out that the bridge was old.")
    start, end = cue_span(token(doc, "pointed"))
    assert doc.text[start:end] == "pointed out"


def test_a_cue_ending_its_paragraph_with_a_colon_reaches_into_the_next():
    doc = parse("Reporter Jomana Karadsheh says:")
    assert ends_paragraph_with_colon(token(doc, "says"), doc.text)
    doc = parse("The mayor says the bridge is closed.")
    assert not ends_paragraph_with_colon(token(doc, "says"), doc.text)
