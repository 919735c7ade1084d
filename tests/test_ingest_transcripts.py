"""Transcripts as a kind of input: ingest, speakers with roles, and how the pages show them."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Article, Speaker
from claims.services.articles import NO_TURNS, article_submit_text
from claims.services.errors import ServiceError
from tests.conftest import publish

pytestmark = pytest.mark.django_db

NEW = reverse("review:article_new")
DEBATE = """\
Presidential debate, Hempstead, New York
PARTICIPANTS: Former Secretary of State Hillary Clinton; Businessman Donald Trump

HOLT: Good evening from Hofstra University. Why are you a better choice on jobs?
CLINTON: We created 15 million new private-sector jobs after the Great Recession.
TRUMP: Our jobs are fleeing the country to Mexico.

We have lost 70,000 factories since China joined the World Trade Organization.
HOLT: Secretary Clinton, do you want to respond?
"""


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ingest(django_capture_on_commit_callbacks, reviewer_user):
    """Submit a transcript and run its ingest job, as inline Celery does."""

    def run(text=DEBATE, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            article = article_submit_text(text=text, by=reviewer_user, kind="transcript", **kwargs)
        article.refresh_from_db()
        return article

    return run


def test_each_sentence_is_attributed_to_its_turns_speaker(ingest):
    article = ingest(moderators="Lester Holt")
    assert article.status == Article.Status.READY
    assert article.kind == Article.Kind.TRANSCRIPT
    assert article.moderators == "Lester Holt"
    assert article.headline == "Presidential debate, Hempstead, New York"
    claims = {c.content: c for c in article.claims.select_related("speaker")}
    jobs = claims["We created 15 million new private-sector jobs after the Great Recession."]
    assert jobs.kind == "direct" and jobs.speaker_text == "CLINTON"
    assert jobs.speaker.name == "Hillary Clinton"
    assert jobs.speaker.role == "Former Secretary of State"
    assert jobs.speaker.kind == Speaker.Kind.PERSON
    assert article.text[jobs.speaker_start : jobs.speaker_end] == "CLINTON"
    factories = claims[
        "We have lost 70,000 factories since China joined the World Trade Organization."
    ]
    assert (factories.speaker.name, factories.speaker.role) == ("Donald Trump", "Businessman")
    assert 0.5 <= factories.checkworthiness <= 1.0
    # The moderator's turns are set apart: stored as turns, never claims.
    assert not [c for c in claims.values() if c.speaker_text == "HOLT"]
    turns = [(t["label"], t["role"], t["moderator"]) for t in article.turns]
    assert turns == [
        ("HOLT", "moderator", True),
        ("CLINTON", "candidate", False),
        ("TRUMP", "candidate", False),
        ("HOLT", "moderator", True),
    ]
    assert article.speakers_line == "Hillary Clinton, Donald Trump; moderators: Holt"


def test_a_text_without_turns_fails_with_a_reason_a_person_can_act_on(ingest):
    article = ingest(text="An ordinary article with no speakers in it. It has two sentences.")
    assert article.status == Article.Status.FAILED
    assert article.failure_reason == NO_TURNS


def test_a_wrong_kind_or_an_overlong_moderator_list_is_refused(reviewer_user):
    with pytest.raises(ServiceError):
        article_submit_text(text=DEBATE, by=reviewer_user, kind="podcast")
    with pytest.raises(ServiceError):
        article_submit_text(
            text=DEBATE, by=reviewer_user, kind="transcript", moderators="Someone, " * 80
        )
    assert not Article.objects.exists()


def test_articles_keep_no_moderators_or_turns(django_capture_on_commit_callbacks, reviewer_user):
    with django_capture_on_commit_callbacks(execute=True):
        article = article_submit_text(text=DEBATE, by=reviewer_user, moderators="Lester Holt")
    article.refresh_from_db()
    assert article.kind == Article.Kind.ARTICLE
    assert article.moderators == "" and article.turns == []


def test_the_ingest_page_offers_transcripts_for_pasted_and_uploaded_text(reviewer_client):
    html = reviewer_client.get(NEW + "?tab=paste").content.decode()
    assert 'id="id_paste_transcript"' in html and 'id="id_upload_transcript"' in html
    assert 'id="id_paste_moderators"' in html and 'id="id_upload_moderators"' in html


def test_pasting_a_transcript(reviewer_client, django_capture_on_commit_callbacks):
    data = {"kind": "paste", "text": DEBATE, "transcript": "on", "moderators": "Holt"}
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(NEW, data)
    article = Article.objects.get()
    assert response.status_code == 302 and response.url == article.get_absolute_url()
    assert article.kind == Article.Kind.TRANSCRIPT and article.moderators == "Holt"
    assert article.claims.filter(speaker_text="TRUMP").exists()


def test_uploading_a_transcript(reviewer_client, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("debate.txt", DEBATE.encode(), content_type="text/plain")
    data = {"kind": "upload", "file": upload, "transcript": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(NEW, data)
    article = Article.objects.get()
    assert article.kind == Article.Kind.TRANSCRIPT and article.origin == Article.Origin.UPLOAD
    assert article.claims.filter(speaker_text="CLINTON").exists()


def test_the_article_page_shows_turns_with_speakers_and_sets_moderators_apart(
    ingest, reviewer_client
):
    article = ingest(moderators="Lester Holt")
    html = reviewer_client.get(article.get_absolute_url()).content.decode()
    assert "Transcript" in html
    assert 'data-speaker="Hillary Clinton" data-role=" · Former Secretary of State"' in html
    assert html.count('class="turn turn-moderator"') == 2
    assert "Hillary Clinton, Donald Trump; moderators: Holt" in html
    # The text inside the block is the transcript, character for character, so that selecting
    # words still gives offsets into it.
    block = re.search(r'<div id="article-text"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert unescape(re.sub(r"<[^>]+>", "", block)) == article.text
    # The label that each of a speaker's claims shares is not an overlap of claims.
    assert "hl-overlap" not in block


def test_markup_in_a_speakers_name_is_escaped(ingest, reviewer_client):
    article = ingest(text='PARTICIPANTS: Jane <b onmouseover="x">Doe\nDOE: We cut taxes by 5%.')
    html = reviewer_client.get(article.get_absolute_url()).content.decode()
    assert "<b onmouseover" not in html


def test_the_queue_marks_transcripts(ingest, reviewer_client):
    ingest()
    html = reviewer_client.get(reverse("review:queue")).content.decode()
    assert '<span class="kind-badge">Transcript</span>' in html


def test_the_public_verdict_page_shows_the_speaker_and_the_transcript(
    ingest, reviewer_user, editor_user, client
):
    article = ingest()
    verdict = publish(
        article.claims.get(speaker_text="CLINTON"),
        reviewer=reviewer_user,
        editor=editor_user,
        explanation="Bureau of Labor Statistics figures agree.",
    )
    html = client.get(verdict.get_absolute_url()).content.decode()
    assert "Hillary Clinton</a>, Former Secretary of State" in html
    assert "Said in the transcript Presidential debate, Hempstead, New York" in html


# --- Candidates: sentences that rank high but became no claim ---------------------------------


def test_sentences_that_rank_high_without_a_claim_are_kept_for_reviewers(
    django_capture_on_commit_callbacks, reviewer_user, reviewer_client
):
    with django_capture_on_commit_callbacks(execute=True):
        article = article_submit_text(
            text="We lose 33,000 people a year already to gun violence.\n\n"
            "Thank you all for reading this far.\n\n"
            "More than 5,000 US military personnel are based in Iraq.",
            by=reviewer_user,
        )
    article.refresh_from_db()
    offered = [article.text[c["start"] : c["end"]] for c in article.candidates]
    assert offered == ["We lose 33,000 people a year already to gun violence."]
    assert article.candidates[0]["score"] >= 0.5
    html = reviewer_client.get(article.get_absolute_url()).content.decode()
    assert "Worth a look" in html and "We lose 33,000 people a year" in html

    # Adding it by hand keeps its score and takes it off the list.
    candidate = article.candidates[0]
    response = reviewer_client.post(
        reverse("review:article_claim_create", args=[article.pk]),
        {"start": candidate["start"], "end": candidate["end"], "kind": "unattributed"},
    )
    assert response.status_code == 302
    claim = article.claims.get(start=candidate["start"])
    assert claim.checkworthiness == candidate["score"]
    html = reviewer_client.get(article.get_absolute_url()).content.decode()
    assert "Worth a look" not in html


def test_a_transcripts_candidates_leave_out_the_moderators(ingest):
    article = ingest(
        text="HOLT: The unemployment rate fell to 4.9 percent in January, from 10 percent.\n"
        "TRUMP: Why did we lose 70,000 factories and 5 million manufacturing jobs to China "
        "since 2001?\n",
        moderators="Holt",
    )
    # The moderator's figures rank high but are set apart; the candidate's question is no
    # claim (not a statement) but is offered with its speaker.
    assert not article.claims.exists()
    assert [
        (c["speaker"], article.text[c["start"] : c["end"]][:20]) for c in article.candidates
    ] == [("Trump", "Why did we lose 70,0")]
