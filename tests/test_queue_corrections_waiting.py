"""Corrections waiting for a second editor, found from the queue: a filter for the claims whose
published verdict has a proposed correction, a preset view of it, and their count for editors on
the queue and the dashboard, read off the partial index of waiting proposals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import selectors
from claims.models import Claim, VerdictCorrection, VerdictRating
from claims.services import verdicts as verdict_services
from claims.services.saved_views import saved_view_save
from tests import factories
from tests.publishing import publish
from tests.test_review_queue import HTMX, QUEUE, QUEUE_QUERIES, _ids, _queries

pytestmark = pytest.mark.django_db

WAITING = {"correction_waiting": "on"}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _rating(slug: str) -> VerdictRating:
    return VerdictRating.objects.get(slug=slug)


def _published(content: str, reviewer, editor) -> Claim:
    verdict = publish(author=reviewer, approver=editor, rating="true", content=content)
    return Claim.objects.get(pk=verdict.claim_id)


def _propose(claim: Claim, by) -> VerdictCorrection:
    return verdict_services.correction_propose(
        verdict=claim.verdict, by=by, reason="A fourth target.", rating=_rating("mostly-true")
    )


@pytest.fixture
def corrections(reviewer_user, editor_user, other_editor_user) -> dict[str, Claim]:
    """Two published verdicts with a correction waiting, one whose correction was approved,
    one rejected, one never corrected, and a claim in review."""
    claims = {
        name: _published(f"Claim {name}", reviewer_user, editor_user)
        for name in ("waiting", "waiting_mine", "applied", "rejected", "plain")
    }
    _propose(claims["waiting"], other_editor_user)
    _propose(claims["waiting_mine"], editor_user)
    applied = _propose(claims["applied"], other_editor_user)
    verdict_services.correction_approve(correction=applied, by=editor_user)
    rejected = _propose(claims["rejected"], other_editor_user)
    verdict_services.correction_reject(correction=rejected, by=editor_user, comment="No.")
    claims["in_review"] = factories.ClaimFactory(content="Claim in review", status="in_review")
    return claims


def _listed(client, claims, **params) -> set[str]:
    names = {claim.pk: name for name, claim in claims.items()}
    return {names[pk] for pk in _ids(client.get(QUEUE, params).content.decode())}


def test_the_filter_lists_claims_whose_correction_waits(editor_client, corrections):
    assert _listed(editor_client, corrections, **WAITING) == {"waiting", "waiting_mine"}
    # With the other filters and tabs as usual.
    assert _listed(editor_client, corrections, status="published", **WAITING) == {
        "waiting",
        "waiting_mine",
    }
    assert not _listed(editor_client, corrections, status="new", **WAITING)
    response = editor_client.get(QUEUE, WAITING)
    counts = {value: n for value, _, n, _capped in response.context["counts"]}
    assert counts["published"] == 2 and response.context["total"] == 2


def test_the_filter_follows_approval_rejection_and_withdrawal(
    editor_client, editor_user, corrections
):
    waiting = corrections["waiting"].verdict.corrections.get(status="proposed")
    verdict_services.correction_approve(correction=waiting, by=editor_user)
    mine = corrections["waiting_mine"].verdict.corrections.get(status="proposed")
    verdict_services.correction_reject(correction=mine, by=editor_user)  # withdrawn
    assert not _listed(editor_client, corrections, **WAITING)


def test_editors_see_the_count_on_the_queue_linking_to_the_filter(
    editor_client, reviewer_client, corrections
):
    body = editor_client.get(QUEUE).content.decode()
    head = body.split('class="page-head"', 1)[1].split("</div>", 2)[0]
    assert 'href="?correction_waiting=on"' in head
    assert 'Corrections waiting <span class="count">2</span>' in head
    # The filter is in the form, and a preset view for editors.
    form = body.split('id="queue-filters"', 1)[1].split("</form>", 1)[0]
    assert 'name="correction_waiting"' in form
    assert ">Corrections waiting</a>" in body.split('id="saved-views"', 1)[1]
    # Reviewers approve nothing: no count, no checkbox, no preset (and no query for them).
    body = reviewer_client.get(QUEUE).content.decode()
    assert "correction_waiting" not in body
    checked = editor_client.get(QUEUE, WAITING).content.decode()
    assert 'name="correction_waiting" checked' in checked


def test_no_waiting_corrections_no_button(editor_client):
    factories.ClaimFactory()
    head = editor_client.get(QUEUE).content.decode().split('class="page-head"', 1)[1]
    assert "Corrections waiting <span" not in head.split("</div>", 2)[0]


def test_htmx_swaps_the_results_under_the_filter(editor_client, corrections):
    body = editor_client.get(QUEUE, WAITING, **HTMX).content.decode()
    assert body.lstrip().startswith('<section id="queue-results"')
    assert set(_ids(body)) == {corrections["waiting"].pk, corrections["waiting_mine"].pk}
    assert 'href="?correction_waiting=on&amp;status=published"' in body


def test_a_saved_view_keeps_the_filter(editor_client, editor_user, corrections):
    view = saved_view_save(user=editor_user, name="Mine to check", query="correction_waiting=on")
    assert view.query == "correction_waiting=on"
    body = editor_client.get(view.get_absolute_url()).content.decode()
    assert len(_ids(body)) == 2


def test_the_dashboard_shows_what_waits_for_an_editor(editor_client, corrections, reviewer_user):
    factories.ClaimFactory(status="awaiting_approval")
    body = editor_client.get(reverse("review:dashboard")).content.decode()
    waiting = body.split('class="card waiting-card"', 1)[1].split("</section>", 1)[0]
    assert f'href="{QUEUE}?correction_waiting=on"' in waiting
    assert "Corrections waiting for a second editor" in waiting
    assert '<td class="num">2</td>' in waiting
    assert f'href="{QUEUE}?status=awaiting_approval"' in waiting
    assert '<td class="num">1</td>' in waiting


def test_the_count_is_capped(monkeypatch, corrections):
    monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 1)
    assert selectors.corrections_waiting_count() == 2  # "more than 1": the cap plus one
    monkeypatch.undo()
    assert selectors.corrections_waiting_count() == 2


def test_query_counts_stay_flat(editor_client, editor_user, other_editor_user, reviewer_user):
    def populate(n: int) -> None:
        for index in range(n):
            claim = _published(f"Claim {index}", reviewer_user, editor_user)
            _propose(claim, other_editor_user)

    populate(2)
    # An editor's queue asks one more thing than a reviewer's: the corrections waiting.
    few = _queries(editor_client, QUEUE + "?correction_waiting=on")
    assert few == QUEUE_QUERIES + 1
    assert _queries(editor_client, QUEUE) == QUEUE_QUERIES + 1
    populate(8)
    assert _queries(editor_client, QUEUE + "?correction_waiting=on") == few
    with CaptureQueriesContext(connection) as ctx:
        editor_client.get(reverse("review:dashboard"))
    dashboard = len(ctx.captured_queries)
    populate(3)
    with CaptureQueriesContext(connection) as ctx:
        editor_client.get(reverse("review:dashboard"))
    assert len(ctx.captured_queries) == dashboard


# PostgreSQL: the filter and the count read the partial index of waiting proposals.

if connection.vendor == "postgresql":
    from tests.test_public_plans import _make_verdicts
    from tests.test_queue_plans import (  # noqa: F401 - the fixtures are used by name
        _assert_one_page_off,
        _claims_reads,
        big_queue,
        client_of,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL")
def test_the_filter_and_the_count_read_no_whole_table(client_of, big_queue):
    import json

    _make_verdicts(big_queue)
    with connection.cursor() as cursor:
        # Every published verdict (4,000) corrected once before; six corrections waiting.
        cursor.execute(
            "INSERT INTO claims_verdictcorrection (verdict_id, status, reason, "
            "previous_explanation, new_explanation, corrected_by_id, decided_at, "
            "decision_comment, created_at) "
            "SELECT id, CASE WHEN id %% 700 = 0 THEN 'proposed' ELSE 'applied' END, 'Why.', "
            "'', '', %s, CASE WHEN id %% 700 = 0 THEN NULL ELSE now() END, '', now() "
            "FROM claims_verdict",
            [big_queue.pk],
        )
        cursor.execute("ANALYZE claims_verdict")
        cursor.execute("ANALYZE claims_verdictcorrection")
    waiting = VerdictCorrection.objects.filter(status="proposed").count()
    assert 3 <= waiting <= 10 and VerdictCorrection.objects.count() >= 4000
    big_queue.groups.add(*factories.editor(username="plan-editor").groups.all())
    response = client_of.get(QUEUE + "?correction_waiting=on")
    assert len(response.context["page"].claims) == waiting
    assert response.context["corrections_waiting"] == waiting
    for params in ("?correction_waiting=on", "?correction_waiting=on&sort=newest"):
        reads = _claims_reads(client_of, QUEUE + params)
        _assert_one_page_off(reads, {"claims_claim_pkey"})
    # The count (and the filter's subquery) read the partial index of waiting proposals.
    with CaptureQueriesContext(connection) as ctx:
        client_of.get(QUEUE + "?correction_waiting=on")
    plans = []
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            if "claims_verdictcorrection" in query["sql"]:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0]
                plans.append(json.loads(plan) if isinstance(plan, str) else plan)
    # The page's ids, the counts per status under the filter, and the editors' count.
    assert len(plans) == 3, plans

    def nodes(plan):
        yield plan
        for child in plan.get("Plans", []):
            yield from nodes(child)

    for plan in plans:
        found = list(nodes(plan[0]["Plan"]))
        on_corrections = [n for n in found if n.get("Relation Name") == "claims_verdictcorrection"]
        assert on_corrections, found
        assert all(n["Node Type"] != "Seq Scan" for n in on_corrections), found
        assert any(
            n.get("Index Name") == "verdictcorrection_one_proposal_per_verdict"
            for n in on_corrections
        ), found
