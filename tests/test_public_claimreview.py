"""ClaimReview JSON-LD on the public verdict page, as fact-check aggregators read it."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from claims.models import VerdictRating
from tests import factories
from tests.conftest import publish
from tests.publishing import correct

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _claim_review(verdict) -> dict:
    body = Client().get(verdict.get_absolute_url()).content.decode()
    scripts = LD_JSON.findall(body)
    assert len(scripts) == 1
    return json.loads(scripts[0])


def test_verdict_page_carries_claim_review(reviewer_user, editor_user, settings):
    claim = factories.ClaimFactory(
        content="The strikes hit three targets in Iraq",
        speaker=factories.SpeakerFactory(role="US Assistant Secretary of State"),
        article=factories.ArticleFactory(url="https://news.example/story"),
    )
    published_verdict = publish(
        claim, reviewer=reviewer_user, editor=editor_user, explanation="Five targets."
    )
    data = _claim_review(published_verdict)
    assert data["@type"] == "ClaimReview"
    assert data["url"] == settings.SITE_URL + published_verdict.get_absolute_url()
    assert (
        data["claimReviewed"] == f"{claim.speaker.name} said the strikes hit three targets in Iraq."
    )
    assert data["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "True",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert data["author"]["name"] == settings.SITE_NAME
    assert data["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": claim.speaker.name,
        "jobTitle": "US Assistant Secretary of State",
    }
    assert data["itemReviewed"]["appearance"]["url"] == "https://news.example/story"
    assert data["datePublished"] == published_verdict.published_at.date().isoformat()
    assert "dateModified" not in data


def test_a_rating_off_the_numeric_scale_has_only_its_name(
    published_verdict, editor_user, other_editor_user
):
    correct(
        published_verdict,
        proposer=other_editor_user,
        approver=editor_user,
        reason="Not enough evidence either way.",
        rating=VerdictRating.objects.get(slug="unverifiable"),
    )
    data = _claim_review(published_verdict)
    assert data["reviewRating"] == {"@type": "Rating", "alternateName": "Unverifiable"}
    assert "dateModified" in data


def test_markup_in_the_claim_cannot_break_out_of_the_script(reviewer_user, editor_user):
    claim = factories.ClaimFactory(content='</script><script>alert("x")</script> & more')
    published_verdict = publish(
        claim, reviewer=reviewer_user, editor=editor_user, explanation="Checked."
    )
    body = Client().get(published_verdict.get_absolute_url()).content.decode()
    assert '<script>alert("x")' not in body
    assert _claim_review(published_verdict)["claimReviewed"] == claim.display_statement
