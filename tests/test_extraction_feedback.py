"""Every reviewer correction of the extractor is kept as a labelled example linked to the
extractor's original output: dismissing as "not a claim", editing the content or kind,
changing the speaker, splitting, merging, and adding a missed claim by hand."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claim, ExtractionCorrection, ExtractionReview
from claims.services import claims as claim_services
from claims.services.errors import StaleVersion
from claims.services.extraction_feedback import content_similarity
from tests import factories
from tests.extraction_feedback_helpers import TEXT, article, extracted_claim, span

pytestmark = pytest.mark.django_db

Outcome = ExtractionReview.Outcome
Kind = ExtractionCorrection.Kind
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def source():
    return factories.SourceFactory(name="Daily Planet")


@pytest.fixture
def bridge(source):
    return extracted_claim(
        article(outlet=source),
        "the bridge will open in May",
        speaker="The Minister",
        mention="The minister",
    )


def _review(claim: Claim) -> ExtractionReview:
    return ExtractionReview.objects.get(claim=claim)


def test_accepting_keeps_the_extraction_as_it_was(bridge, reviewer_user, source):
    claim_services.claim_accept(claim=bridge, by=reviewer_user)
    review = _review(bridge)
    assert review.outcome == Outcome.KEPT
    assert review.extracted
    assert (review.content_start, review.content_end) == span("the bridge will open in May")
    assert (review.speaker_start, review.speaker_end) == span("The minister")
    assert (review.cue_start, review.cue_end) == span("said")
    assert (review.speaker_name, review.source, review.kind) == ("The Minister", source, "indirect")
    assert review.article_added_at == bridge.article.created_at
    assert not review.corrections.exists()


def test_nothing_is_recorded_before_a_reviewer_acts(bridge, reviewer_user):
    claim_services.claim_assign(claim=bridge, assignee=reviewer_user, by=reviewer_user)
    claim_services.claim_comment(claim=bridge, by=reviewer_user, body="Looks checkable")
    assert not ExtractionReview.objects.exists()


def test_dismissed_as_not_a_claim_is_a_labelled_error(bridge, reviewer_user):
    claim_services.claim_dismiss(claim=bridge, by=reviewer_user, reason="not_a_claim")
    review = _review(bridge)
    assert review.outcome == Outcome.NOT_A_CLAIM
    correction = review.corrections.get()
    assert (correction.kind, correction.by) == (Kind.NOT_A_CLAIM, reviewer_user)
    assert (correction.content_start, correction.content_end) == span("the bridge will open in May")
    # Restoring it takes the label back, and says so.
    claim_services.claim_restore(claim=bridge, by=reviewer_user)
    review.refresh_from_db()
    assert review.outcome == Outcome.KEPT
    assert [c.kind for c in review.corrections.all()] == [Kind.NOT_A_CLAIM, Kind.RESTORED]


@pytest.mark.parametrize("reason", ["opinion", "not_checkable", "other"])
def test_other_dismissals_judge_the_extraction_right(bridge, reviewer_user, reason):
    claim_services.claim_dismiss(claim=bridge, by=reviewer_user, reason=reason)
    assert _review(bridge).outcome == Outcome.KEPT
    assert not ExtractionCorrection.objects.exists()


def test_a_light_edit_and_a_heavy_one(bridge, reviewer_user):
    light = claim_services.claim_update(
        claim=bridge, by=reviewer_user, expected_version=1, content="the bridge will open in"
    )
    review = _review(bridge)
    assert review.outcome == Outcome.LIGHTLY_EDITED
    correction = review.corrections.get()
    assert correction.kind == Kind.CONTENT
    assert correction.content_similarity == pytest.approx(
        content_similarity("the bridge will open in May", "the bridge will open in")
    )
    assert correction.content_similarity >= 0.8
    # The corrected content is found in the text: its own offsets.
    assert (correction.content_start, correction.content_end) == span("the bridge will open in")
    # The original stays as the extractor gave it, however many edits follow.
    claim_services.claim_update(
        claim=light, by=reviewer_user, expected_version=light.version, content="the bridge"
    )
    review.refresh_from_db()
    assert review.outcome == Outcome.CORRECTED
    assert review.content == "the bridge will open in May"
    assert review.corrections.count() == 2


def test_a_kind_change_is_a_light_edit(bridge, reviewer_user):
    claim_services.claim_update(claim=bridge, by=reviewer_user, expected_version=1, kind="direct")
    review = _review(bridge)
    assert review.outcome == Outcome.LIGHTLY_EDITED
    assert review.corrections.get().kind == Kind.KIND
    assert review.corrections.get().claim_kind == "direct"


def test_an_edit_of_the_score_or_statement_is_no_correction(bridge, reviewer_user):
    claim_services.claim_update(
        claim=bridge, by=reviewer_user, expected_version=1, checkworthiness=0.1, statement="X."
    )
    assert not ExtractionCorrection.objects.exists()


def test_a_changed_speaker_is_found_in_the_text(reviewer_user):
    taxes = extracted_claim(
        article(),
        "taxes fell by three percent last year",
        speaker="Critics",
        mention="Critics",
        cue="claimed",
    )
    mayor = claim_services.speaker_get_or_create(name="Ada Brown")
    claim_services.claim_set_speaker(
        claim=taxes, by=reviewer_user, speaker=mayor, expected_version=1
    )
    review = _review(taxes)
    assert review.outcome == Outcome.CORRECTED
    assert (review.speaker_name, review.speaker_text) == ("Critics", "Critics")
    correction = review.corrections.get()
    assert correction.kind == Kind.SPEAKER
    assert correction.speaker_name == "Ada Brown"
    assert (correction.speaker_start, correction.speaker_end) == span("Ada Brown")
    assert (correction.cue_start, correction.cue_end) == span("claimed")


def test_a_speaker_named_only_by_surname_is_found_by_it(reviewer_user):
    claim = extracted_claim(article(), "two men were arrested", speaker=None, cue="")
    claim_services.claim_set_speaker(
        claim=claim,
        by=reviewer_user,
        speaker=claim_services.speaker_get_or_create(name="Brian Police"),
        expected_version=1,
    )
    correction = _review(claim).corrections.get()
    assert TEXT[correction.speaker_start : correction.speaker_end] == "Police"


def test_split_labels_both_parts_from_one_original(reviewer_user):
    road = extracted_claim(
        article(),
        "the road is closed and the rail line is open",
        speaker="Officials",
        mention="Officials",
    )
    first, second = claim_services.claim_split(
        claim=road, by=reviewer_user, expected_version=1, second_starts_with="the rail line"
    )
    review, part = _review(first), _review(second)
    assert review.outcome == Outcome.CORRECTED
    assert part.outcome == Outcome.SPLIT_PART
    assert part.content == review.content == "the road is closed and the rail line is open"
    first_correction, second_correction = review.corrections.get(), part.corrections.get()
    assert first_correction.kind == second_correction.kind == Kind.SPLIT
    # The service keeps the joining word with the first part.
    assert (first_correction.content_start, first_correction.content_end) == span(
        "the road is closed and"
    )
    assert (second_correction.content_start, second_correction.content_end) == span(
        "the rail line is open"
    )
    assert (second_correction.speaker_start, second_correction.speaker_end) == span("Officials")


def test_merge_labels_the_kept_claim_and_the_absorbed_one(reviewer_user):
    page = article()
    arrested = extracted_claim(
        page, "two men were arrested", speaker="Police", mention="Police", cue="said"
    )
    questioned = extracted_claim(page, "they were questioned", speaker="Police", cue="said")
    claim_services.claim_merge(
        claim=arrested, other=questioned, by=reviewer_user, expected_version=1
    )
    kept, absorbed = _review(arrested), _review(questioned)
    assert (kept.outcome, absorbed.outcome) == (Outcome.CORRECTED, Outcome.MERGED)
    assert kept.corrections.get().kind == absorbed.corrections.get().kind == Kind.MERGE
    merged_span = (span("two men were arrested")[0], span("they were questioned")[1])
    correction = kept.corrections.get()
    assert (correction.content_start, correction.content_end) == merged_span
    assert kept.content == "two men were arrested"


def test_a_missed_claim_added_by_hand(reviewer_user, source):
    page = article(outlet=source)
    start, end = span("prices will rise")
    claim = claim_services.claim_create_manual(
        article=page,
        by=reviewer_user,
        start=start,
        end=end,
        speaker=claim_services.speaker_get_or_create(name="Jane Doe"),
    )
    review = _review(claim)
    assert (review.outcome, review.extracted, review.source) == (Outcome.ADDED, False, source)
    assert review.content == "" and review.content_start is None
    correction = review.corrections.get()
    assert (correction.kind, correction.by) == (Kind.ADDED, reviewer_user)
    assert (correction.content_start, correction.content_end) == (start, end)
    assert (correction.speaker_start, correction.speaker_end) == span("Jane Doe")
    assert correction.content_similarity is None


def test_views_record_through_the_services(bridge, reviewer_client):
    response = reviewer_client.post(
        reverse("review:claim_dismiss", args=[bridge.pk]),
        {"dismiss-version": 1, "dismiss-reason": "not_a_claim"},
        **HTMX,
    )
    assert response.status_code == 200
    assert _review(bridge).outcome == Outcome.NOT_A_CLAIM
    page = bridge.article
    start, end = span("the date is unrealistic")
    response = reviewer_client.post(
        reverse("review:article_claim_create", args=[page.pk]),
        {"start": start, "end": end, "speaker": "Critics"},
    )
    assert response.status_code == 302
    added = Claim.objects.get(article=page, start=start, end=end)
    assert _review(added).outcome == Outcome.ADDED


def test_a_refused_action_records_nothing(bridge, reviewer_user, editor_user):
    claim_services.claim_update(claim=bridge, by=editor_user, expected_version=1, content="x y")
    before = ExtractionCorrection.objects.count()
    with pytest.raises(StaleVersion):
        claim_services.claim_update(
            claim=bridge, by=reviewer_user, expected_version=1, content="stale edit"
        )
    assert ExtractionCorrection.objects.count() == before
