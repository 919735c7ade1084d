"""Statements: a standalone sentence per claim, from speaker, cue and content."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from claims.extraction.statement import StatementParts, draft, past_tense


def statement_for(text: str, fragment: str) -> str:
    claims = [c for c in extract(text).claims if fragment in c.content]
    assert claims, [c.content for c in extract(text).claims]
    return claims[0].statement


@pytest.mark.parametrize(
    ("text", "fragment", "statement"),
    [
        (
            "Taylor Swift accused Big Machine of holding back permission to use any music in a "
            "Netflix documentary.",
            "Big Machine",
            "Taylor Swift accused Big Machine of holding back permission to use any music in a "
            "Netflix documentary.",
        ),
        (
            "The bridge was closed, the mayor said.",
            "bridge",
            "The mayor said the bridge was closed.",
        ),
        (
            "“We will rebuild it,” the mayor said.",
            "rebuild",
            "The mayor said: “We will rebuild it.”",
        ),
        (
            "The mayor, officials said, would resign on Friday.",
            "resign",
            "Officials said the mayor would resign on Friday.",
        ),
        (
            "The bridge was closed, according to the mayor.",
            "bridge",
            "According to the mayor, the bridge was closed.",
        ),
        (
            "The police urged residents to stay indoors, saying the storm was dangerous.",
            "storm",
            "The police said the storm was dangerous.",
        ),
        (
            "The ministry said in a statement that the border was open.",
            "border",
            "The ministry said in a statement that the border was open.",
        ),
        (
            "The ferry is believed to be carrying 300 passengers.",
            "ferry",
            "The ferry is believed to be carrying 300 passengers.",
        ),
        (
            "The move was first reported by MSNBC.",
            "move",
            "The move was first reported by MSNBC.",
        ),
        (
            "Gov. Kim Lee is defending her decision to sign the bill.",
            "decision",
            "Gov. Kim Lee is defending her decision to sign the bill.",
        ),
        (
            "The minister told parliament: ‘We believe that the tax is fair.’ Critics said “no”.",
            "tax is fair",
            "The minister said: “We believe that the tax is fair.”",
        ),
    ],
)
def test_statements_read_as_sentences(text, fragment, statement):
    assert statement_for(text, fragment) == statement


def test_a_pronoun_speaker_is_resolved():
    text = "Prime Minister Adel Abdul Mehdi met the envoy on Monday. He said the talks were useful."
    assert statement_for(text, "talks") == "Adel Abdul Mehdi said the talks were useful."


def test_which_is_the_body_it_stands_for():
    text = "The company, which said it had cut 300 jobs, declined to comment."
    assert statement_for(text, "300 jobs") == "The company said it had cut 300 jobs."


def test_it_is_the_named_organisation():
    text = (
        "Island Power, the state electricity company, sent engineers. It said the supply "
        "would be restored by Thursday."
    )
    assert statement_for(text, "supply") == (
        "Island Power said the supply would be restored by Thursday."
    )


def test_an_outlets_own_fact_gets_its_leading_pronoun_resolved():
    text = "Prime Minister Adel Abdul Mehdi met the envoy. He was elected in 2018 with 120 votes."
    assert statement_for(text, "elected") == "Adel Abdul Mehdi was elected in 2018 with 120 votes."


def test_the_content_stays_what_the_source_said():
    [claim] = [c for c in extract("The bridge was closed, the mayor said.").claims]
    assert claim.content == "The bridge was closed"
    assert claim.statement == "The mayor said the bridge was closed."


@pytest.mark.parametrize(
    ("lemma", "past"),
    [("say", "said"), ("warn", "warned"), ("deny", "denied"), ("urge", "urged"), ("tell", "told")],
)
def test_past_tense(lemma, past):
    assert past_tense(lemma) == past


def test_a_noun_cue_becomes_its_verb():
    parts = StatementParts(
        kind="indirect",
        content="the trade deal",
        sentence="His criticism of the trade deal was sharp.",
        speaker="Senator Jones",
        cue="criticism",
        cue_lemma="criticism",
        noun_cue=True,
    )
    assert draft(parts) == "Senator Jones criticised the trade deal."


def test_a_gerund_cue_becomes_a_finite_verb():
    parts = StatementParts(
        kind="indirect",
        content="the storm was dangerous",
        sentence="…",
        speaker="The police",
        cue="warning",
        cue_lemma="warn",
        cue_finite=False,
    )
    assert draft(parts) == "The police warned the storm was dangerous."


def test_a_statement_issued_in_the_next_paragraphs_is_said():
    text = (
        "WASHINGTON, DC - Senator Jack Reed issued the following statement:\n\n"
        "“I am thankful that no Americans were harmed today.”"
    )
    assert statement_for(text, "thankful") == (
        "Senator Jack Reed said: “I am thankful that no Americans were harmed today.”"
    )


def test_a_possessive_opening_the_content_is_not_a_quotation():
    text = "The United States urges our allies in Brussels to follow the German example."
    assert statement_for(text, "allies") == (
        "The United States urges our allies in Brussels to follow the German example."
    )
