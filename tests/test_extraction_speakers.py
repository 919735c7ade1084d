"""Speakers: name and role, kind, and pronouns resolved to the nearest fitting antecedent."""

from __future__ import annotations

from claims.extraction import extract


def claim_with(result, fragment):
    matches = [c for c in result.claims if fragment in c.content]
    assert matches, [c.content for c in result.claims]
    return matches[0]


def test_title_and_name_are_split():
    result = extract("US Assistant Secretary of State David Schenker said the talks had failed.")
    claim = claim_with(result, "the talks had failed")
    assert claim.speaker_name == "David Schenker"
    assert claim.speaker_role == "US Assistant Secretary of State"
    assert claim.speaker_kind == "person"


def test_an_apposition_gives_the_role():
    result = extract("Qais al-Khazali, leader of the militia, said the protest would go on.")
    claim = claim_with(result, "the protest would go on")
    assert claim.speaker_name == "Qais al-Khazali"
    assert claim.speaker_role == "leader of the militia"


def test_media_government_and_organisation_kinds():
    result = extract(
        "Reuters reported that the airport had closed. "
        "Iraq said the strikes were illegal. "
        "US officials said more troops were coming."
    )
    assert claim_with(result, "the airport had closed").speaker_kind == "media"
    assert claim_with(result, "the strikes were illegal").speaker_kind == "government"
    assert claim_with(result, "more troops were coming").speaker_kind == "government"


def test_he_resolves_to_the_last_person():
    result = extract(
        "Prime Minister Adel Abdul Mehdi met the envoy on Monday. "
        "He said the talks had been useful."
    )
    claim = claim_with(result, "the talks had been useful")
    assert claim.speaker == "He"
    assert claim.speaker_name == "Adel Abdul Mehdi"
    assert claim.speaker_kind == "person"


def test_they_resolves_to_a_group_of_people():
    result = extract('Protesters threw stones at the gate as they chanted: "No, no America!"')
    claim = claim_with(result, "No, no America!")
    assert claim.speaker == "they"
    assert claim.speaker_name == "Protesters"


def test_the_ministry_resolves_to_the_named_ministry():
    result = extract(
        "The Iraqi Foreign Ministry summoned the ambassador. "
        "The ministry said the strikes violated Iraq's sovereignty."
    )
    claim = claim_with(result, "the strikes violated")
    assert claim.speaker == "The ministry"
    assert "Foreign Ministry" in claim.speaker_name
    assert claim.speaker_kind == "government"


def test_an_unresolvable_pronoun_keeps_the_mention():
    claim = claim_with(extract("She said the vote was delayed."), "the vote was delayed")
    assert claim.speaker == "She"
    assert claim.speaker_name is None
    assert claim.speaker_kind == "unknown"


def test_he_prefers_the_subject_of_the_previous_sentence():
    result = extract("Trump met Biden on Monday. He said the talks went well.")
    claim = claim_with(result, "the talks went well")
    assert claim.speaker == "He"
    assert claim.speaker_name == "Trump"
    assert claim.speaker_kind == "person"


def test_she_prefers_the_subject_over_a_nearer_named_object():
    result = extract(
        "Angela Merkel telephoned Emmanuel Macron on Tuesday. She said the deal was fair."
    )
    assert claim_with(result, "the deal was fair").speaker_name == "Angela Merkel"


def test_a_new_subject_in_between_takes_over():
    result = extract(
        "Trump met Biden on Monday. Biden arrived two hours late. He said the talks went well."
    )
    assert claim_with(result, "the talks went well").speaker_name == "Biden"


def test_a_plural_subject_does_not_take_he():
    result = extract(
        "The senator Mary Jones visited the port. The dockers welcomed her warmly. "
        "She said the port would stay open."
    )
    assert claim_with(result, "the port would stay open").speaker_name == "Mary Jones"


def test_they_still_resolves_to_the_protesters_after_a_named_subject():
    result = extract(
        "Hundreds of protesters gathered outside the embassy as Ali Hassan watched. "
        'They chanted: "Go home!"'
    )
    assert claim_with(result, "Go home!").speaker_name == "protesters"


def test_you_addressed_to_the_reader_is_not_a_speaker():
    result = extract("If you want to retire early, you should know that the rules changed in 2011.")
    assert not [c for c in result.claims if (c.speaker or "").lower() == "you"]


def test_a_dateline_is_never_the_speaker():
    result = extract(
        "ST CATHERINE, Jamaica (AW) — Three people were killed in a fire on Tuesday, police said."
    )
    claim = claim_with(result, "Three people were killed")
    assert claim.speaker == "police"
    assert not claim.content.startswith("ST CATHERINE")


def test_a_named_place_is_never_a_speaker():
    result = extract("Times Square said nothing about the parade, which drew 2,000 people.")
    assert not [c for c in result.claims if c.speaker == "Times Square"]


def test_broadcast_labels_are_not_people():
    result = extract(
        "Anchor: The minimum wage will rise by 2.9 percent, the smallest rise in a decade.\n\n"
        "Report: The wage commission said the hourly minimum would be 8,590 won."
    )
    assert {c.speaker for c in result.claims} <= {None, "The wage commission"}


def test_who_is_the_person_even_when_the_clause_hangs_on_an_organisation():
    result = extract(
        "A spokeswoman for the fire brigade, who asked not to be named, said the fire started "
        "in the kitchen."
    )
    claim = claim_with(result, "not to be named")
    assert claim.speaker == "who"
    assert claim.speaker_name == "spokeswoman"


def test_it_is_the_organisation_an_apposition_describes():
    result = extract(
        "Island Power, the state electricity company, sent engineers to the scene. It said the "
        "supply would be restored by Thursday."
    )
    assert claim_with(result, "restored by Thursday").speaker_name == "Island Power"


def test_we_inside_a_quotation_is_the_quoted_speaker():
    result = extract(
        "The minister told parliament: ‘We believe the tax is fair.’ Critics said “no”."
    )
    claim = claim_with(result, "the tax is fair")
    assert claim.speaker_name == "minister"
    assert claim.statement == "The minister said: “We believe the tax is fair.”"
