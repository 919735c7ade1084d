"""Property-based tests: the extractor never raises and never returns a span outside the text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claims.extraction import extract, extract_many

NEWS_WORDS = [
    "said",
    "told",
    "according",
    "to",
    "the",
    "minister",
    "he",
    "they",
    "Reuters",
    "citing",
    "officials",
    "warned",
    "that",
    "25",
    "people",
    "were",
    "killed",
    "in",
    "Baghdad",
    ",",
    ".",
    ":",
    '"',
    "“",
    "”",
    "‘",
    "’",
    "'",
    "\n\n",
    "\n",
    "©",
    "Reuters",
    "a group of people standing:",
    "UP NEXT",
    "<p>",
    "</p>",
    "<script>alert(1)</script>",
    "\x00",
    "\x1b[31m",
    "\u200b",
    "\r\n",
    "Der Minister sagte",
    "¿Qué?",
    "مرحبا",
    "中文",
    "🙂",
    "accused",
    "of",
    "described",
    "as",
]

SPEAKER_KINDS = (None, "person", "organisation", "government", "media", "unknown")
news_like = st.lists(st.sampled_from(NEWS_WORDS), max_size=80).map(" ".join)
any_text = st.one_of(st.text(max_size=400), news_like)
PROPERTY_SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def assert_well_formed(text: str, result) -> None:
    length = len(text)
    data = result.to_dict()
    assert set(data) >= {"headline", "outlet", "published", "claims"}
    for claim in result.claims:
        for span in (claim.content_span, claim.sentence_span, claim.speaker_span, claim.cue_span):
            if span is None:
                continue
            start, end = span
            assert 0 <= start <= end <= length, (span, length)
        for span in (
            claim.clean_content_span,
            claim.clean_sentence_span,
            claim.clean_speaker_span,
            claim.clean_cue_span,
        ):
            if span is None:
                continue
            assert 0 <= span[0] <= span[1] <= len(result.cleaned_text)
        assert result.cleaned_text[slice(*claim.clean_content_span)] == claim.content
        assert claim.kind in ("direct", "indirect", "mixed", "unattributed")
        assert 0.0 <= claim.checkworthiness <= 1.0
        assert claim.speaker_kind in (
            None,
            "person",
            "organisation",
            "government",
            "media",
            "unknown",
        )


@PROPERTY_SETTINGS
@given(any_text)
def test_it_never_raises_and_spans_stay_inside(text):
    assert_well_formed(text, extract(text))


@PROPERTY_SETTINGS
@given(st.lists(news_like, max_size=4))
def test_a_batch_gives_one_result_per_text(texts):
    results = extract_many(texts)
    assert len(results) == len(texts)
    for text, result in zip(texts, results, strict=True):
        assert_well_formed(text, result)


@PROPERTY_SETTINGS
@given(news_like)
# Found by this test: a content ending in a line break mapped back over the "." after it.
@example("said said said said said said the \r\n . said")
def test_content_matches_the_input_when_nothing_was_removed_inside(text):
    result = extract(text)
    for claim in result.claims:
        start, end = claim.content_span
        original = text[start:end]
        removed_inside = any(
            mark in original for mark in ("©", "<", "UP NEXT", "\x00", "\x1b", "\u200b")
        )
        if not removed_inside:
            # The cleaner trims spaces at line ends; words and their order are kept.
            assert original.split() == claim.content.split()


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n\n",
        "word",
        "said",
        '"',
        '""""',
        "“unbalanced quote said the minister",
        'He said: "nested “quotes” inside" and ‘more’',
        "no punctuation at all the minister said the bridge was closed and he told us it was",
        "<html><body><p>The minister said the bridge was closed.</p></body></html>",
        "\x00\x01\x02 The minister said \x07 the bridge was closed.",
        "Le ministre a dit que le pont était fermé. Il a ajouté que la route est ouverte.",
        "Der Minister sagte, die Brücke sei geschlossen und die Straße bleibe offen.",
        "中文文本没有空格也没有英文单词",
        "© Reuters",
        "a group of people standing in front of a crowd: Protesters © Reuters Protesters",
    ],
)
def test_awkward_inputs(text):
    assert_well_formed(text, extract(text))


def test_non_english_text_yields_no_claims():
    result = extract(
        "Der Minister sagte am Montag, die Brücke sei geschlossen, und die Polizei "
        "erklärte, dass die Straße bis auf Weiteres gesperrt bleibe."
    )
    assert result.language == "de"
    assert result.claims == []


def test_a_megabyte_of_text():
    # A megabyte without a sentence end, in long "words", parsed in pieces.
    text = ("x" * 60 + " ") * (1_000_000 // 61)
    result = extract(text)
    assert_well_formed(text, result)


def test_a_long_realistic_text_is_parsed_in_pieces():
    sentence = "The minister said the bridge, built in 1990, was closed on Monday. "
    text = sentence * 700  # about 47 KB in a single paragraph
    result = extract(text)
    assert_well_formed(text, result)
    assert len(result.claims) >= 690
