"""Queries from claims: speaker, entities, numbers with what they count, key terms."""

from __future__ import annotations

from claims.corroboration.queries import build_query, entities, quantities

EMBASSY = (
    "Hundreds of Iraqi protesters have broken down the gate of the US embassy in Baghdad as "
    "they attempt to storm the compound."
)
SCHENKER = (
    'the strikes, carried out by F-15 planes, were a message to Iran after months of "restraint"'
)


def test_entities_are_runs_of_capitalised_words():
    found = entities("Reuters reports that US Assistant Secretary of State David Schenker spoke.")
    assert found == ["Reuters", "US Assistant Secretary of State David Schenker"]


def test_a_common_word_starting_a_sentence_is_not_an_entity():
    assert entities(EMBASSY) == ["Iraqi", "US", "Baghdad"]
    assert entities("The Kataib Hezbollah is the militia.") == ["Kataib Hezbollah"]


def test_an_acronym_is_not_the_pronoun_us():
    query = build_query(EMBASSY)
    assert "us" in query.terms
    assert "US" in query.entities


def test_designations_like_f_15_stay_whole():
    query = build_query(SCHENKER, speaker="David Schenker")
    assert "F-15" in query.entities
    assert not query.quantities  # F-15 is a name, not the number 15


def test_numbers_carry_what_they_count():
    found = quantities(
        "The strikes caused at least 25 deaths and injured another 55 people; more than "
        "5,000 US military personnel are based in Iraq; they hit three targets."
    )
    assert [(q.value, q.unit) for q in found] == [
        (25, ("deaths",)),
        (55, ("people",)),
        (5000, ("US".lower(), "military", "personnel")),
        (3, ("targets",)),
    ]


def test_years_are_dates_not_figures():
    assert quantities("US forces were welcomed back in 2014 by the government.") == []


def test_figures_in_words_and_with_scale_words():
    found = quantities("about 5.5 million people and two dozen rockets; Fatalities: 19")
    assert [(q.value, q.unit) for q in found] == [
        (5_500_000, ("people",)),
        (2, ()),
        (12, ("rockets",)),
        (19, ("fatalities",)),
    ]


def test_wording_sets_the_range_a_figure_allows():
    more_than, about, exact = quantities("more than 5,000 troops, about 20 rockets, 19 dead")
    assert more_than.bounds() == (5000, float("inf"))
    assert about.bounds() == (17, 23)
    assert exact.bounds() == (19, 19)


def test_keywords_lead_with_the_speaker_and_names():
    query = build_query(SCHENKER, speaker="David Schenker")
    words = query.keywords().split()
    assert words[:3] == ["Schenker", "F-15", "Iran"]
    assert "restraint" in words
    assert "the" not in words and "were" not in words


def test_search_text_names_the_speaker():
    query = build_query("The strikes were a message.", speaker="  David   Schenker ")
    assert query.search_text() == "David Schenker The strikes were a message."
