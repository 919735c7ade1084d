"""Check-worthiness on sentences we wrote: checkable content ranks high whoever reports it."""

from __future__ import annotations

from claims.extraction import extract


def claim_with(text, fragment):
    matches = [c for c in extract(text).claims if fragment in c.content]
    assert matches, [c.content for c in extract(text).claims]
    return matches[0]


def test_an_attributed_present_state_is_not_penalised_against_the_outlets_own():
    reported = claim_with(
        "The Associated Press reports that the Canadian consul is not in Lagos, citing "
        "Nigerian police.",
        "the Canadian consul is not in Lagos",
    )
    stated = claim_with("The Canadian consul is not in Lagos this week.", "consul")
    assert reported.kind == "indirect"
    assert stated.kind == "unattributed"
    assert reported.checkworthiness >= stated.checkworthiness - 0.05


def test_a_present_tense_state_counts_as_checkable():
    state = claim_with("The mayor said the Rhine bridge is closed.", "the Rhine bridge is closed")
    forecast = claim_with(
        "The mayor said the Rhine bridge will probably close.", "the Rhine bridge will"
    )
    assert state.checkworthiness > forecast.checkworthiness


def test_exhortations_chants_and_opinions_stay_below_reported_facts():
    fact = claim_with(
        "Police in Leeds said 14 people were arrested on Saturday.", "14 people were arrested"
    )
    exhortation = claim_with("A steward urged the fans to stay calm.", "the fans to stay calm")
    chant = claim_with('The fans chanted: "Out, out, out!"', "Out, out, out!")
    opinion = claim_with(
        'The coach said: "It was a disgraceful, shameful night for us."', "disgraceful"
    )
    for low in (exhortation, chant, opinion):
        assert fact.checkworthiness > low.checkworthiness, low.content
