"""The reference article (Sky News, 31 Dec 2019): the claims it must yield, none from furniture."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.extraction import ExtractionResult, extract

ARTICLE = (
    Path(__file__).resolve().parent.parent
    / "claims"
    / "demo_data"
    / "sky-baghdad-embassy-2019-12-31.txt"
)

FURNITURE_AND_CAPTIONS = [
    "You are using an older browser version",
    "UP NEXT",
    "AdChoices",
    "More from Sky News",
    "image beacon",
    "Watch: US attacks",
    "More follows",
    "a person that is on fire",
    "a group of people",
    "a construction site",
    "a person holding a flag",
    "© Reuters",
    "© Sky",
    "Imagebridge",
    "Protesters broke down the gate at the compound",
    "Iraqis burn a US national flag",
    "This protest sign reads",
    "Smoke rises as crowds attempt",
    "The now-destroyed headquarters",
    "Sky News logo",
]


@pytest.fixture(scope="module")
def text() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def result(text) -> ExtractionResult:
    return extract(text)


def find(result, content_fragment, kind=None):
    matches = [
        c
        for c in result.claims
        if content_fragment in c.content and (kind is None or c.kind == kind)
    ]
    assert matches, f"no claim with {content_fragment!r}"
    return matches[0]


def test_it_reads_the_metadata(result):
    assert result.headline == "Gunfire heard as protesters storm US embassy in Baghdad"
    assert result.outlet == "Sky News"
    assert result.published.isoformat() == "2019-12-31"
    assert result.language == "en"


def test_it_drops_furniture_alt_text_and_captions(result):
    for fragment in FURNITURE_AND_CAPTIONS:
        assert fragment not in result.cleaned_text, fragment


def test_it_keeps_every_sentence_of_the_story(result):
    for sentence in [
        "Hundreds of Iraqi protesters have broken down the gate",
        "Gunfire has been heard at the scene and there are reports of tear gas",
        "Reuters reports that US embassy staff",
        "They hit three targets in Iraq and two in Syria.",
        "More than 5,000 US military personnel are based in Iraq",
        "Concerns are growing that Iraq will become a new battleground",
        'an "unacceptable vicious assault that will have dangerous consequences".',
        'were a message to Iran after months of "restraint".',
    ]:
        assert sentence in result.cleaned_text, sentence


def test_cleaned_text_keeps_paragraphs_apart(result):
    paragraphs = result.cleaned_text.split("\n\n")
    assert paragraphs[0] == "Gunfire heard as protesters storm US embassy in Baghdad"
    assert paragraphs[-1].startswith("More than 5,000 US military personnel")
    assert len(paragraphs) == 25


def test_no_claim_comes_from_furniture_or_captions(result, text):
    for claim in result.claims:
        for fragment in FURNITURE_AND_CAPTIONS:
            assert fragment not in claim.content, (fragment, claim.content)
        assert "©" not in text[claim.content_span[0] : claim.content_span[1]]


def test_the_ap_journalist(result):
    claim = find(result, "seeing flames rising from inside")
    assert claim.speaker == "an Associated Press journalist"
    assert claim.speaker_kind == "person"
    assert claim.cue == "reported"
    assert claim.kind == "indirect"


def test_reuters_citing_iraqi_officials(result):
    claim = find(result, "US embassy staff and the US ambassador are not in the building")
    assert claim.speaker_name == "Reuters"
    assert claim.speaker_kind == "media"
    assert claim.cue == "reports"
    assert claim.via == ["Iraqi officials"]
    assert "citing" not in claim.content


def test_the_protesters_chant(result):
    claim = find(result, "No, no America! No, no Trump!")
    assert claim.kind == "direct"
    assert claim.speaker == "they"
    assert claim.speaker_name == "protesters"
    assert claim.cue == "chanted"


def test_the_man_on_the_loudspeaker(result):
    quote = find(result, "The message was delivered.")
    assert quote.kind == "direct"
    assert quote.speaker == "a man on a loudspeaker"
    assert quote.speaker_kind == "person"
    assert quote.cue == "saying"
    urged = find(result, "the crowd to desist")
    assert urged.cue == "urged"
    assert urged.speaker == "a man on a loudspeaker"


def test_iraqs_condemnation(result):
    claim = find(result, "Washington for the strikes")
    assert claim.content == "Washington for the strikes"  # the outlet's aside is not Iraq's
    assert claim.speaker_name == "Iraq"
    assert claim.speaker_kind == "government"
    assert claim.cue == "condemned"


def test_each_paragraph_of_deborah_haynes_quote_is_a_claim(result):
    openings = [
        "It's revived the absolute hatred",
        "That's in the wake of the 2003 invasion",
        "US forces were actually welcomed back in 2014",
    ]
    for opening in openings:
        claim = find(result, opening)
        assert claim.content.startswith(opening)
        assert claim.kind == "direct"
        assert claim.speaker == "Sky News' foreign affairs editor Deborah Haynes"
        assert claim.speaker_name == "Deborah Haynes"
        assert claim.speaker_role == "Sky News' foreign affairs editor"
        assert claim.speaker_kind == "person"
        assert claim.cue == "said"
    # One claim per paragraph, and none inside the quotation attributed to someone else.
    inside = [c for c in result.claims if "by the government, to help" in c.sentence]
    assert len(inside) == 1


def test_the_iraqi_national_security_council(result):
    claim = find(result, "it would reconsider working with the US-led coalition")
    assert claim.speaker_name == "Iraqi national security council"
    assert claim.speaker_kind == "government"
    assert claim.cue == "say"


def test_irans_accusation(result):
    claim = find(result, 'Washington of "an act of terrorism"')
    assert claim.speaker_name == "Iran"
    assert claim.speaker_kind == "government"
    assert claim.cue == "accused"
    assert claim.kind == "mixed"


def test_both_statements_of_us_officials(result):
    warned = find(result, "they were ready to launch more offensive action")
    assert warned.speaker_name == "US officials"
    assert warned.cue == "warned"
    said = find(result, "any violation of sovereignty had been carried out")
    assert said.speaker_name == "US officials"
    assert said.speaker_kind == "government"
    assert said.cue == "said"


def test_adel_abdul_mehdis_description(result):
    claim = find(result, "unacceptable vicious assault that will have dangerous consequences")
    assert claim.speaker_name == "Adel Abdul Mehdi"
    assert claim.speaker_role == "Prime Minister"
    assert claim.speaker_kind == "person"
    assert claim.cue == "described"
    assert claim.kind == "mixed"
    assert "a person holding a flag" not in claim.content


def test_david_schenkers_statement(result):
    claim = find(result, "were a message to Iran after months of")
    assert claim.speaker == "US Assistant Secretary of State David Schenker"
    assert claim.speaker_name == "David Schenker"
    assert claim.speaker_role == "US Assistant Secretary of State"
    assert claim.speaker_kind == "person"
    assert claim.cue == "said"
    assert claim.kind == "mixed"
    assert claim.content.startswith("the strikes, carried out by F-15 planes")


@pytest.mark.parametrize(
    "fact",
    [
        "They hit three targets in Iraq and two in Syria.",
        "More than 5,000 US military personnel are based in Iraq as well as some 400 British",
        "which caused at least 25 deaths and injured another 55 people",
        "airstrikes that killed 25 fighters of an Iran-backed militia",
    ],
)
def test_unattributed_facts(result, fact):
    claim = find(result, fact, kind="unattributed")
    assert claim.speaker is None
    assert claim.cue is None


def test_the_anonymous_evacuation_report_is_by_unnamed_sources_and_whole(result):
    claim = find(result, "They are understood to have been evacuated")
    assert claim.kind == "indirect"
    assert claim.speaker_name == "unnamed sources"
    assert claim.speaker is None
    assert claim.cue == "understood"
    # The dashes enclose an aside: the clause runs on to "was broken down".
    assert claim.content.endswith("- used by vehicles as well as guards - was broken down")


def test_every_claim_of_a_speech_kind_has_a_speaker(result):
    for claim in result.claims:
        if claim.kind != "unattributed":
            assert claim.speaker_name, claim.content


def test_the_headline_is_not_a_claim(result):
    assert not [c for c in result.claims if c.content.startswith("Gunfire heard as")]


def test_checkable_facts_rank_above_chants_and_opinion(result):
    chant = find(result, "No, no America!")
    hatred = find(result, "It's revived the absolute hatred")
    for fact in ["They hit three targets", "More than 5,000 US military personnel"]:
        score = find(result, fact).checkworthiness
        assert score > chant.checkworthiness
        assert score > hatred.checkworthiness
    ranked = sorted(result.claims, key=lambda c: -c.checkworthiness)
    assert chant in ranked[len(ranked) // 2 :]


def test_reported_facts_rank_above_chants_exhortations_and_opinion(result):
    reuters = find(result, "US embassy staff and the US ambassador are not in the building")
    schenker = find(result, "were a message to Iran after months of")
    low = [
        find(result, "No, no America!"),
        find(result, "the crowd to desist"),
        find(result, "It's revived the absolute hatred"),
    ]
    for fact in (reuters, schenker):
        for other in low:
            assert fact.checkworthiness > other.checkworthiness, (fact.content, other.content)


def test_the_ranking_order_of_a_handful_of_its_claims(result):
    """Casualties, troop numbers and the embassy gate first; the chant and "desist" last."""
    pinned = [
        "which caused at least 25 deaths",
        "More than 5,000 US military personnel are based in Iraq",
        "Hundreds of Iraqi protesters have broken down the gate of the US embassy",
        "were a message to Iran after months of",
        "US embassy staff and the US ambassador are not in the building",
        "No, no America!",
        "the crowd to desist",
    ]
    claims = [
        next(c for c in result.claims if fragment in c.sentence or fragment in c.content)
        for fragment in pinned
    ]
    scores = [claim.checkworthiness for claim in claims]
    assert scores == sorted(scores, reverse=True), list(zip(pinned, scores, strict=True))
    assert len(set(scores)) == len(scores)


def test_every_sentence_is_a_candidate_and_the_furniture_ranks_with_nothing(result, text):
    sentences = [text[slice(*c.sentence_span)] for c in result.candidates]
    assert any(s.startswith("More than 5,000 US military personnel") for s in sentences)
    for furniture in ("UP NEXT", "AdChoices", "image beacon", "© Reuters"):
        assert not [s for s in sentences if furniture in s], furniture
    claimed = {c.clean_sentence_span for c in result.candidates if c.claimed}
    for claim in result.claims:
        if claim.kind == "unattributed":
            assert claim.clean_sentence_span in claimed


def test_every_span_points_into_the_input(result, text):
    for claim in result.claims:
        start, end = claim.content_span
        assert text[start:end] == claim.content
        assert result.cleaned_text[slice(*claim.clean_content_span)] == claim.content
        if claim.speaker_span:
            assert text[slice(*claim.speaker_span)] == claim.speaker
        if claim.cue_span:
            assert text[slice(*claim.cue_span)] == claim.cue
        s_start, s_end = claim.sentence_span
        assert (s_start <= start and end <= s_end) or claim.kind == "direct"
        assert 0.0 <= claim.checkworthiness <= 1.0


def test_worries_are_not_speakers(result):
    assert not [c for c in result.claims if c.speaker == "Concerns"]
