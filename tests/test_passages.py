"""Passage finding and re-ranking: term weights, names, numbers, dates and the speaker."""

from __future__ import annotations

import pytest

from claims.corroboration.archive import archive_search, archive_upsert
from claims.corroboration.passages import (
    ClaimQuery,
    best_passage,
    entities,
    numbers,
    rerank,
    sentence_spans,
    stems,
)
from claims.models import ArchiveDocument

Kind = ArchiveDocument.Kind

PAGE = (
    "Officials met on Monday to discuss the budget. "
    "Protesters broke through the main gate of the US embassy in Baghdad on Tuesday. "
    "Iraqi officials said the ambassador and embassy staff were not in the building. "
    "The weather was mild for the season."
)


def test_best_passage_finds_the_sentences_about_the_claim_with_offsets():
    passage = best_passage("The ambassador and embassy staff were not in the building", PAGE)
    assert (
        passage.text
        == "Iraqi officials said the ambassador and embassy staff were not in the building."
    )
    assert PAGE[passage.start : passage.end] == passage.text
    assert passage.score == 1.0


def test_best_passage_joins_neighbouring_sentences_when_the_claim_spans_them():
    passage = best_passage("Protesters broke the embassy gate; the ambassador was not there", PAGE)
    assert "main gate" in passage.text and "ambassador" in passage.text


def test_rare_words_count_more_than_common_ones():
    filler = "Nothing else of note happened in the long meeting about roads and parks. " * 12
    page = f"Officials said many things on Tuesday. {filler}The F-15 jets struck Kataib Hezbollah."
    idf = {stem: 1.0 for stem in stems(page)} | {"hezbollah": 8.0, "kataib": 8.0}
    passage = best_passage("officials said Kataib Hezbollah", page, idf=idf)
    assert passage.text.startswith("The F-15 jets")


def test_best_passage_of_nothing_is_empty():
    assert best_passage("claim", "").text == ""
    assert best_passage("", PAGE).text == ""


def test_sentences_split_on_full_stops_and_lines_but_not_on_abbreviated_numbers():
    spans = sentence_spans("It cost 2.5 million dollars. Mr Smith said so.\nNext line")
    assert len(spans) == 3


def test_numbers_are_read_with_digits_commas_and_words():
    assert numbers("More than 5,000 troops and three bases; 25 killed on 29 December") == {
        "5000",
        "3",
        "25",
        "29",
    }


def test_entities_are_capitalised_names_not_sentence_starts_or_months():
    found = entities(
        "The strikes hit Kataib Hezbollah in Iraq on Tuesday in December. Later it ended."
    )
    assert {"kataib", "hezbollah", "iraq"} <= found
    assert "later" not in found and "decemb" not in found


@pytest.mark.django_db
def test_rerank_puts_the_document_that_says_the_same_first_and_gives_reasons():
    right = archive_upsert(
        kind=Kind.CORPUS,
        key="right",
        url="https://example.org/right",
        title="Strikes",
        text="The Pentagon said the strikes killed 25 fighters of Kataib Hezbollah in Iraq.",
    )
    archive_upsert(
        kind=Kind.CORPUS,
        key="wrong",
        url="https://example.org/wrong",
        title="Strikes strikes strikes",
        text="Strikes by workers closed schools. Strikes continued. Fighters of a boxing club.",
    )
    claim = ClaimQuery("US strikes killed 25 Kataib Hezbollah fighters", speaker="Pentagon")
    ranked = rerank(claim, archive_search(claim.text), use_semantic=False)
    assert ranked[0].document == right
    assert 0 < ranked[-1].score < ranked[0].score <= 1
    reasons = " ".join(ranked[0].reasons)
    assert "numbers agree: 25" in reasons
    assert "speaker named" in reasons


@pytest.mark.django_db
def test_rerank_flags_numbers_that_disagree():
    archive_upsert(
        kind=Kind.CORPUS,
        key="nineteen",
        url="https://example.org/19",
        title="",
        text="Officials said the strikes killed 19 fighters of Kataib Hezbollah.",
    )
    (ranked,) = rerank(
        "The strikes killed 25 Kataib Hezbollah fighters",
        archive_search("strikes killed 25 Kataib Hezbollah fighters"),
        use_semantic=False,
    )
    assert ranked.number_disagreement == (["25"], ["19"])
    assert "numbers disagree: 25 in the claim, 19 here" in ranked.reasons


def test_rerank_of_nothing_is_nothing():
    assert rerank("anything", []) == []


@pytest.mark.django_db
def test_rerank_takes_a_claim_as_its_statement_and_speaker():
    from tests import factories

    speaker = factories.SpeakerFactory(name="David Schenker")
    claim = factories.ClaimFactory(
        speaker=speaker, cue="said", content="the strikes were a message to Iran"
    )
    query = ClaimQuery.for_claim(claim)
    assert query.speaker == "David Schenker"
    assert query.text == claim.display_statement
    archive_upsert(kind=Kind.CORPUS, key="k", url="https://example.org/k", title="",
                   text="David Schenker said the strikes were a message to Iran.")  # fmt: skip
    (ranked,) = rerank(claim, archive_search(query.text), use_semantic=False)
    assert "speaker named" not in ranked.reasons  # the statement already names him
    assert ranked.passage.score == 1.0
