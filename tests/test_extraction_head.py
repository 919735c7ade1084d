"""The head of a pasted text: byline and date lines are read, and kept out of the story."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.extraction import extract
from claims.extraction.cleaning import clean
from claims.extraction.dates import parse_date
from claims.extraction.head import HeadLine, read_head, read_head_line
from claims.extraction.metadata import read_metadata

TODAY = dt.date(2026, 12, 6)
STORY = (
    "The finance minister said on Tuesday that the new tax would raise 2 billion pounds a "
    "year.\n\nOpposition leader Jane Smith said the figure was wrong."
)


def _line(text: str) -> HeadLine | None:
    return read_head_line(text, today=TODAY)


# --- Bylines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "authors", "outlet", "published"),
    [
        ("By Staff Reporter, 14 March 2024", ("Staff Reporter",), "", dt.date(2024, 3, 14)),
        ("By Jane Doe and John Roe | Reuters", ("Jane Doe", "John Roe"), "Reuters", None),
        ("By Jane Doe", ("Jane Doe",), "", None),
        ("BY JANE DOE, Associated Press", ("Jane Doe",), "Associated Press", None),
        ("By Jane Doe, Political Editor", ("Jane Doe",), "", None),
        ("By Jane Doe in Washington and John Roe in London", ("Jane Doe", "John Roe"), "", None),
        (
            "By Jane Doe, Staff Writer | The Washington Post | March 14, 2024 at 6:00 a.m. EDT",
            ("Jane Doe",),
            "The Washington Post",
            dt.date(2024, 3, 14),
        ),
        (
            "By Jane Doe • Published 3 January 2020 • 3 min read",
            ("Jane Doe",),
            "",
            dt.date(2020, 1, 3),
        ),
        ("By Jane Doe, March 14, 2024", ("Jane Doe",), "", dt.date(2024, 3, 14)),
        ("By Jane Doe, John Roe and Max Moe", ("Jane Doe", "John Roe", "Max Moe"), "", None),
        ("By Mary-Jane O'Brien, BBC News", ("Mary-Jane O'Brien",), "BBC News", None),
        ("By Ursula von der Leyen", ("Ursula von der Leyen",), "", None),
        ("By J.K. Rowling", ("J.K. Rowling",), "", None),
        ("By our political correspondent", ("our political correspondent",), "", None),
        ("By the Editorial Board", ("the Editorial Board",), "", None),
        ("By The Associated Press", ("The Associated Press",), "", None),
        ("By Reuters", ("Reuters",), "", None),
        ("Written by Jane Doe", ("Jane Doe",), "", None),
        ("By: Jane Doe", ("Jane Doe",), "", None),
        ("  By   Jane   Doe  ", ("Jane Doe",), "", None),
        ("By Jane Doe & John Roe, CNN", ("Jane Doe", "John Roe"), "CNN", None),
        ("By Zoë Ørsted — 2024-03-14", ("Zoë Ørsted",), "", dt.date(2024, 3, 14)),
    ],
)
def test_bylines_are_read(line, authors, outlet, published):
    found = _line(line)
    assert found is not None
    assert found.authors == authors
    assert found.outlet == outlet
    assert found.published == published


def test_a_byline_with_an_updated_time_keeps_the_date_as_updated():
    found = _line("By Jane Doe Updated 14:05 GMT, 14 March 2024")
    assert found == HeadLine(authors=("Jane Doe",), updated=dt.date(2024, 3, 14))


@pytest.mark.parametrize(
    "line",
    [
        "By Tuesday the army had left the city.",
        "By Tuesday the army had left",
        "By Tuesday",
        "By Tuesday, the army had left",
        "By March, prices had risen 5%",
        "By 2030, emissions must halve",
        "By contrast, the opposition said no",
        "By the time police arrived, the crowd had gone",
        "By God, that was close",
        "By air and sea, the troops came",
        "By The Numbers",
        "By Popular Demand",
        "By Order Of The Court",
        "By Christmas the shelves were empty",
        "By then it was too late.",
        "By-election results",
        "by jane doe",
        "By Jane Doe?",
        "By Jane Doe, who spoke to reporters on Monday",
        "By Jane Doe, 14 March 2030",  # a date in the future is not a publication date
        "By far the largest rally in years took place on Saturday",
        "By Jane Doe Smith Brown Green White Black",  # six words: not a name
        "By " + "Jane Doe, " * 30,
        "Bypass closed after crash",
        "By",
        "By ",
    ],
)
def test_sentences_starting_with_by_are_not_bylines(line):
    assert _line(line) is None


# --- Date lines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "published", "updated", "outlet"),
    [
        ("Published 3 January 2020 14:05 GMT", dt.date(2020, 1, 3), None, ""),
        ("March 14, 2024", dt.date(2024, 3, 14), None, ""),
        ("14 March 2024", dt.date(2024, 3, 14), None, ""),
        ("2024-03-14", dt.date(2024, 3, 14), None, ""),
        ("2024-03-14T10:00:00Z", dt.date(2024, 3, 14), None, ""),
        ("14/03/2024", dt.date(2024, 3, 14), None, ""),
        ("Thursday 14 March 2024 10.32 GMT", dt.date(2024, 3, 14), None, ""),
        ("Monday, 14 March 2024", dt.date(2024, 3, 14), None, ""),
        ("Mar. 14, 2024, 5:03 p.m. ET", dt.date(2024, 3, 14), None, ""),
        ("14 March 2024 • 3 min read", dt.date(2024, 3, 14), None, ""),
        ("Updated 4 January 2020", None, dt.date(2020, 1, 4), ""),
        ("Last updated on 4 Jan 2020, 10:05am", None, dt.date(2020, 1, 4), ""),
        (
            "Published 14 March 2024 | Updated 15 March 2024",
            dt.date(2024, 3, 14),
            dt.date(2024, 3, 15),
            "",
        ),
        ("First published on Sat 4 May 2024 06.00 BST", dt.date(2024, 5, 4), None, ""),
        ("BBC News | 14 March 2024", dt.date(2024, 3, 14), None, "BBC News"),
    ],
)
def test_date_lines_are_read(line, published, updated, outlet):
    found = _line(line)
    assert found is not None
    assert (found.published, found.updated, found.outlet, found.authors) == (
        published,
        updated,
        outlet,
        (),
    )


@pytest.mark.parametrize(
    "line",
    [
        "14 March 2024 was the day the war ended.",
        "The minister said on 14 March 2024 that taxes would rise",
        "Updated guidance for schools",
        "Published by Penguin in 1999",
        "Posted 5 comments",
        "Posted in Politics",
        "Updated 14:05 GMT | Reuters",
        "Tuesday",
        "March 2024",
        "14 March",
        "2024",
        "3,000 troops",
        "14 March 2030",
        "Published 14 March 2030",
        "31/31/2019",
        "10:05 GMT",
        "Prices rose 14% in March 2024",
        "12, 15, 18, 22, 30, 41",
        "10 Downing Street",
        "5 PM",
    ],
)
def test_other_lines_are_not_date_lines(line):
    assert _line(line) is None


@pytest.mark.parametrize(
    "line",
    ["Updated 14:05 GMT", "Updated 2 hours ago", "Last updated at 5:03 p.m. ET", "Published"],
)
def test_updated_lines_without_a_date_are_set_apart_with_no_date(line):
    assert _line(line) == HeadLine()
    head = read_head(["Headline", line, STORY], today=TODAY)
    assert head.line_numbers == {1}
    assert head.published is None


def test_dates_are_read_by_the_day_written_whatever_the_zone():
    assert parse_date("3 January 2020 23:30 EST") == dt.date(2020, 1, 3)
    assert parse_date("03/04/2024") == dt.date(2024, 4, 3)  # day first, as UK outlets write
    assert parse_date("12/31/2019") == dt.date(2019, 12, 31)  # unless it cannot be
    assert parse_date("1700000000") is None  # a timestamp is not a written date
    assert parse_date("0001-01-01") is None
    assert parse_date("x" * 500) is None
    for odd in ("\ud800 14 March 2024", "\x00" * 40, "99/99/9999", "2024-02-30", ""):
        parse_date(odd)  # never raises


# --- The head as a whole ----------------------------------------------------------------------


def test_the_head_is_the_first_few_lines_only():
    lines = ["Headline", "", "By Jane Doe", *[f"Paragraph {n}." for n in range(10)], "2024-03-14"]
    head = read_head(lines, today=TODAY)
    assert head.line_numbers == {2}
    assert head.byline == "Jane Doe"
    assert head.published is None


def test_the_head_ends_at_the_first_paragraph_of_the_story():
    lines = ["By Jane Doe", "A long paragraph of the story. " * 10, "14 March 2024"]
    head = read_head(lines, today=TODAY)
    assert head.line_numbers == {0}
    assert head.published is None


def test_an_updated_date_is_the_date_only_without_another():
    only_updated = read_head(["Headline", "Updated 15 March 2024"], today=TODAY)
    assert only_updated.published == dt.date(2024, 3, 15)
    both = read_head(["Updated 15 March 2024", "Published 14 March 2024"], today=TODAY)
    assert both.published == dt.date(2024, 3, 14)
    assert both.line_numbers == {0, 1}


def test_the_first_byline_and_outlet_win():
    head = read_head(["By Jane Doe | Reuters", "By John Roe | AFP"], today=TODAY)
    assert (head.byline, head.outlet) == ("Jane Doe", "Reuters")


# --- In the pipeline -------------------------------------------------------------------------


def test_the_cleaner_drops_head_lines_and_maps_back():
    text = "Minister defends tax plan\nBy Staff Reporter, 14 March 2024\n\n" + STORY
    cleaned = clean(text)
    assert "Staff Reporter" not in cleaned.text
    assert "14 March 2024" not in cleaned.text
    assert cleaned.text.startswith("Minister defends tax plan\n\nThe finance minister")
    assert cleaned.head.byline == "Staff Reporter"
    for start, end in cleaned.paragraphs:
        original = cleaned.span_to_original(start, end)
        assert text[slice(*original)] == cleaned.text[start:end]


def test_a_by_sentence_at_the_top_stays_in_the_story():
    text = "By Tuesday the army had left the city, officials said.\n\n" + STORY
    assert clean(text).text.startswith("By Tuesday the army had left the city")
    assert read_metadata(text, None).byline is None


def test_extract_gives_the_byline_and_date_and_no_claim_or_headline_from_them():
    text = (
        "Minister defends tax plan\n"
        "By Jane Doe and John Roe | Reuters\n"
        "Published 3 January 2020 14:05 GMT\n\n" + STORY
    )
    result = extract(text)
    assert result.byline == "Jane Doe, John Roe"
    assert result.published == dt.date(2020, 1, 3)
    assert result.outlet == "Reuters"
    assert result.headline == "Minister defends tax plan"
    assert result.to_dict()["byline"] == "Jane Doe, John Roe"
    for claim in result.claims:
        assert "Jane Doe" not in claim.sentence and "2020" not in claim.sentence
        assert text[slice(*claim.content_span)] == claim.content


def test_a_byline_above_the_story_is_not_taken_for_a_headline():
    result = extract("By Staff Reporter, 14 March 2024\n\n" + STORY)
    assert result.headline is None
    assert result.byline == "Staff Reporter"
    assert result.published == dt.date(2024, 3, 14)


def test_header_lines_name_the_byline_too():
    text = "Title: Reed Statement\nAuthor: By Jane Doe\nDate: 2019-12-31\n---\nBody."
    metadata = read_metadata(text, None)
    assert metadata.byline == "Jane Doe"
    assert metadata.published == dt.date(2019, 12, 31)
