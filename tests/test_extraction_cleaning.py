"""Cleaning and metadata: furniture, alt text, captions and credits go; every sentence stays."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.extraction.cleaning import clean
from claims.extraction.metadata import parse_date, read_metadata


def test_it_drops_furniture_lines():
    text = "UP NEXT\n\nThe bridge was closed.\n\nAdChoices\nMore from Sky News\nimage beacon"
    cleaned = clean(text)
    assert cleaned.text == "The bridge was closed."


def test_it_removes_alt_text_caption_and_repeated_caption_inside_a_paragraph():
    text = (
        "a person that is on fire: A fire broke out © Sky A fire broke out "
        "Gunfire has been heard at the scene."
    )
    assert clean(text).text == "Gunfire has been heard at the scene."


def test_it_removes_a_caption_after_the_last_sentence():
    text = (
        'He called it a "vicious assault". a person holding a flag: Iraqis burn a flag '
        "© Imagebridge Iraqis burn a flag"
    )
    assert clean(text).text == 'He called it a "vicious assault".'


def test_it_strips_html_and_control_characters():
    text = "<p>The minister\x00 said <b>the bridge</b> was closed.</p><script>x()</script>"
    cleaned = clean(text)
    assert cleaned.text == "The minister said the bridge was closed."


def test_paragraphs_are_separated_by_blank_lines_and_map_back():
    text = "First paragraph.\r\n\r\n\r\nSecond one.\n\nUP NEXT\n\nThird."
    cleaned = clean(text)
    assert cleaned.text == "First paragraph.\n\nSecond one.\n\nThird."
    for start, end in cleaned.paragraphs:
        original = cleaned.span_to_original(start, end)
        assert text[slice(*original)] == cleaned.text[start:end]


def test_empty_and_blank_text():
    assert clean("").text == ""
    assert clean("\n \n\t").paragraphs == []


def test_metadata_from_an_msn_logo_line():
    text = "Headline here\n\nSky News logo Sky News 31/12/2019\n\nBody text."
    metadata = read_metadata(text, "Headline here")
    assert metadata.outlet == "Sky News"
    assert metadata.published == dt.date(2019, 12, 31)
    assert metadata.headline == "Headline here"


def test_metadata_from_header_lines():
    text = (
        "Title: Reed Statement\nPublisher: Office of Senator Reed\n"
        "Publication date: 2019-12-31\n---\nBody."
    )
    metadata = read_metadata(text, None)
    assert metadata.headline == "Reed Statement"
    assert metadata.outlet == "Office of Senator Reed"
    assert metadata.published == dt.date(2019, 12, 31)
    assert "Publisher" not in clean(text).text


def test_dates_in_several_forms():
    assert parse_date("31 December 2019") == dt.date(2019, 12, 31)
    assert parse_date("Dec. 31, 2019") == dt.date(2019, 12, 31)
    assert parse_date("12/31/2019") == dt.date(2019, 12, 31)
    assert parse_date("31/12/2019") == dt.date(2019, 12, 31)
    assert parse_date("no date here") is None
    assert parse_date("31/31/2019") is None


def test_a_sentence_ending_without_punctuation_is_kept():
    text = "Concerns are growing that Iraq will become a new battleground"
    assert clean(text).text == text


@pytest.mark.parametrize(
    "furniture",
    [
        "(Graphic: Global assets in 2019 - here)",
        "Alex Isenholt contributed to this report.",
        "Reporting by Mara Okafor; Additional reporting by Tomas Lind; Editing by Priya Raman",
        "SEE MORE",
        "NBA make final decision on game amid overseas turmoil [VIDEO]",
        "Also on gridirondaily.example Coach says rookie will start on Sunday",
        "The Times is committed to publishing a diversity of letters to the editor. We'd like "
        "to hear what you think about this or any of our articles.",
        "Follow The Lakeside Times Opinion section on Facebook, Twitter and Instagram.",
        "Firefighters inspect the house in St Catherine on Wednesday. Photo: AW",
        "Written: 2019-07-12 15:30:11 Updated: 2019-07-12 16:02:45",
        "[Anchor Lead]",
    ],
)
def test_credit_lines_link_labels_boilerplate_and_captions_are_furniture(furniture):
    text = f"The council met on Monday.\n\n{furniture}\n\nThe vote was 7 to 2."
    assert clean(text).text == "The council met on Monday.\n\nThe vote was 7 to 2."


@pytest.mark.parametrize(
    "sentence",
    [
        "He posted a photo by the river and said it was nice.",
        "Reporters asked whether the photo: was it real?",
        "She said the graphic designer contributed to the campaign.",
        "The agency released a photo: the two men shaking hands in Geneva",
        "Produced by a small studio, the film earned $3 million in its first week.",
    ],
)
def test_sentences_that_merely_mention_such_words_stay(sentence):
    assert clean(sentence).text == sentence


def test_a_broadcast_label_leaves_the_line_but_its_words_stay():
    text = "Anchor: The wage commission said the minimum would rise."
    cleaned = clean(text)
    assert cleaned.text == "The wage commission said the minimum would rise."
    start, end = cleaned.span_to_original(0, len(cleaned.text))
    assert text[start:end] == cleaned.text
