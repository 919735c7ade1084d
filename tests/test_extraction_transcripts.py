"""Transcripts: turns, speakers and roles, and the claims each speaker's turns yield."""

from __future__ import annotations

from claims.extraction.transcript_claims import extract_transcript
from claims.extraction.transcripts import guess_roles, parse_transcript

DEBATE = """\
Democratic candidates debate, Durham, New Hampshire
PARTICIPANTS: Former Secretary of State Hillary Clinton (D-NY); Senator Bernie Sanders (I-VT)
MODERATORS: Chuck Todd (NBC News) and Rachel Maddow (MSNBC)

TODD: Good evening. What would you do about guns?
CLINTON: We lose 33,000 people a year to gun violence.

And Senator Sanders voted against the Brady Bill five times.
SANDERS: I voted against the war in Iraq in 2002.
(APPLAUSE)
MADDOW: Senator, is that a fair description of your record?
"""


def texts(text, transcript):
    return [(turn.label, text[turn.start : turn.end]) for turn in transcript.turns]


def test_speaker_turns_run_from_label_to_label():
    transcript = parse_transcript(DEBATE)
    assert [turn.label for turn in transcript.turns] == ["TODD", "CLINTON", "SANDERS", "MADDOW"]
    clinton = transcript.turns[1]
    assert DEBATE[slice(*clinton.label_span)] == "CLINTON"
    assert DEBATE[clinton.start : clinton.end] == (
        "We lose 33,000 people a year to gun violence.\n\n"
        "And Senator Sanders voted against the Brady Bill five times."
    )


def test_a_line_without_a_speaker_carries_on_the_turn_before_it():
    transcript = parse_transcript(DEBATE)
    clinton, sanders = transcript.turns[1], transcript.turns[2]
    assert len(clinton.paragraphs) == 2
    assert DEBATE[slice(*sanders.paragraphs[1])] == "(APPLAUSE)"
    # Before the first turn: the preamble, which no speaker said.
    assert DEBATE[slice(*transcript.preamble)].startswith("Democratic candidates debate")
    assert transcript.preamble[1] <= transcript.turns[0].label_span[0]


def test_the_header_names_speakers_in_full_with_their_roles():
    turns = {turn.label: turn for turn in parse_transcript(DEBATE).turns}
    assert (turns["CLINTON"].name, turns["CLINTON"].role_text) == (
        "Hillary Clinton",
        "Former Secretary of State",
    )
    assert turns["CLINTON"].role == "candidate"
    assert (turns["SANDERS"].name, turns["SANDERS"].role_text) == ("Bernie Sanders", "Senator")
    assert turns["TODD"].name == "Chuck Todd"
    assert turns["TODD"].role == turns["MADDOW"].role == "moderator"
    assert turns["TODD"].moderator and not turns["CLINTON"].moderator


def test_a_moderator_marked_by_the_label():
    text = "MODERATOR: Welcome to the debate.\nSMITH: I cut taxes.\nJONES: He did not."
    turns = parse_transcript(text).turns
    assert [(t.label, t.role) for t in turns] == [
        ("MODERATOR", "moderator"),
        ("SMITH", "candidate"),
        ("JONES", "candidate"),
    ]
    assert turns[0].name is None and turns[0].role_text == "Moderator"
    assert turns[1].name == "Smith"


def test_a_moderator_marked_by_the_newsrooms_setting():
    text = "HOLT: Welcome to the debate.\nTRUMP: We lost jobs.\nCLINTON: We created jobs."
    plain = {t.label: t.role for t in parse_transcript(text).turns}
    assert plain["HOLT"] == "candidate"
    marked = {t.label: t.role for t in parse_transcript(text, moderators=["Lester Holt"]).turns}
    assert marked == {"HOLT": "moderator", "TRUMP": "candidate", "CLINTON": "candidate"}


def test_a_speaker_who_mostly_asks_is_taken_for_a_moderator():
    turns = [
        ("WALLACE", "Good evening. Why should voters trust you? What is your plan?"),
        ("TRUMP", "We have the worst trade deals. We lost 70,000 factories. Believe me. Sad."),
        ("TRUMP", "Our jobs are fleeing the country. They are going to Mexico."),
        ("WALLACE", "Secretary Clinton, your answer? Is he right?"),
        ("CLINTON", "He is wrong. We created 15 million jobs. That is a fact."),
    ]
    roles = guess_roles(turns)
    assert roles == {"WALLACE": "moderator", "TRUMP": "candidate", "CLINTON": "candidate"}


