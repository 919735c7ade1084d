"""Attribution: cue orders, quotation styles, kinds and chains, on sentences we wrote."""

from __future__ import annotations

import pytest

from claims.extraction import extract


def only_claim(text, kind=None):
    claims = [c for c in extract(text).claims if c.kind != "unattributed" or kind == "unattributed"]
    assert len(claims) >= 1, claims
    return claims[0]


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


def test_a_chain_of_attribution():
    claim = only_claim("Reuters reports that the ambassador left the city, citing two officials.")
    assert claim.speaker == "Reuters"
    assert claim.via == ["two officials"]
    assert claim.content == "the ambassador left the city"


def test_in_a_statement_is_part_of_the_cue():
    claim = only_claim("The ministry said in a statement that the border was open.")
    assert claim.cue == "said in a statement"
    assert claim.content == "the border was open"


def test_unattributed_facts_and_no_claim_from_opinion():
    result = extract("Three people were killed in the blast on Monday. What a terrible day!")
    facts = [c for c in result.claims if c.kind == "unattributed"]
    assert [c.content for c in facts] == ["Three people were killed in the blast on Monday."]


def test_i_think_is_not_a_report():
    assert not [c for c in extract("I think it is fine.").claims if c.cue == "think"]


def test_a_parenthetical_cue_keeps_the_whole_sentence_as_content():
    claim = only_claim("The mayor, officials said, would resign on Friday.")
    assert claim.speaker == "officials"
    assert claim.cue == "said"
    assert claim.content == "The mayor, officials said, would resign on Friday"


def test_a_cue_ending_a_paragraph_takes_the_next_paragraphs_quote():
    claims = extract('The mayor said:\n\n"The bridge will reopen on Friday."').claims
    assert [(c.speaker, c.kind, c.content) for c in claims] == [
        ("The mayor", "direct", "The bridge will reopen on Friday.")
    ]


def test_doubled_apostrophes_are_quotation_marks():
    claim = only_claim("''We will rebuild it,'' the mayor said.")
    assert claim.kind == "direct"
    assert claim.content == "We will rebuild it"


def test_a_passive_report_with_its_agent():
    claim = only_claim("The move was first reported by MSNBC.")
    assert claim.speaker == "MSNBC"
    assert claim.content == "The move"


def test_an_apposition_hung_on_the_subject_does_not_swallow_the_claim():
    claim = only_claim("US officials believe Iran was behind the attack, a claim Tehran denies.")
    assert claim.speaker == "US officials"
    assert claim.content == "Iran was behind the attack"


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
