"""A published verdict shows its speaker and statement as the approving editor saw them: a
reviewer correcting the speaker's role on another claim, or an administrator renaming them,
does not change what the public page, ClaimReview, the feeds and the API say."""

from __future__ import annotations

import importlib
import json
import re

import feedparser
import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from claims.models import Claim, Verdict
from claims.services.claims import claim_accept, claim_set_speaker
from claims.services.verdicts import verdict_approve, verdict_submit, verdict_unpublish
from tests import factories
from tests.conftest import publish

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
ROLE = "US Assistant Secretary of State"


@pytest.fixture
def schenker(db):
    return factories.SpeakerFactory(name="David Schenker", slug="david-schenker", role=ROLE)


@pytest.fixture
def verdict(schenker, reviewer_user, editor_user):
    return publish(
        factories.ClaimFactory(speaker=schenker, content="the strikes hit three targets"),
        reviewer=reviewer_user,
        editor=editor_user,
        explanation="Five targets, three in Iraq.",
    )


def _public_views(verdict) -> dict[str, str]:
    """Everything the public reads about the verdict, as text."""
    client = Client()
    page = client.get(verdict.get_absolute_url()).content.decode()
    claim_review = json.loads(LD_JSON.findall(page)[0])
    feed = feedparser.parse(client.get(reverse("public:feed")).content)
    data_feed = b"".join(client.get(reverse("public:claimreview_feed")).streaming_content)
    api = client.get(f"/api/verdicts/{verdict.slug}").json()
    return {
        "page": page,
        "claim_review": json.dumps(claim_review),
        "feed": feed.entries[0].title + " " + feed.entries[0].description,
        "data_feed": data_feed.decode(),
        "api": json.dumps(api),
        "list": client.get(reverse("public:verdicts")).content.decode(),
    }


def test_a_reviewer_editing_the_speakers_role_elsewhere_leaves_the_published_page(
    verdict, schenker, reviewer_user
):
    other = claim_accept(claim=factories.ClaimFactory(speaker=schenker), by=reviewer_user)
    claim_set_speaker(
        claim=other,
        by=reviewer_user,
        speaker=schenker,
        role="Former envoy and lobbyist",
        expected_version=other.version,
    )
    schenker.refresh_from_db()
    assert schenker.role == "Former envoy and lobbyist"  # the speaker's own record changed
    views = _public_views(verdict)
    for name in ("page", "claim_review", "data_feed", "api"):
        assert ROLE in views[name], name
        assert "lobbyist" not in views[name], name
    claim_review = json.loads(views["claim_review"])
    assert claim_review["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "David Schenker",
        "jobTitle": ROLE,
    }
    assert json.loads(views["api"])["speaker"] == {
        "name": "David Schenker",
        "role": ROLE,
        "kind": "person",
        "slug": "david-schenker",
        "url": "/speakers/david-schenker/",
    }


def test_the_same_edit_through_the_review_page_leaves_it_too(verdict, schenker, reviewer_client):
    other = factories.ClaimFactory(speaker=schenker, status=Claim.Status.IN_REVIEW)
    response = reviewer_client.post(
        reverse("review:claim_speaker", args=[other.pk]),
        {
            "speaker-version": other.version,
            "speaker-name": "David Schenker",
            "speaker-role": "Former envoy and lobbyist",
            "speaker-speaker_kind": "person",
        },
    )
    assert response.status_code in (200, 302)
    schenker.refresh_from_db()
    assert schenker.role == "Former envoy and lobbyist"
    page = Client().get(verdict.get_absolute_url()).content.decode()
    assert f"David Schenker</a>, {ROLE}" in page
    assert "lobbyist" not in page


def test_renaming_the_speaker_leaves_the_published_statement_and_claimant(verdict, schenker):
    before = _public_views(verdict)
    assert "David Schenker said the strikes hit three targets." in before["page"]
    schenker.name = "Dave Schenker"
    schenker.role = "Lobbyist"
    schenker.kind = "organisation"
    schenker.save()
    after = _public_views(verdict)
    for name, text in after.items():
        if name == "list":  # its speaker filter lists speakers as they are now
            continue
        assert "Dave Schenker" not in text, name
        assert "Lobbyist" not in text, name
    assert "David Schenker said the strikes hit three targets." in after["page"]
    assert "David Schenker said the strikes hit three targets." in after["feed"]
    assert "David Schenker said the strikes hit three targets." in after["list"]


def test_the_outlets_own_statement_keeps_its_outlet(reviewer_user, editor_user):
    article = factories.ArticleFactory(outlet_name="Sky News")
    verdict = publish(
        factories.ClaimFactory(
            article=article,
            speaker=None,
            speaker_text="",
            cue="",
            kind=Claim.Kind.UNATTRIBUTED,
        ),
        reviewer=reviewer_user,
        editor=editor_user,
        explanation="Checked.",
    )
    assert (verdict.speaker_name, verdict.speaker_role, verdict.speaker_kind) == (
        "Sky News",
        "",
        "",
    )
    article.outlet_name = "Renamed outlet"
    article.save()
    page = Client().get(verdict.get_absolute_url()).content.decode()
    assert 'Sky News <span class="said-cue">(the outlet\'s own reporting)</span>' in page
    assert json.loads(Client().get(f"/api/verdicts/{verdict.slug}").content)["speaker"] is None


def test_publishing_again_after_rework_shows_the_speaker_as_then_approved(
    verdict, schenker, reviewer_user, editor_user, other_editor_user
):
    verdict_unpublish(verdict=verdict, by=editor_user, reason="Wrong role")
    claim = Claim.objects.get(pk=verdict.claim_id)
    claim = claim_set_speaker(
        claim=claim,
        by=reviewer_user,
        speaker=schenker,
        role="Former Assistant Secretary of State",
        expected_version=claim.version,
    )
    verdict = verdict_submit(
        claim=claim, by=reviewer_user, rating=verdict.rating, explanation="Five targets."
    )
    verdict_approve(verdict=verdict, by=other_editor_user)
    page = Client().get(verdict.get_absolute_url()).content.decode()
    assert "Former Assistant Secretary of State" in page


def test_the_migration_fills_the_snapshot_of_verdicts_published_before_it(
    verdict, reviewer_user, editor_user
):
    outlet_claim = publish(
        factories.ClaimFactory(speaker=None, speaker_text="officials", kind=Claim.Kind.INDIRECT),
        reviewer=reviewer_user,
        editor=editor_user,
        explanation="Checked.",
    )
    draft = factories.VerdictFactory()
    expected = {
        v.pk: (v.speaker_name, v.speaker_role, v.speaker_kind, v.claim_reviewed)
        for v in (verdict, outlet_claim)
    }
    assert expected[verdict.pk] == (
        "David Schenker",
        ROLE,
        "person",
        "David Schenker said the strikes hit three targets.",
    )
    Verdict.objects.update(speaker_name="", speaker_role="", speaker_kind="", claim_reviewed="")
    migration = importlib.import_module("claims.migrations.0024_verdict_published_speaker")
    migration.snapshot_published_verdicts(apps, None)
    filled = {
        v.pk: (v.speaker_name, v.speaker_role, v.speaker_kind, v.claim_reviewed)
        for v in Verdict.objects.all()
    }
    assert filled[verdict.pk] == expected[verdict.pk]
    assert filled[outlet_claim.pk] == expected[outlet_claim.pk]
    assert filled[draft.pk] == ("", "", "", "")  # nothing public to keep