def test_labels_with_titles_honorifics_and_title_case():
    text = (
        "MR. SCHWAB: Thank you, Mr. President.\n"
        "PRESIDENT TRUMP: The economy is booming.\n"
        "SEN. BERNIE SANDERS (D-VT): Wages are flat.\n"
        "Anderson Cooper: What about wages?\n"
        "Anderson Cooper: And taxes?\n"
        "AUDIENCE: (Laughter.)\n"
    )
    turns = parse_transcript(text).turns
    assert [t.label for t in turns] == [
        "MR. SCHWAB",
        "PRESIDENT TRUMP",
        "SEN. BERNIE SANDERS (D-VT)",
        "Anderson Cooper",
        "Anderson Cooper",
        "AUDIENCE",
    ]
    names = [(t.name, t.role_text, t.role) for t in turns]
    assert names[0][0] == "Schwab"
    assert names[1] == ("Trump", "President", "official")
    assert names[2] == ("Bernie Sanders", "Sen.", "official")
    assert names[3][0] == "Anderson Cooper"
    assert names[5] == (None, "Audience", "audience")


def test_colons_that_are_not_turns():
    text = (
        "SMITH: The plant closed in May.\n"
        "Note: the figures are from the census.\n"
        "Her answer: no.\n"
        "The time was 10:30 when it ended.\n"
    )
    turns = parse_transcript(text).turns
    assert [t.label for t in turns] == ["SMITH"]
    assert len(turns[0].paragraphs) == 4


def test_an_interviews_question_and_answer_format():
    text = (
        "Interview with the mayor of Springfield\n"
        "INTERVIEWEE: Mayor Jane Quimby\n"
        "\n"
        "Q: How many police officers did the city hire last year?\n"
        "A: We hired 120 officers in 2023, the most since 1990.\n"
        "Q: And crime?\n"
        "A: Burglaries fell by a third.\n"
    )
    transcript = parse_transcript(text)
    turns = transcript.turns
    assert [t.label for t in turns] == ["Q", "A", "Q", "A"]
    assert all(t.role == "moderator" and t.moderator for t in turns[::2])
    assert all(t.name == "Jane Quimby" and t.role_text == "Mayor" for t in turns[1::2])
    assert all(t.yields_claims for t in turns[1::2])
    result = extract_transcript(text)
    assert [c.content for c in result.claims] == [
        "We hired 120 officers in 2023, the most since 1990."
    ] or all(c.speaker_name == "Jane Quimby" for c in result.claims)
    assert result.claims and all(c.speaker == "A" for c in result.claims)
    assert result.headline == "Interview with the mayor of Springfield"


def test_claims_are_the_speakers_sentences_and_moderators_yield_none():
    result = extract_transcript(DEBATE)
    claims = {c.content: c for c in result.claims}
    gun = claims["We lose 33,000 people a year to gun violence."]
    assert (gun.kind, gun.speaker, gun.speaker_name) == ("direct", "CLINTON", "Hillary Clinton")
    assert gun.speaker_role == "Former Secretary of State"
    assert DEBATE[slice(*gun.speaker_span)] == "CLINTON"
    assert DEBATE[slice(*gun.content_span)] == gun.content
    # A first-person sentence that nobody attributed inside the text is a claim all the same.
    assert "I voted against the war in Iraq in 2002." in claims
    assert not [c for c in result.claims if c.speaker in ("TODD", "MADDOW")]
    assert "(APPLAUSE)" not in claims
    # Every sentence is a candidate, moderators' too, each with the speaker's role.
    roles = {DEBATE[slice(*c.sentence_span)]: c.role for c in result.candidates}
    assert roles["What would you do about guns?"] == "moderator"
    assert roles["(APPLAUSE)"] == "official"
    assert len(result.candidates) == 7


def test_a_text_with_no_turns_yields_no_claims():
    result = extract_transcript("Just a paragraph of prose, with no speakers in it at all.")
    assert result.claims == [] and result.candidates == []
