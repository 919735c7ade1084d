"""The `corroborate_claim` job end to end against a local web: search providers, outlets' pages,
passages, ranking, duplicates, wire copies, failures, and what the claim page shows."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from claims.models import ClaimEvent, CorroborationRun, Evidence, Source
from claims.services import corroboration
from claims.services.claims import claim_accept
from claims.services.evidence import evidence_set_stance
from tests import factories

pytestmark = pytest.mark.django_db

EMBASSY_CLAIM = (
    "Hundreds of Iraqi protesters have broken down the gate of the US embassy in Baghdad as "
    "they attempt to storm the compound."
)
WIRE_STORY = [
    "BAGHDAD (Wire A) - Iraqi protesters broke down the gate of the US embassy in Baghdad on "
    "Tuesday and tried to storm the compound, hurling stones and setting fire to a reception "
    "area.",
    "The protest followed American airstrikes at the weekend that killed 25 fighters of the "
    "Kataib Hezbollah militia, which Washington blames for a rocket attack near Kirkuk.",
    "Iraqi officials said the ambassador and embassy staff had been moved to safety before the "
    "gate was breached. Iraqi special forces were deployed around the compound.",
]
COPY_OF_WIRE_STORY = [
    "Updated at 16:40. Our correspondent adds reporting.",
    *WIRE_STORY[:2],
    "Iraqi officials said the ambassador and embassy staff had been moved to safety before the "
    "gate was breached.",
]
OWN_REPORT = [
    "Thousands of mourners and militia supporters marched on the embassy compound in the Iraqi "
    "capital, chanting against America; some protesters broke down a gate of the US embassy in "
    "Baghdad before Iraqi forces arrived.",
    "An American diplomat said embassy staff were safe.",
]
UNRELATED = [
    "The weather in Washington was mild on Tuesday, with light winds from the west.",
    "Forecasters expect rain later in the week and colder nights at the weekend.",
]


@pytest.fixture
def outlets(db):
    made = {}
    for name, domain, reliability in (
        ("Wire A", "wire-a.test", Source.Reliability.HIGH),
        ("Paper B", "paper-b.test", Source.Reliability.MIXED),
        ("Daily C", "daily-c.test", Source.Reliability.UNKNOWN),
    ):
        source = factories.SourceFactory(name=name, reliability=reliability)
        factories.SourceDomainFactory(source=source, domain=domain)
        made[domain] = source
    return made


@pytest.fixture
def sites(web, outlets, settings):
    """Pages on three outlets plus a weather page and a dead one, found by a SearxNG-style
    search, a Fact Check Tools-style API, and a generic JSON API that never answers in time."""
    web.page("/a/embassy-stormed", "Protesters storm US embassy in Baghdad", WIRE_STORY)
    web.page("/b/embassy", "Embassy gate broken down", COPY_OF_WIRE_STORY)
    web.page("/c/mourners", "Mourners march on embassy", OWN_REPORT)
    web.page("/weather", "Mild weather in Washington", UNRELATED)
    web.server.expect_request("/a/gone").respond_with_data("Not found", status=404)
    results = [
        # The search engine's own order puts the weather page first; the job must not.
        {"url": web.url("weather.test", "/weather"), "title": "Weather", "content": "Mild."},
        {
            "url": web.url("daily-c.test", "/c/mourners"),
            "title": "Mourners march on embassy",
            "content": "Militia supporters marched on the embassy.",
        },
        {
            "url": web.url("paper-b.test", "/b/embassy?utm_source=searx"),
            "title": "Embassy gate broken down",
            "content": "",
        },
        {
            "url": web.url("wire-a.test", "/a/embassy-stormed"),
            "title": "Protesters storm US embassy in Baghdad",
            "content": "Iraqi protesters broke down the gate of the US embassy in Baghdad.",
            "publishedDate": "2019-12-31T12:00:00",
        },
        {
            "url": web.url("wire-a.test", "/a/gone"),
            "title": "Embassy live updates",
            "content": "Iraqi protesters broke down the gate of the US embassy in Baghdad and "
            "tried to storm the compound.",
        },
    ]
    web.json("/searx/search", {"results": results})
    web.json(
        "/factchecks",
        {
            "claims": [
                {
                    "text": "Protesters stormed the US embassy in Baghdad",
                    "claimReview": [
                        {
                            "url": web.url("checkdesk.test", "/checks/embassy"),
                            "publisher": {"name": "Check Desk"},
                            "title": "Did protesters storm the US embassy in Baghdad?",
                            "textualRating": "True",
                            "reviewDate": "2020-01-01T00:00:00Z",
                        }
                    ],
                }
            ]
        },
    )
    web.page(
        "/checks/embassy",
        "Did protesters storm the US embassy in Baghdad?",
        [
            "Our verdict: true. Iraqi protesters broke down the gate of the US embassy in "
            "Baghdad and attempted to storm the compound on 31 December.",
        ],
    )
    web.slow("/slow", seconds=3)
    settings.CORROBORATION_ARCHIVE = False
    settings.SEARXNG_URL = web.url("searx.test", "/searx")
    settings.SEARXNG_RATE_LIMIT = ""
    settings.FACTCHECK_TOOLS_API_KEY = "test-key"
    settings.FACTCHECK_TOOLS_URL = web.url("factchecktools.test", "/factchecks")
    settings.FACTCHECK_TOOLS_RATE_LIMIT = ""
    settings.SEARCH_JSON_URL = web.url("slowsearch.test", "/slow?q={query}")
    settings.SEARCH_JSON_TIMEOUT = 1
    settings.SEARCH_JSON_RATE_LIMIT = ""
    return web


@pytest.fixture
def claim(db):
    article = factories.ArticleFactory(url="https://sky.test/embassy", text=EMBASSY_CLAIM)
    return factories.ClaimFactory(
        article=article, speaker=None, speaker_text="", content=EMBASSY_CLAIM, kind="unattributed"
    )


def accept(claim, user, capture):
    with capture(execute=True):
        return claim_accept(claim=claim, by=user)


def evidence_of(claim) -> list[Evidence]:
    return list(claim.evidence.select_related("outlet").order_by("-score", "id"))


def test_the_job_proposes_the_right_passages_and_ranks_the_matching_page_first(
    sites, claim, reviewer_user, django_capture_on_commit_callbacks
):
    accept(claim, reviewer_user, django_capture_on_commit_callbacks)
    found = evidence_of(claim)
    urls = [e.url for e in found]
    assert urls[0] in {
        sites.url("wire-a.test", "/a/embassy-stormed"),
        sites.url("checkdesk.test", "/checks/embassy"),
    }
    assert sites.url("weather.test", "/weather") not in urls  # off-topic: not proposed
    wire = next(e for e in found if e.url == sites.url("wire-a.test", "/a/embassy-stormed"))
    assert "broke down the gate of the US embassy in Baghdad" in wire.passage
    assert wire.title == "Protesters storm US embassy in Baghdad"
    assert wire.outlet.name == "Wire A"
    assert wire.outlet.reliability == Source.Reliability.HIGH
    assert str(wire.published_on) == "2019-12-31"
    assert wire.origin == "searxng"
    assert "Kataib Hezbollah" in wire.snapshot
    assert wire.snapshot_sha256 == hashlib.sha256(wire.snapshot.encode()).hexdigest()
    assert wire.fetch_status == Evidence.FetchStatus.READY
    assert wire.page_sha256  # the baseline for link checks
    # A candidate never gets a stance of its own; it may get a suggestion with a reason.
    assert {e.stance for e in found} == {Evidence.Stance.UNREVIEWED}
    assert wire.suggested_stance == "supports"
    assert "gate" in wire.suggestion_reason
    check = next(e for e in found if "checkdesk" in e.url)
    assert check.origin == "factcheck_tools"
    assert (check.suggested_stance, check.suggestion_reason) == (
        "supports",
        "a fact-checker rated a similar claim “True”",
    )
    # Every score is the passage's match with the claim, best first.
    assert [e.score for e in found] == sorted((e.score for e in found), reverse=True)


def test_a_page_that_cannot_be_read_keeps_the_providers_snippet(
    sites, claim, reviewer_user, django_capture_on_commit_callbacks
):
    accept(claim, reviewer_user, django_capture_on_commit_callbacks)
    gone = claim.evidence.get(url=sites.url("wire-a.test", "/a/gone"))
    assert gone.fetch_status == Evidence.FetchStatus.FAILED
    assert "404" in gone.failure_reason
    assert gone.passage.startswith("Iraqi protesters broke down the gate")
    assert gone.snapshot_sha256 == hashlib.sha256(gone.snapshot.encode()).hexdigest()


def test_a_provider_that_times_out_does_not_stop_the_others(
    sites, claim, reviewer_user, django_capture_on_commit_callbacks
):
    accept(claim, reviewer_user, django_capture_on_commit_callbacks)
    run = CorroborationRun.objects.get(claim=claim)
    assert run.status == CorroborationRun.Status.DONE
    reports = {r["name"]: r for r in run.providers}
    assert reports["searxng"]["status"] == "ok"
    assert reports["factcheck_tools"]["status"] == "ok"
    assert reports["web_search"]["status"] == "failed"
    assert "did not answer within 1 seconds" in reports["web_search"]["error"]
    assert run.found == claim.evidence.count() >= 4
    event = claim.events.filter(action=ClaimEvent.Action.CORROBORATION).last()
    assert "web_search failed" in event.note
    assert f"found {run.found} candidates" in event.note


def test_running_again_updates_and_never_duplicates(
    sites, claim, reviewer_user, django_capture_on_commit_callbacks
):
    accept(claim, reviewer_user, django_capture_on_commit_callbacks)
    first = {e.url: e.pk for e in claim.evidence.all()}
    wire = claim.evidence.get(url=sites.url("wire-a.test", "/a/embassy-stormed"))
    evidence_set_stance(evidence=wire, stance=Evidence.Stance.SUPPORTS, by=reviewer_user)
    with django_capture_on_commit_callbacks(execute=True):
        corroboration.corroboration_request(claim=claim, by=reviewer_user)
    again = {e.url: e.pk for e in claim.evidence.all()}
    assert again == first
    wire.refresh_from_db()
    assert wire.stance == Evidence.Stance.SUPPORTS  # what a person decided stays
    assert CorroborationRun.objects.filter(claim=claim).count() == 2
    assert claim.evidence.count() == len(first)
    # The candidate pages were read once: the second run took them from memory.
    assert sites.hits("/a/embassy-stormed") == 1
    assert sites.hits("/c/mourners") == 1


def test_the_same_run_delivered_twice_stores_nothing_twice(
    sites, claim, reviewer_user, django_capture_on_commit_callbacks
):
    accept(claim, reviewer_user, django_capture_on_commit_callbacks)
    run = CorroborationRun.objects.get(claim=claim)
    count = claim.evidence.count()
    # A worker that died after finishing would leave the run done: the new delivery is a no-op.
    assert corroboration.corroboration_run(run_id=run.pk).status == "done"
    # One that died mid-run leaves it running: the new delivery runs it again, no duplicates.
    CorroborationRun.objects.filter(pk=run.pk).update(status="running")
    corroboration.corroboration_run(run_id=run.pk, job_id="again")
    assert claim.evidence.count() == count
    assert CorroborationRun.objects.get(pk=run.pk).attempts == 2


def test_wire_copies_are_grouped_and_outlets_counted_once(
    sites, claim, reviewer_client, reviewer_user, django_capture_on_commit_callbacks
):
    accept(claim, reviewer_user, django_capture_on_commit_callbacks)
    wire = claim.evidence.get(url=sites.url("wire-a.test", "/a/embassy-stormed"))
    copy = claim.evidence.get(url=sites.url("paper-b.test", "/b/embassy"))
    own = claim.evidence.get(url=sites.url("daily-c.test", "/c/mourners"))
    assert copy.copy_group == wire.copy_group == min(wire.pk, copy.pk)
    assert own.copy_group is None
    # Wire A (twice: the story and the dead page) + its copy in Paper B = one origin;
    # Daily C's own report, and the fact-check, are independent.
    body = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "Found in <strong>3</strong> independent outlets" in body
    assert "Same text as another candidate" in body


def test_the_claims_own_article_is_never_proposed(
    sites, claim, reviewer_user, django_capture_on_commit_callbacks
):
    claim.article.url = sites.url("wire-a.test", "/a/embassy-stormed")
    claim.article.save()
    accept(claim, reviewer_user, django_capture_on_commit_callbacks)
    assert not claim.evidence.filter(url=claim.article.url).exists()
    assert claim.evidence.exists()


def test_numbers_that_disagree_are_suggested_as_refuting(
    web, outlets, settings, reviewer_user, django_capture_on_commit_callbacks
):
    web.page(
        "/a/strikes",
        "US strikes on militia",
        ["American airstrikes on Sunday killed 19 fighters of an Iran-backed militia in Iraq."],
    )
    web.json(
        "/searx/search",
        {"results": [{"url": web.url("wire-a.test", "/a/strikes"), "title": "US strikes"}]},
    )
    settings.CORROBORATION_ARCHIVE = False
    settings.SEARXNG_URL = web.url("searx.test", "/searx")
    claim = factories.ClaimFactory(
        content="American airstrikes killed 25 fighters of an Iran-backed militia"
    )
    accept(claim, reviewer_user, django_capture_on_commit_callbacks)
    [found] = claim.evidence.all()
    assert found.stance == Evidence.Stance.UNREVIEWED
    assert found.suggested_stance == Evidence.Stance.REFUTES
    assert found.suggestion_reason == "numbers disagree: 25 in the claim, 19 here"


def test_no_provider_switched_on_fails_with_a_clear_reason(
    settings, reviewer_user, django_capture_on_commit_callbacks
):
    settings.CORROBORATION_ARCHIVE = False
    settings.SEARXNG_URL = settings.SEARCH_JSON_URL = settings.FACTCHECK_TOOLS_API_KEY = ""
    claim = factories.ClaimFactory()
    accept(claim, reviewer_user, django_capture_on_commit_callbacks)
    run = CorroborationRun.objects.get(claim=claim)
    assert run.status == "failed"
    assert "No evidence provider is switched on" in run.error


def test_a_second_request_while_one_runs_answers_with_that_one(reviewer_user):
    claim = factories.ClaimFactory()
    first = corroboration.corroboration_request(claim=claim, by=reviewer_user)
    second = corroboration.corroboration_request(claim=claim, by=reviewer_user)
    assert first.pk == second.pk
    assert CorroborationRun.objects.filter(claim=claim).count() == 1


def test_dismissed_and_published_claims_are_not_searched(reviewer_user):
    from claims.services.errors import ServiceError

    for status in ("dismissed", "published"):
        claim = factories.ClaimFactory(status=status)
        with pytest.raises(ServiceError, match="is not searched"):
            corroboration.corroboration_request(claim=claim, by=reviewer_user)


def test_a_network_failure_is_retried_later_when_a_broker_can_bring_it_back(
    sites, claim, reviewer_user
):
    run = corroboration.corroboration_request(claim=claim, by=reviewer_user)
    with pytest.raises(corroboration.CorroborationRetry, match="web_search"):
        corroboration.corroboration_run(run_id=run.pk, may_retry=True)
    run.refresh_from_db()
    assert run.status == "running"
    assert run.stage.startswith("Waiting to ask web_search again")
    assert claim.evidence.count() >= 4  # what was found is stored already
    # The last try stores and finishes, the failure reported.
    finished = corroboration.corroboration_run(run_id=run.pk, may_retry=False)
    assert finished.status == "done"


def test_the_periodic_jobs_are_scheduled_and_registered(settings):
    from factcheck.celery import app

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"claims.poll_due_feeds", "claims.check_evidence_links"} <= scheduled
    app.loader.import_default_modules()
    assert scheduled <= set(app.tasks)


def test_a_search_whose_worker_vanished_is_started_again(reviewer_user, reviewer_client):
    import datetime

    claim = factories.ClaimFactory(status="in_review")
    stuck = corroboration.corroboration_request(claim=claim, by=reviewer_user)
    long_ago = stuck.created_at - datetime.timedelta(hours=2)
    CorroborationRun.objects.filter(pk=stuck.pk).update(status="running", created_at=long_ago)
    body = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "its worker has probably stopped" in body
    assert 'hx-trigger="every 2s"' not in body  # no polling a search that will never end
    fresh = corroboration.corroboration_request(claim=claim, by=reviewer_user)
    assert fresh.pk != stuck.pk
    stuck.refresh_from_db()
    assert stuck.status == "failed"


def test_an_unexpected_error_fails_the_run_instead_of_leaving_it_running(
    reviewer_user, monkeypatch
):
    from claims.tasks import corroborate_claim

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(corroboration, "find_evidence", broken)
    claim = factories.ClaimFactory(status="in_review")
    run = corroboration.corroboration_request(claim=claim, by=reviewer_user)
    with pytest.raises(RuntimeError):
        corroborate_claim.apply(args=[run.pk], throw=True)
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error == "The evidence search failed unexpectedly (RuntimeError); search again."
