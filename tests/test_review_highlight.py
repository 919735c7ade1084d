"""The article text with claims marked in place: every character kept, markup escaped, overlaps."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from claims.templatetags.review_tags import claim_in_context, event_value, highlight_claims
from tests import factories

pytestmark = pytest.mark.django_db


def _text_of(html: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def test_every_character_survives_and_markup_is_escaped():
    text = "Ali said <b>the dam</b> & the bridge are safe. Then it rained."
    article = factories.ArticleFactory(text=text)
    claim = factories.ClaimFactory(
        article=article,
        start=9,
        end=44,
        speaker_start=0,
        speaker_end=3,
        cue_start=4,
        cue_end=8,
    )
    html = highlight_claims(text, [claim], "/a/")
    assert "<b>" not in html
    assert "&lt;b&gt;" in html
    assert _text_of(html) == text  # offsets in the browser match the stored text
    assert html.count('class="hl hl-speaker') == 1
    assert html.count('class="hl hl-cue') == 1


def test_overlapping_claims_are_cut_at_every_boundary():
    text = "0123456789abcdefghij"
    article = factories.ArticleFactory(text=text)
    first = factories.ClaimFactory(article=article, start=2, end=12, speaker=None)
    second = factories.ClaimFactory(article=article, start=8, end=16, speaker=None)
    html = highlight_claims(text, [first, second], "/a/", selected=second.pk)
    assert _text_of(html) == text
    assert "hl-overlap" in html  # 8..12 belongs to both
    assert "is-selected" in html
    # Each claim is one tab stop, however many pieces it is cut into.
    assert html.count(f'data-claim="{first.pk}" draggable="false" tabindex="0"') == 1


def test_spans_outside_the_text_are_ignored():
    article = factories.ArticleFactory(text="short")
    claim = factories.ClaimFactory(article=article, start=2, end=500, speaker_start=900)
    assert _text_of(highlight_claims("short", [claim], "/a/")) == "short"


def test_context_stays_in_the_paragraph():
    text = "First paragraph here.\n\nHe said the dam is safe. More words.\n\nLast paragraph."
    start = text.index("the dam")
    article = factories.ArticleFactory(text=text)
    claim = factories.ClaimFactory(article=article, start=start, end=start + 16)
    html = claim_in_context(claim)
    assert "First paragraph" not in html and "Last paragraph" not in html
    assert '<mark class="hl hl-content">the dam is safe.</mark>' in html


def test_context_clips_a_speaker_and_cue_outside_its_window():
    """A quote running over paragraphs: the speaker and cue are in the paragraph before."""
    text = (
        'The editor Deborah Haynes said: "It revived old hatred.\n\n'
        '"That is in the wake of the 2003 invasion, they remember those days."'
    )
    start = text.index("That is")
    article = factories.ArticleFactory(text=text)
    claim = factories.ClaimFactory(
        article=article,
        start=start,
        end=len(text) - 1,
        sentence_start=start - 1,
        sentence_end=len(text),
        speaker_start=text.index("The editor"),
        speaker_end=text.index(" said"),
        cue_start=text.index("said"),
        cue_end=text.index("said") + 4,
    )
    html = claim_in_context(claim)
    # Exactly the claim's paragraph, nothing of the paragraph before pasted in from its end.
    assert _text_of(html) == text[text.index('"That') :]
    assert "hl-speaker" not in html and "hl-cue" not in html
    assert '<mark class="hl hl-content">That is in the wake' in html


def test_context_of_the_demo_articles_multi_paragraph_quote(django_capture_on_commit_callbacks):
    """The reference article's Deborah Haynes quote, ingested as the demo ingests it."""
    from claims.services.articles import article_submit_text
    from tests.ingest_pages import REFERENCE_ARTICLE

    with django_capture_on_commit_callbacks(execute=True):
        article = article_submit_text(text=REFERENCE_ARTICLE.read_text(), by=None)
    article.refresh_from_db()
    text = article.text
    later = [
        claim
        for claim in article.claims.exclude(speaker_start=None)
        if text.rfind("\n", 0, claim.start) > claim.speaker_end
    ]
    assert later, "the quote's later paragraphs are claims attributed to its speaker"
    for claim in later:
        html = claim_in_context(claim)
        paragraph_start = text.rfind("\n", 0, claim.start) + 1
        paragraph_end = text.find("\n", claim.end)
        paragraph = text[paragraph_start : paragraph_end if paragraph_end != -1 else None]
        assert _text_of(html).strip("…") in paragraph
        assert "hl-speaker" not in html
        content = escape(text[claim.start : claim.end])
        assert f'<mark class="hl hl-content">{content}</mark>' in html


def test_event_values_read_as_labels():
    assert event_value("in_review", "status") == "In review"
    assert event_value("supports", "stance") == "Supports"
    assert event_value(None, "status") == ""
