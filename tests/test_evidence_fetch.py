"""Hand-added evidence: the link is stored at once and a job fetches its title and passage."""

from __future__ import annotations

import pytest

from claims.models import ClaimEvent, Evidence
from claims.services import evidence as evidence_services
from claims.services.errors import ServiceError, StaleVersion
from claims.tasks import fetch_evidence
from tests import factories

pytestmark = pytest.mark.django_db

PAGE = """<!doctype html><html><head><title>Pentagon confirms strikes</title></head><body>
<article><h1>Pentagon confirms strikes</h1>
<p>The weather in Washington was mild on Sunday, with light winds from the west and some sun.</p>
<p>US F-15E jets struck five targets, three in Iraq and two in Syria, the Pentagon said.</p>
<p>Officials said the strikes were a response to a rocket attack that killed a US contractor.</p>
</article></body></html>"""


@pytest.fixture(autouse=True)
def _local_fetching(settings):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def claim():
    return factories.ClaimFactory(content="The strikes hit five targets in Iraq and Syria")


def test_best_passage_prefers_the_matching_sentence():
    passage, score = evidence_services.best_passage(
        "The strikes hit five targets in Iraq and Syria",
        "The weather was mild. US jets struck five targets in Iraq and Syria. Nothing else.",
    )
    assert "five targets in Iraq and Syria" in passage
    assert "weather" not in passage
    assert 0.5 < score <= 1


def test_best_passage_of_nothing_is_empty():
    assert evidence_services.best_passage("claim words", "") == ("", 0.0)


def test_adding_by_hand_stores_the_link_pending_and_enqueues_the_fetch(
    claim, reviewer_user, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(fetch_evidence, "delay", lambda pk: queued.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        evidence = evidence_services.evidence_add_by_hand(
            claim=claim,
            url="https://www.defense.gov/News/Release/1/",
            by=reviewer_user,
            expected_version=1,
        )
    assert queued == [evidence.pk]
    assert evidence.fetch_status == Evidence.FetchStatus.PENDING
    claim.refresh_from_db()
    assert claim.version == 2
    assert ClaimEvent.objects.filter(claim=claim, action=ClaimEvent.Action.EVIDENCE_ADDED).exists()


def test_adding_against_an_old_version_is_refused(claim, reviewer_user):
    with pytest.raises(StaleVersion):
        evidence_services.evidence_add_by_hand(
            claim=claim, url="https://example.org/a", by=reviewer_user, expected_version=7
        )
    assert not Evidence.objects.exists()


def test_adding_the_same_link_twice_is_refused(claim, reviewer_user):
    evidence_services.evidence_add_by_hand(
        claim=claim, url="https://example.org/a", by=reviewer_user
    )
    with pytest.raises(ServiceError):
        evidence_services.evidence_add_by_hand(
            claim=claim, url="https://example.org/a#x", by=reviewer_user
        )


def test_the_job_fetches_title_snapshot_and_passage(claim, httpserver):
    httpserver.expect_request("/strikes").respond_with_data(PAGE, content_type="text/html")
    evidence = factories.EvidenceFactory(
        claim=claim,
        url=httpserver.url_for("/strikes"),
        title="",
        fetch_status=Evidence.FetchStatus.PENDING,
    )
    fetch_evidence.apply(args=[evidence.pk])
    evidence.refresh_from_db()
    assert evidence.fetch_status == Evidence.FetchStatus.READY
    assert evidence.title == "Pentagon confirms strikes"
    assert "five targets, three in Iraq and two in Syria" in evidence.passage
    assert "weather" not in evidence.passage
    assert len(evidence.snapshot_sha256) == 64
    assert evidence.score and evidence.score > 0.5
    # Running again changes nothing (idempotent).
    fetch_evidence.apply(args=[evidence.pk])
    assert Evidence.objects.get(pk=evidence.pk).passage == evidence.passage


def test_a_page_that_is_not_found_fails_with_a_reason(claim, httpserver):
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    evidence = factories.EvidenceFactory(
        claim=claim, url=httpserver.url_for("/gone"), fetch_status=Evidence.FetchStatus.PENDING
    )
    fetch_evidence.apply(args=[evidence.pk])
    evidence.refresh_from_db()
    assert evidence.fetch_status == Evidence.FetchStatus.FAILED
    assert evidence.failure_reason


def test_retryable_errors_retry_then_give_up_with_a_reason(claim, monkeypatch):
    from claims import fetching

    calls = []

    def unreachable(url, **kwargs):
        calls.append(url)
        raise fetching.FetchError("The site did not answer.", retryable=True)

    monkeypatch.setattr(fetching, "fetch_url", unreachable)
    evidence = factories.EvidenceFactory(
        claim=claim, url="https://example.org/slow", fetch_status=Evidence.FetchStatus.PENDING
    )
    fetch_evidence.apply(args=[evidence.pk])
    evidence.refresh_from_db()
    assert len(calls) == fetch_evidence.max_retries + 1
    assert evidence.fetch_status == Evidence.FetchStatus.FAILED
    assert "The site did not answer." in evidence.failure_reason


def test_setting_a_stance_with_a_version_raises_it(claim, reviewer_user):
    evidence = factories.EvidenceFactory(claim=claim)
    evidence_services.evidence_set_stance(
        evidence=evidence, stance="supports", by=reviewer_user, expected_version=1
    )
    claim.refresh_from_db()
    assert claim.version == 2
    with pytest.raises(StaleVersion):
        evidence_services.evidence_set_stance(
            evidence=evidence, stance="refutes", by=reviewer_user, expected_version=1
        )
    assert Evidence.objects.get(pk=evidence.pk).stance == "supports"


def test_pending_evidence_polls_for_itself_until_fetched(claim, reviewer_client):
    from django.urls import reverse

    evidence = factories.EvidenceFactory(claim=claim, fetch_status=Evidence.FetchStatus.PENDING)
    url = reverse("review:evidence_item", args=[evidence.pk])
    panel = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 2s"' in panel
    fragment = reviewer_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith(
        f'<li class="evidence-item stance-unreviewed" id="evidence-{evidence.pk}"'
    )
    Evidence.objects.filter(pk=evidence.pk).update(fetch_status=Evidence.FetchStatus.READY)
    fragment = reviewer_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in fragment
    assert reviewer_client.get(url).status_code == 302  # without htmx: the claim page
    assert reviewer_client.post(url).status_code == 405


def test_evidence_item_is_staff_only(claim, plain_user_client, client):
    from django.urls import reverse

    evidence = factories.EvidenceFactory(claim=claim)
    url = reverse("review:evidence_item", args=[evidence.pk])
    assert plain_user_client.get(url, HTTP_HX_REQUEST="true").status_code == 403
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 302
