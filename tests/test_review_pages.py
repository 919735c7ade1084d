"""The review pages: queue, article, claim, dashboard. Staff only; htmx gets the fragment."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Users are created in every test; a fast hasher keeps the module quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def claim():
    article = factories.ArticleFactory(
        text="The minister said the bridge will open in May. Critics disagree.",
        headline="Bridge row",
    )
    speaker = factories.SpeakerFactory(name="Jane Minister", role="Transport minister")
    return factories.ClaimFactory(
        article=article,
        speaker=speaker,
        content="the bridge will open in May",
        start=18,
        end=45,
        speaker_start=0,
        speaker_end=12,
        cue_start=13,
        cue_end=17,
        sentence_start=0,
        sentence_end=46,
    )


PAGES = [
    ("review:queue", False),
    ("review:dashboard", False),
    ("review:article", True),
    ("review:claim", True),
]


def _url(name, claim):
    if name == "review:article":
        return reverse(name, args=[claim.article_id])
    if name == "review:claim":
        return reverse(name, args=[claim.pk])
    return reverse(name)


@pytest.mark.parametrize(("name", "_"), PAGES)
def test_pages_render_for_reviewers(name, _, reviewer_client, claim):
    response = reviewer_client.get(_url(name, claim))
    assert response.status_code == 200
    assert b"<html" in response.content


@pytest.mark.parametrize(("name", "_"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(name, _, claim):
    response = Client().get(_url(name, claim))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "_"), PAGES)
def test_users_without_a_role_are_refused(name, _, plain_user_client, claim):
    assert plain_user_client.get(_url(name, claim)).status_code == 403


def test_article_highlights_speaker_cue_and_content(reviewer_client, claim):
    body = reviewer_client.get(_url("review:article", claim)).content.decode()
    assert 'class="hl hl-speaker' in body
    assert 'class="hl hl-cue' in body
    assert 'class="hl hl-content' in body
    assert f'data-claim="{claim.pk}"' in body


def test_article_opens_a_claim_beside_the_text(reviewer_client, claim):
    url = _url("review:article", claim) + f"?claim={claim.pk}"
    body = reviewer_client.get(url).content.decode()
    assert 'id="claim-panel"' in body
    assert 'id="article-text"' in body


def test_article_htmx_returns_only_the_side_panel(reviewer_client, claim):
    url = _url("review:article", claim) + f"?claim={claim.pk}"
    body = reviewer_client.get(url, **HTMX).content.decode()
    assert body.lstrip().startswith('<aside id="article-side"')
    assert "<html" not in body
    assert 'id="claim-panel"' in body


def test_claim_htmx_returns_the_panel(reviewer_client, claim):
    body = reviewer_client.get(_url("review:claim", claim), **HTMX).content.decode()
    assert body.lstrip().startswith('<section id="claim-panel"')
    assert "<html" not in body


def test_claim_page_shows_context_timeline_and_forms(reviewer_client, claim):
    body = reviewer_client.get(_url("review:claim", claim)).content.decode()
    assert "Jane Minister" in body
    assert "Transport minister" in body
    assert "Critics disagree" in body  # the sentence's surroundings
    assert "Accept for research" in body
    assert "Evidence search:</strong>" in body
    assert "not run yet for this claim" in body
    assert "Search for evidence" in body
    assert 'name="edit-version" value="1"' in body


def test_reviewer_does_not_see_approve_button(reviewer_client, reviewer_user):
    claim = factories.ClaimFactory(status=Claim.Status.AWAITING_APPROVAL)
    factories.VerdictFactory(claim=claim, author=factories.reviewer())
    body = reviewer_client.get(_url("review:claim", claim)).content.decode()
    assert "Approve and publish" not in body
    assert "Waiting for an editor" in body


def test_editor_sees_approve_button_but_not_on_own_verdict(editor_client, editor_user):
    mine = factories.ClaimFactory(status=Claim.Status.AWAITING_APPROVAL)
    factories.VerdictFactory(claim=mine, author=editor_user)
    theirs = factories.ClaimFactory(status=Claim.Status.AWAITING_APPROVAL)
    factories.VerdictFactory(claim=theirs, author=factories.reviewer())
    own_page = editor_client.get(_url("review:claim", mine)).content.decode()
    their_page = editor_client.get(_url("review:claim", theirs)).content.decode()
    assert "Approve and publish" not in own_page
    assert "Approve and publish" in their_page


def test_markup_is_escaped_everywhere(reviewer_client, reviewer_user):
    evil = "<script>alert(1)</script>"
    article = factories.ArticleFactory(text=f"He said {evil} loudly.", headline=evil)
    speaker = factories.SpeakerFactory(name=evil, role=evil)
    claim = factories.ClaimFactory(
        article=article, speaker=speaker, content=evil, start=8, end=8 + len(evil)
    )
    from claims.services.claims import claim_comment

    claim_comment(claim=claim, by=reviewer_user, body=evil)
    for url in (
        _url("review:claim", claim),
        _url("review:article", claim),
        _url("review:article", claim) + f"?claim={claim.pk}",
        reverse("review:queue"),
    ):
        body = reviewer_client.get(url).content.decode()
        assert evil not in body, url
        assert "&lt;script&gt;" in body, url


def test_dashboard_draws_an_svg_chart(reviewer_client, published_verdict):
    body = reviewer_client.get(reverse("review:dashboard")).content.decode()
    assert "<svg" in body
    assert "Published verdicts by rating" in body


def test_history_restore_gets_the_whole_page(reviewer_client, claim):
    """The back button with an empty htmx history cache asks again with HX-Request set."""
    restore = {**HTMX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    for url in (reverse("review:queue"), _url("review:claim", claim)):
        response = reviewer_client.get(url, **restore)
        assert b"<html" in response.content
        assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(("name", "_"), PAGES)
def test_pages_refuse_post(name, _, reviewer_client, claim):
    assert reviewer_client.post(_url(name, claim)).status_code == 405
