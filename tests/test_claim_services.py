"""Claim services added for the review workspace: add by hand, split, merge, speaker changes."""

from __future__ import annotations

import pytest

from claims.models import Claim, ClaimEvent, VerdictCorrection, VerdictRating
from claims.services import claims as claim_services
from claims.services import verdicts as verdict_services
from claims.services.errors import PermissionRefused, ServiceError, StaleVersion
from tests import factories

pytestmark = pytest.mark.django_db

TEXT = (
    "The minister said the bridge will open in May and it will cost less than planned. "
    "Critics said the date is unrealistic."
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def article():
    return factories.ArticleFactory(text=TEXT)


def _claim(article, content, **kwargs):
    start = TEXT.index(content)
    return factories.ClaimFactory(
        article=article, content=content, start=start, end=start + len(content), **kwargs
    )


def test_manual_claim_from_offsets_trims_and_finds_its_sentence(article, reviewer_user):
    start = TEXT.index("the date") - 1  # a leading space, as selections often have
    claim = claim_services.claim_create_manual(
        article=article, by=reviewer_user, start=start, end=len(TEXT) - 1
    )
    assert claim.content == "the date is unrealistic"
    assert claim.sentence == "Critics said the date is unrealistic."
    assert (claim.origin, claim.kind, claim.touched) == ("manual", "unattributed", True)
    assert ClaimEvent.objects.filter(claim=claim, action=ClaimEvent.Action.CREATED).exists()


def test_manual_claim_with_a_speaker_is_reported_speech(article, reviewer_user):
    speaker = claim_services.speaker_get_or_create(name="Critics")
    claim = claim_services.claim_create_manual(
        article=article, by=reviewer_user, quote="the date is unrealistic", speaker=speaker
    )
    assert (claim.speaker, claim.kind) == (speaker, Claim.Kind.INDIRECT)


@pytest.mark.parametrize(("start", "end"), [(5, 5), (10, 2), (0, 10_000), (-1, 4)])
def test_manual_claim_outside_the_text_is_refused(article, reviewer_user, start, end):
    with pytest.raises(ServiceError):
        claim_services.claim_create_manual(article=article, by=reviewer_user, start=start, end=end)


def test_manual_claim_on_an_existing_span_is_refused(article, reviewer_user):
    _claim(article, "the date is unrealistic")
    with pytest.raises(ServiceError):
        claim_services.claim_create_manual(
            article=article, by=reviewer_user, quote="the date is unrealistic"
        )


def test_split_cuts_content_and_offsets(article, reviewer_user):
    claim = _claim(article, "the bridge will open in May and it will cost less than planned")
    first, second = claim_services.claim_split(
        claim=claim, by=reviewer_user, expected_version=1, second_starts_with="it will cost"
    )
    assert first.content == "the bridge will open in May and"
    assert TEXT[second.start : second.end] == second.content == "it will cost less than planned"
    assert first.version == 2
    assert ClaimEvent.objects.filter(claim=first, action=ClaimEvent.Action.SPLIT).exists()
    assert ClaimEvent.objects.filter(claim=second, action=ClaimEvent.Action.CREATED).exists()


def test_split_needs_words_from_inside_the_content(article, reviewer_user):
    claim = _claim(article, "the bridge will open in May")
    for marker in ("not there", "the bridge"):
        with pytest.raises(ServiceError):
            claim_services.claim_split(
                claim=claim, by=reviewer_user, expected_version=1, second_starts_with=marker
            )


def test_split_against_an_old_version_is_refused(article, reviewer_user):
    claim = _claim(article, "the bridge will open in May and it will cost less than planned")
    with pytest.raises(StaleVersion):
        claim_services.claim_split(
            claim=claim, by=reviewer_user, expected_version=5, second_starts_with="it will"
        )
    assert Claim.objects.count() == 1


def test_merge_covers_both_and_keeps_the_other_as_a_duplicate(article, reviewer_user):
    first = _claim(article, "the bridge will open in May")
    second = _claim(article, "it will cost less than planned")
    merged = claim_services.claim_merge(
        claim=second, other=first, by=reviewer_user, expected_version=1
    )
    assert merged.content == "the bridge will open in May and it will cost less than planned"
    first.refresh_from_db()
    assert (first.status, first.duplicate_of) == (Claim.Status.DISMISSED, merged)
    assert ClaimEvent.objects.filter(claim=merged, action=ClaimEvent.Action.MERGED).exists()


def test_merge_across_articles_is_refused(article, reviewer_user):
    first = _claim(article, "the bridge will open in May")
    other = factories.ClaimFactory()
    with pytest.raises(ServiceError):
        claim_services.claim_merge(claim=first, other=other, by=reviewer_user, expected_version=1)


def test_role_only_edit_is_recorded(article, reviewer_user):
    speaker = factories.SpeakerFactory(name="Jane Minister", role="Minister")
    claim = _claim(article, "the bridge will open in May", speaker=speaker)
    claim = claim_services.claim_set_speaker(
        claim=claim,
        by=reviewer_user,
        speaker=speaker,
        role="Transport minister",
        expected_version=1,
    )
    speaker.refresh_from_db()
    assert speaker.role == "Transport minister"
    assert claim.version == 2
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.field, event.before, event.after) == ("speaker_role", "Minister", speaker.role)


