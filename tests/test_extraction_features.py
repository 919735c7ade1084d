"""Check-worthiness features one by one, on sentences we wrote: present in one, absent in other."""

from __future__ import annotations

import pytest

from claims.extraction import load_nlp
from claims.extraction.features import FEATURE_NAMES, as_dict, claim_features


def features(text: str, role: str | None = None, proposition: str | None = None) -> dict:
    doc = load_nlp()(text)
    content = None
    if proposition is not None:
        start = text.index(proposition)
        content = doc.char_span(start, start + len(proposition), alignment_mode="expand")
    return as_dict(claim_features(doc, role=role, proposition=content))


@pytest.mark.parametrize(
    ("name", "present", "absent"),
    [
        ("number", "Unemployment fell to 4.9 percent in January.", "Unemployment fell in winter."),
        ("large_number", "The plan costs 3 billion dollars.", "The plan costs three dollars."),
        ("large_number", "We lose 33,000 people a year.", "It happened in 2016 and 2017."),
        ("percent_or_money", "Taxes rose by 12 percent.", "Taxes rose by a lot."),
        ("percent_or_money", "The wall would cost $25 billion.", "The wall would cost a lot."),
        ("comparison", "Crime is higher than it was.", "Crime is a problem in the city."),
        ("comparison", "The deficit doubled under his watch.", "The deficit is a topic here."),
        ("person", "Hillary Clinton voted for the war.", "The senator voted for the war."),
        ("place_or_organisation", "NATO troops left Iraq.", "The troops left early on."),
        ("date_or_time", "The strikes began on Sunday.", "The strikes began after that."),
        ("statistics_vocabulary", "The unemployment rate is falling.", "The weather is nice."),
        ("policy_vocabulary", "The bill would raise taxes on workers.", "He went home late."),
        ("past_tense", "He signed the order.", "He signs orders every day."),
        ("perfect_aspect", "They have broken down the gate.", "They break down the gate."),
        ("present_tense", "The embassy is closed.", "The embassy was closed."),
        ("future_or_modal", "We will build a wall.", "We built a wall."),
        ("future_or_modal", "We are going to end welfare for them.", "We are ending it now."),
        ("first_person_past_action", "I voted against the war.", "He voted against the war."),
        ("first_person_past_action", "We have cut taxes twice.", "We cut taxes every year."),
        ("first_person", "We lose thousands of people.", "They lose thousands of people."),
        ("second_person", "You raised taxes on them.", "She raised taxes on them."),
        ("negation", "He never paid any taxes.", "He paid his taxes in full."),
        ("hedge", "I think the economy is growing.", "The economy is growing fast."),
        ("opinion", "It was a disgraceful, shameful night.", "It was a night in May."),
        ("opinion", "He urged the crowd to leave.", "He asked the crowd a question."),
        ("courtesy", "Thank you very much, everybody.", "Taxes went up for everybody."),
        ("question", "Did you vote for the war?", "You voted for the war."),
        ("exclamation", "No, no America!", "No, said the minister."),
        ("short", "Thank you.", "The strikes killed 25 fighters."),
    ],
)
def test_each_feature_is_present_in_one_sentence_and_absent_in_the_other(name, present, absent):
    assert features(present)[name] > 0, present
    assert features(absent)[name] == 0, absent


def test_counts_are_graded_and_capped():
    one = features("Obama met Merkel.")["entities"]
    many = features("Obama met Merkel, Putin, Xi, Modi and Abe in Paris on Monday.")["entities"]
    assert 0 < one < many == 1.0
    assert 0 < features("Taxes went up.")["length"] < features("Taxes " * 60)["length"] == 1.0


def test_the_speakers_role():
    sentence = "We cut taxes by 10 percent."
    assert features(sentence, role="moderator")["role_moderator_or_host"] == 1.0
    assert features(sentence, role="host")["role_moderator_or_host"] == 1.0
    assert features(sentence, role="audience")["role_audience"] == 1.0
    for role in ("candidate", "official", None):
        values = features(sentence, role=role)
        assert values["role_moderator_or_host"] == values["role_audience"] == 0.0


def test_tense_is_read_in_what_is_claimed_not_in_the_cue():
    sentence = "The minister said the bridge will close."
    whole = features(sentence)
    assert whole["past_tense"] == 1.0  # "said"
    claimed = features(sentence, proposition="the bridge will close")
    assert claimed["past_tense"] == 0.0
    assert claimed["future_or_modal"] == 1.0
    # Without a verb in the content ("voted" / "against the Brady Bill") the cue's tense counts.
    fragment = features(
        "Sanders voted against the Brady Bill.", proposition="against the Brady Bill"
    )
    assert fragment["past_tense"] == 1.0


def test_the_us_is_not_us():
    assert features("The US hit three targets.")["first_person"] == 0.0
    assert features("They hit us three times.")["first_person"] == 1.0


def test_the_vector_follows_the_feature_names():
    vector = claim_features(load_nlp()("The strikes killed 25 fighters on Sunday."))
    assert len(vector) == len(FEATURE_NAMES)
    assert all(0.0 <= value <= 1.0 for value in vector)


def test_odd_digits_are_no_numbers_to_count():
    assert features("The footnote¹ says 12,000 people came.")["large_number"] == 1.0
    assert features("¹ ² ³")["large_number"] == 0.0
