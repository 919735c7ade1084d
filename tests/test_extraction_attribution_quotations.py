"""Attribution, quotation stitching: marks, kinds, quotations over sentences and paragraphs."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from claims.extraction.attribution.quotations import continue_quotes, extend_to_quotes, kind_of
from claims.extraction.segmenting import find_quotes
from tests.extraction_helpers import only_claim


def test_a_direct_quote_after_a_colon():
    claim = only_claim('The mayor said: "The bridge is closed until Friday."')
    assert claim.kind == "direct"
    assert claim.content == "The bridge is closed until Friday."
    assert claim.cue == "said"


@pytest.mark.parametrize("marks", [('"', '"'), ("“", "”")])
def test_straight_and_curly_quotes(marks):
    opening, closing = marks
    claim = only_claim(f"{opening}We will rebuild it,{closing} the mayor said.")
    assert claim.kind == "direct"
    assert claim.speaker == "the mayor"
    assert claim.content.startswith("We will rebuild it")


def test_a_quote_over_several_sentences_is_one_claim():
    claim = only_claim("“The bridge is closed. It will stay closed,” the mayor said.")
    assert claim.content.startswith("The bridge is closed. It will stay closed")


def test_a_quote_over_several_paragraphs_gives_one_claim_per_paragraph():
    text = (
        "The mayor said: “The bridge is closed.\n\n"
        "“It will stay closed until the engineers are done.\n\n"
        "“Then we will reopen it.”\n\n"
        "The council met on Monday."
    )
    claims = [c for c in extract(text).claims if c.kind == "direct"]
    assert [c.content for c in claims] == [
        "The bridge is closed.",
        "It will stay closed until the engineers are done.",
        "Then we will reopen it.",
    ]
    assert {c.speaker for c in claims} == {"The mayor"}


def test_mixed_speech():
    claim = only_claim('The mayor said the closure was "a disgrace" and would end soon.')
    assert claim.kind == "mixed"


def test_a_cue_ending_a_paragraph_takes_the_next_paragraphs_quote():
    claims = extract('The mayor said:\n\n"The bridge will reopen on Friday."').claims
    assert [(c.speaker, c.kind, c.content) for c in claims] == [
        ("The mayor", "direct", "The bridge will reopen on Friday.")
    ]


def test_doubled_apostrophes_are_quotation_marks():
    claim = only_claim("''We will rebuild it,'' the mayor said.")
    assert claim.kind == "direct"
    assert claim.content == "We will rebuild it"


@pytest.mark.parametrize(
    ("text", "kind", "inner"),
    [
        ("“The bridge is closed.”", "direct", "The bridge is closed."),
        ("''We will rebuild it,''", "direct", "We will rebuild it,"),
        ("the closure was “a disgrace” and would end", "mixed", None),
        ("the bridge was closed", "indirect", "the bridge was closed"),
        ("they’ve closed the bridge", "indirect", "they’ve closed the bridge"),
    ],
)
def test_the_kind_comes_from_the_quotation_marks(text, kind, inner):
    found, start, end = kind_of(text)
    assert found == kind
    assert text[start:end] == (inner if inner is not None else text)


def test_a_quotation_the_parse_cut_is_put_back_together():
    quotes = find_quotes("“The bridge is closed. It will stay closed,” the mayor said.")
    assert extend_to_quotes(1, 22, None, quotes) == (0, 44)
    # The cue's own quotation is not stretched over the cue.
    assert extend_to_quotes(1, 22, (10, 15), quotes) == (1, 22)


def test_only_an_open_quotation_continues_in_the_next_paragraph():
    text = "“It will stay closed.”"
    assert continue_quotes(None, 1, text, 100, find_quotes(text)) is None
