"""Suggested stances: explainable, and never more than a suggestion."""

from __future__ import annotations

from claims.corroboration.queries import build_query
from claims.corroboration.stance import suggest_stance

CASUALTIES = (
    "Crowds have been gathering outside the building over controversial American airstrikes "
    "that killed 25 fighters of an Iran-backed militia."
)


def test_numbers_that_count_the_same_thing_and_disagree_refute():
    suggestion = suggest_stance(
        build_query(CASUALTIES), "The American airstrikes killed 19 fighters, officials said."
    )
    assert suggestion.stance == "refutes"
    assert suggestion.reason == "numbers disagree: 25 in the claim, 19 here"


def test_numbers_that_count_different_things_do_not_disagree():
    suggestion = suggest_stance(
        build_query(CASUALTIES),
        "The American airstrikes that killed 25 fighters of an Iran-backed militia also "
        "wounded 55 people, as crowds gathered outside the building.",
    )
    assert suggestion.stance == "supports"
    assert suggestion.reason == "the same figure: 25 fighters"


def test_a_bound_in_the_wording_is_respected():
    query = build_query("More than 5,000 US military personnel are based in Iraq.")
    agrees = suggest_stance(query, "About 5,200 US military personnel are based in Iraq.")
    disagrees = suggest_stance(query, "Some 4,000 US military personnel are based in Iraq.")
    assert agrees.stance == "supports"
    assert disagrees.reason == "numbers disagree: 5,000 in the claim, 4,000 here"


def test_a_passage_with_the_claims_words_and_names_supports():
    query = build_query(
        "Hundreds of Iraqi protesters have broken down the gate of the US embassy in Baghdad."
    )
    suggestion = suggest_stance(
        query, "Iraqi protesters broke down the gate of the U.S. Embassy in Baghdad on Tuesday."
    )
    assert suggestion.stance == "supports"
    assert "embassy" in suggestion.reason


def test_the_same_words_about_another_place_suggest_nothing():
    query = build_query("Protesters broke down the gate of the US embassy in Baghdad.")
    assert (
        suggest_stance(query, "Protesters broke down the gate of the French embassy in Tripoli.")
        is None
    )


def test_a_passage_about_something_else_suggests_nothing():
    query = build_query("Protesters broke down the gate of the US embassy in Baghdad.")
    assert suggest_stance(query, "The weather in Washington was mild on Sunday.") is None


def test_a_fact_checkers_rating_is_the_reason():
    query = build_query("The strikes killed 25 fighters.")
    refuting = suggest_stance(query, "Claim about strikes", rating="Mostly False")
    supporting = suggest_stance(query, "Claim about strikes", rating="Correct")
    unclear = suggest_stance(query, "Claim about strikes", rating="Needs context")
    assert (refuting.stance, refuting.reason) == (
        "refutes",
        "a fact-checker rated a similar claim “Mostly False”",
    )
    assert supporting.stance == "supports"
    assert unclear.stance == "context"
