"""Saved views of the queue: the presets (my open claims, awaiting my approval, high-score new
claims today), the filters behind them, and each person's own saved filters."""

from __future__ import annotations

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from claims.forms.review import QueueFilterForm
from claims.models import Claim, SavedView, VerdictRating
from claims.selectors import QUEUE_FILTER_KEYS, queue_filter_query
from claims.services.claims import claim_accept
from claims.services.errors import ServiceError
from claims.services.saved_views import MAX_SAVED_VIEWS, saved_view_delete, saved_view_save
from claims.services.verdicts import verdict_submit
from tests import factories

pytestmark = pytest.mark.django_db

QUEUE = reverse("review:queue")
Status = Claim.Status


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _listed(client, query: str) -> str:
    return client.get(f"{QUEUE}?{query}").content.decode()


def _submitted(content: str, *, by) -> Claim:
    claim = claim_accept(claim=factories.ClaimFactory(content=content), by=by)
    verdict_submit(
        claim=claim, by=by, rating=VerdictRating.objects.get(slug="false"), explanation="No."
    )
    return claim


def test_the_filter_keys_are_the_filter_forms_fields():
    assert set(QUEUE_FILTER_KEYS) == set(QueueFilterForm.base_fields)


def test_my_open_claims_are_mine_and_not_closed(reviewer_client, reviewer_user, editor_user):
    factories.ClaimFactory(content="Mine and new", assignee=reviewer_user)
    factories.ClaimFactory(content="Mine in review", assignee=reviewer_user, status="in_review")
    factories.ClaimFactory(content="Mine dismissed", assignee=reviewer_user, status="dismissed")
    factories.ClaimFactory(content="Mine published", assignee=reviewer_user, status="published")
    factories.ClaimFactory(content="Someone else's", assignee=editor_user)
    body = _listed(reviewer_client, "mine=on&status=open")
    assert "Mine and new" in body and "Mine in review" in body
    assert "dismissed" not in body.split("<tbody>")[1].split("</tbody>")[0].lower()
    assert "Mine published" not in body and "Someone else" not in body


def test_awaiting_my_approval_leaves_out_my_own_verdicts(
    reviewer_user, editor_user, other_editor_user
):
    _submitted("Written by the reviewer", by=reviewer_user)
    _submitted("Written by the editor", by=editor_user)
    factories.ClaimFactory(content="Still new")
    client = _client(editor_user)
    body = _listed(client, "status=awaiting_approval&for_approval=on")
    assert "Written by the reviewer" in body
    assert "Written by the editor" not in body
    assert "Still new" not in body
    other = _listed(_client(other_editor_user), "for_approval=on")
    assert "Written by the reviewer" in other and "Written by the editor" in other


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_high_score_new_claims_today(reviewer_client):
    factories.ClaimFactory(content="High and new today", checkworthiness=0.9)
    factories.ClaimFactory(content="Low and new today", checkworthiness=0.3)
    factories.ClaimFactory(content="High but in review", checkworthiness=0.9, status="in_review")
    old = factories.ClaimFactory(content="High but from last week", checkworthiness=0.95)
    Claim.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=6))
    body = _listed(reviewer_client, "status=new&score_min=0.7&added=today")
    assert "High and new today" in body
    for absent in ("Low and new", "High but in review", "High but from last week"):
        assert absent not in body
    assert "High but from last week" in _listed(reviewer_client, "status=new&added=week")


def test_presets_are_offered_and_the_open_one_is_marked(reviewer_client, editor_client):
    body = _listed(reviewer_client, "mine=on&status=open")
    assert 'href="?status=open&amp;mine=on" aria-current="page">My open claims' in body
    assert "High-score new claims today" in body
    assert "Awaiting my approval" not in body  # reviewers approve nothing
    assert "Awaiting my approval" in editor_client.get(QUEUE).content.decode()


