"""The claim page's evidence search: status line, "search again", the polling fragments, who may
use them, and the `corroborate` command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.models import CorroborationRun, Evidence
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


class FakeArchive:
    """Stands in for the archive provider: one page about the embassy gate."""

    name = "archive"
    uses_database = True

    def search(self, query, *, limit):
        from claims.corroboration.providers import Candidate

        return [
            Candidate(
                url="https://www.senate.gov/embassy",
                title="Statement on the embassy attack",
                text="Today protesters broke down the gate of the US embassy in Baghdad and "
                "tried to storm the compound. No Americans were harmed.",
                provider="archive",
            )
        ]


@pytest.fixture(autouse=True)
def fake_archive(monkeypatch, settings):
    from claims.services import corroboration

    settings.CORROBORATION_ARCHIVE = True
    settings.SEARXNG_URL = settings.SEARCH_JSON_URL = settings.FACTCHECK_TOOLS_API_KEY = ""
    monkeypatch.setattr(corroboration, "configured_providers", lambda: [FakeArchive()])


@pytest.fixture
def claim(db):
    return factories.ClaimFactory(
        status="in_review",
        content="Protesters broke down the gate of the US embassy in Baghdad",
    )


def url(name, claim):
    return reverse(f"review:{name}", args=[claim.pk])


def test_search_again_runs_the_search_and_answers_with_the_status_line(
    reviewer_client, claim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(url("claim_corroborate", claim), **HTMX)
        # The test's transaction holds the job until the block ends; so would a broker.
        assert response.status_code == 200
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="corroboration-status"')
        assert "waiting for a worker" in body
        assert "disabled" in body  # no second search while one is on its way
    polled = reviewer_client.get(url("claim_corroboration", claim), **HTMX)
    assert "1 candidate found, 1 new" in polled.content.decode()
    # The search is over: the page reloads its evidence list.
    assert polled["HX-Trigger"] == "corroboration-finished"
    [evidence] = claim.evidence.all()
    assert evidence.origin == "archive"
    assert evidence.stance == Evidence.Stance.UNREVIEWED


def test_search_again_without_javascript_redirects_back(reviewer_client, claim):
    response = reviewer_client.post(url("claim_corroborate", claim))
    assert response.status_code == 302
    assert response["Location"] == claim.get_absolute_url()


def test_a_queued_search_polls_until_it_is_over(reviewer_client, claim):
    from claims.services.corroboration import corroboration_request

    run = corroboration_request(claim=claim, by=None)  # not committed: stays queued
    body = reviewer_client.get(url("claim", claim)).content.decode()
    assert f'hx-get="{url("claim_corroboration", claim)}"' in body
    assert 'hx-trigger="every 2s"' in body
    assert "waiting for a worker" in body
    polled = reviewer_client.get(url("claim_corroboration", claim), **HTMX)
    assert "HX-Trigger" not in polled
    CorroborationRun.objects.filter(pk=run.pk).update(status="running", stage="Reading 3 pages")
    polled = reviewer_client.get(url("claim_corroboration", claim), **HTMX)
    assert "Reading 3 pages" in polled.content.decode()
    CorroborationRun.objects.filter(pk=run.pk).update(status="done", found=2, added=2)
    polled = reviewer_client.get(url("claim_corroboration", claim), **HTMX)
    assert polled["HX-Trigger"] == "corroboration-finished"
    assert 'hx-trigger="every 2s"' not in polled.content.decode()


def test_the_evidence_fragment_is_the_section_alone(reviewer_client, claim):
    factories.EvidenceFactory(
        claim=claim,
        title="A found page",
        suggested_stance="refutes",
        suggestion_reason="numbers disagree: 25 in the claim, 19 here",
    )
    body = reviewer_client.get(url("claim_evidence", claim), **HTMX).content.decode()
    assert body.lstrip().startswith('<section id="evidence-section"')
    assert "A found page" in body
    assert "Suggested: <strong>refutes</strong>" in body
    assert "numbers disagree: 25 in the claim, 19 here" in body


def test_fragments_without_htmx_redirect_to_the_claim(reviewer_client, claim):
    for name in ("claim_corroboration", "claim_evidence"):
        response = reviewer_client.get(url(name, claim))
        assert response.status_code == 302
        assert response["Location"] == claim.get_absolute_url()


def test_a_dismissed_claim_is_not_searched(reviewer_client):
    claim = factories.ClaimFactory(status="dismissed")
    response = reviewer_client.post(url("claim_corroborate", claim), **HTMX)
    assert response.status_code == 422
    assert "A dismissed claim is not searched for evidence." in response.content.decode()
    assert not CorroborationRun.objects.exists()
    body = reviewer_client.get(url("claim", claim)).content.decode()
    assert "Search for evidence" not in body


def test_search_again_refuses_get(reviewer_client, claim):
    assert reviewer_client.get(url("claim_corroborate", claim)).status_code == 405


@pytest.mark.parametrize("name", ["claim_corroborate", "claim_corroboration", "claim_evidence"])
def test_only_staff_may_use_them(client, plain_user_client, claim, name):
    method = "post" if name == "claim_corroborate" else "get"
    anonymous = getattr(client, method)(url(name, claim), **HTMX)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert getattr(plain_user_client, method)(url(name, claim), **HTMX).status_code == 403
    assert not CorroborationRun.objects.exists()


def test_the_public_never_sees_candidates(client, claim):
    factories.EvidenceFactory(claim=claim, title="An unreviewed candidate")
    body = client.get("/").content.decode()
    assert "An unreviewed candidate" not in body


def test_accepting_a_claim_starts_the_search(reviewer_client, django_capture_on_commit_callbacks):
    claim = factories.ClaimFactory(content="Protesters broke down the gate of the US embassy")
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(
            url("claim_move", claim), {"move-move": "accept", "move-version": claim.version}
        )
    run = CorroborationRun.objects.get(claim=claim)
    assert run.status == "done"
    assert claim.evidence.count() == 1
    notes = list(claim.events.values_list("note", flat=True))
    assert "Evidence search queued on acceptance." in notes


def test_the_command_runs_inline_and_prints_the_candidates(claim):
    out = StringIO()
    call_command("corroborate", "--claim", str(claim.pk), stdout=out)
    text = out.getvalue()
    assert f"Claim #{claim.pk}" in text
    assert "1 candidate(s), 1 new" in text
    assert "Statement on the embassy attack" in text
    assert "https://www.senate.gov/embassy" in text
    assert "suggested: supports" in text


def test_the_command_searches_every_open_claim_of_an_article(claim):
    factories.ClaimFactory(article=claim.article, status="dismissed")
    other = factories.ClaimFactory(article=claim.article, content="The gate of the US embassy")
    out = StringIO()
    call_command("corroborate", "--article", str(claim.article_id), stdout=out)
    assert set(CorroborationRun.objects.values_list("claim_id", flat=True)) == {
        claim.pk,
        other.pk,
    }


def test_the_command_says_what_is_wrong(db):
    with pytest.raises(CommandError, match="There is no claim 999"):
        call_command("corroborate", "--claim", "999", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("corroborate", stdout=StringIO())


def test_the_claim_page_costs_the_same_with_many_candidates(reviewer_client, claim):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert reviewer_client.get(url("claim", claim)).status_code == 200
        return len(context)

    outlet = factories.SourceFactory()
    factories.EvidenceFactory(claim=claim, outlet=outlet, copy_group=None)
    few = queries()
    for i in range(12):
        factories.EvidenceFactory(
            claim=claim,
            outlet=outlet,
            link_status="changed",
            copy_group=claim.evidence.first().pk if i % 2 else None,
        )
    assert queries() == few


@pytest.mark.parametrize(
    ("reliability", "label"),
    [(4, "reliability Very high<"), (3, "reliability High<"), (0, "reliability Unknown<")],
)
def test_the_evidence_line_names_the_whole_reliability_rating(
    reviewer_client, claim, reliability, label
):
    outlet = factories.SourceFactory(reliability=reliability)
    factories.EvidenceFactory(claim=claim, outlet=outlet, copy_group=None)
    page = reviewer_client.get(url("claim", claim)).content.decode()
    assert label in page