def test_unpublish_records_the_reason_as_a_correction(published_verdict, other_editor_user):
    correction = verdict_services.verdict_unpublish(
        verdict=published_verdict, by=other_editor_user, reason="Wrong date."
    )
    published_verdict.claim.refresh_from_db()
    assert published_verdict.claim.status == Claim.Status.IN_REVIEW
    assert correction.reason == "Wrong date."
    assert VerdictCorrection.objects.filter(verdict=published_verdict).count() == 1


def test_reviewers_cannot_unpublish(published_verdict, reviewer_user):
    with pytest.raises(PermissionRefused):
        verdict_services.verdict_unpublish(
            verdict=published_verdict, by=reviewer_user, reason="No."
        )


def test_republished_verdict_shows_the_update_publicly(
    published_verdict, other_editor_user, client
):
    verdict_services.verdict_unpublish(
        verdict=published_verdict, by=other_editor_user, reason="The date was wrong."
    )
    # Reopened, the page stays up with the published version, and says it is reviewed again.
    during = client.get(published_verdict.get_absolute_url())
    assert during.status_code == 200
    assert "being reviewed again" in during.content.decode()
    assert "The date was wrong." not in during.content.decode()
    claim = published_verdict.claim
    claim.refresh_from_db()
    author = factories.reviewer()
    verdict = verdict_services.verdict_submit(
        claim=claim,
        by=author,
        rating=VerdictRating.objects.get(slug="mostly-true"),
        explanation="Fixed.",
    )
    verdict_services.verdict_approve(verdict=verdict, by=other_editor_user)
    body = client.get(published_verdict.get_absolute_url()).content.decode()
    assert "The date was wrong." in body
    assert "Fixed." in body and "being reviewed again" not in body


def test_split_onto_an_existing_claim_is_refused(article, reviewer_user):
    claim = _claim(article, "the bridge will open in May and it will cost less than planned")
    _claim(article, "it will cost less than planned")
    with pytest.raises(ServiceError):
        claim_services.claim_split(
            claim=claim, by=reviewer_user, expected_version=1, second_starts_with="it will cost"
        )
    claim.refresh_from_db()
    assert claim.version == 1


def test_a_new_mention_matching_an_alias_joins_that_speaker():
    from claims.models import Speaker
    from claims.services.claims import speaker_get_or_create

    mehdi = factories.SpeakerFactory(name="Adel Abdul Mehdi", aliases=["Adel Abdul Mahdi"])
    assert speaker_get_or_create(name="adel abdul  MAHDI") == mehdi
    assert speaker_get_or_create(name="Adel Abdul Mehdi") == mehdi
    assert Speaker.objects.count() == 1
    other = speaker_get_or_create(name="Adel Abdul")
    assert other != mehdi


def test_aliases_must_be_a_list_of_names():
    from django.core.exceptions import ValidationError

    speaker = factories.SpeakerFactory(aliases="Adel Abdul Mahdi")
    with pytest.raises(ValidationError):
        speaker.clean()
    speaker.aliases = ["Adel Abdul Mahdi", ""]
    with pytest.raises(ValidationError):
        speaker.clean()
    speaker.aliases = ["Adel Abdul Mahdi"]
    speaker.clean()