def test_saving_the_filters_in_use(reviewer_client, reviewer_user):
    body = _listed(reviewer_client, "kind=direct&score_min=0.5&after=0.9_1_2")
    assert 'name="query" value="kind=direct&amp;score_min=0.5"' in body  # no page key
    response = reviewer_client.post(
        reverse("review:saved_view_create"),
        {"name": "  Direct quotes  ", "query": "kind=direct&score_min=0.5"},
    )
    view = SavedView.objects.get(user=reviewer_user)
    assert view.name == "Direct quotes" and view.query == "kind=direct&score_min=0.5"
    assert response["Location"] == f"{QUEUE}?kind=direct&score_min=0.5"
    listed = _listed(reviewer_client, "kind=direct&score_min=0.5")
    assert 'aria-current="page">Direct quotes</a>' in listed
    assert reverse("review:saved_view_delete", args=[view.pk]) in listed


def test_saving_again_under_the_same_name_replaces(reviewer_user):
    saved_view_save(user=reviewer_user, name="Mine", query="mine=on")
    saved_view_save(user=reviewer_user, name="Mine", query="mine=on&kind=direct&page=3&x=1")
    (view,) = SavedView.objects.all()
    assert view.query == "mine=on&kind=direct"


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [("", "mine=on", "name"), ("All", "", "whole queue"), ("Sorted", "sort=newest", "whole")],
)
def test_a_view_needs_a_name_and_filters(reviewer_user, name, query, message):
    with pytest.raises(ServiceError, match=message):
        saved_view_save(user=reviewer_user, name=name, query=query)


def test_a_person_has_a_limited_number_of_views(reviewer_user):
    for n in range(MAX_SAVED_VIEWS):
        saved_view_save(user=reviewer_user, name=f"View {n}", query=f"q=word{n}")
    with pytest.raises(ServiceError, match="delete one first"):
        saved_view_save(user=reviewer_user, name="One more", query="q=more")


def test_views_are_each_persons_own(reviewer_client, reviewer_user, editor_user):
    theirs = saved_view_save(user=editor_user, name="Editor's desk", query="kind=direct")
    assert "Editor's desk" not in reviewer_client.get(QUEUE).content.decode()
    response = reviewer_client.post(reverse("review:saved_view_delete", args=[theirs.pk]))
    assert response.status_code == 302
    assert SavedView.objects.filter(pk=theirs.pk).exists()
    with pytest.raises(ServiceError):
        saved_view_delete(user=reviewer_user, view_id=theirs.pk)
    saved_view_delete(user=editor_user, view_id=theirs.pk)
    assert not SavedView.objects.exists()


def test_a_refused_save_says_why(reviewer_client):
    response = reviewer_client.post(
        reverse("review:saved_view_create"), {"name": "", "query": "mine=on"}, follow=True
    )
    assert "Give the view a name." in response.content.decode()


def test_saved_view_endpoints_are_post_only_and_staff_only(
    client, plain_user_client, reviewer_client
):
    url = reverse("review:saved_view_create")
    assert reviewer_client.get(url).status_code == 405
    assert client.post(url, {"name": "x", "query": "mine=on"}).status_code == 302
    assert plain_user_client.post(url, {"name": "x", "query": "mine=on"}).status_code == 403
    assert not SavedView.objects.exists()


def test_filter_query_keeps_filters_only():
    query = QueryDict("status=new&after=1_2_3&mine=on&evil=<script>&q=a b&sort=")
    assert queue_filter_query(query) == "q=a+b&status=new&mine=on"


def test_the_export_follows_the_new_filters(editor_client, reviewer_user):
    factories.ClaimFactory(content="Open and mine", assignee=reviewer_user)
    factories.ClaimFactory(content="Closed", status="dismissed", assignee=reviewer_user)
    body = editor_client.get(
        reverse("review:export_csv"), {"status": "open", "assignee": reviewer_user.pk}
    )
    text = b"".join(body.streaming_content).decode()
    assert "Open and mine" in text and "Closed" not in text


def test_filters_changed_in_place_update_the_views_out_of_band(reviewer_client):
    body = reviewer_client.get(
        QUEUE, {"status": "open", "mine": "on"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'aria-label="Views of the queue" hx-swap-oob="true">' in body
    assert 'aria-current="page">My open claims' in body
    full = reviewer_client.get(QUEUE).content.decode()
    assert full.count('id="saved-views"') == 1 and "hx-swap-oob" not in full
