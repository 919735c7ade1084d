"""The queue by priority: a filter (urgent, high, normal) and a sort (urgent first, then by
score), kept in the URL with or without htmx, saved in views, exported, with flat query counts
and, on PostgreSQL, pages read off the priority indexes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from claims import selectors
from claims.models import Claim, SavedView
from claims.services.saved_views import saved_view_save
from tests import factories
from tests.test_review_queue import HTMX, QUEUE, QUEUE_QUERIES, _ids, _links, _queries

pytestmark = pytest.mark.django_db

Priority = Claim.Priority


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def claims() -> dict[str, Claim]:
    return {
        "urgent_low": factories.ClaimFactory(priority=Priority.URGENT, checkworthiness=0.2),
        "urgent_high": factories.ClaimFactory(priority=Priority.URGENT, checkworthiness=0.6),
        "high": factories.ClaimFactory(priority=Priority.HIGH, checkworthiness=0.1),
        "normal_top": factories.ClaimFactory(checkworthiness=0.99),
        "normal": factories.ClaimFactory(checkworthiness=0.5),
    }


def _listed(client, claims, **params) -> list[str]:
    names = {claim.pk: name for name, claim in claims.items()}
    return [names[pk] for pk in _ids(client.get(QUEUE, params).content.decode())]


def test_priority_sort_lists_urgent_then_high_then_normal_by_score(reviewer_client, claims):
    assert _listed(reviewer_client, claims, sort="priority") == [
        "urgent_high",
        "urgent_low",
        "high",
        "normal_top",
        "normal",
    ]
    # The default order is unchanged: the score alone.
    assert _listed(reviewer_client, claims)[0] == "normal_top"


def test_priority_filter_keeps_that_priority_in_the_chosen_order(reviewer_client, claims):
    assert _listed(reviewer_client, claims, priority="urgent") == ["urgent_high", "urgent_low"]
    assert _listed(reviewer_client, claims, priority="high") == ["high"]
    assert _listed(reviewer_client, claims, priority="normal") == ["normal_top", "normal"]
    # The less check-worthy urgent claim came in last: first of the newest.
    Claim.objects.filter(pk=claims["urgent_low"].pk).update(
        created_at=timezone.now() + datetime.timedelta(hours=1)
    )
    newest = _listed(reviewer_client, claims, priority="urgent", sort="newest")
    assert newest == ["urgent_low", "urgent_high"]
    # Counts per status follow the filter.
    response = reviewer_client.get(QUEUE, {"priority": "urgent"})
    assert response.context["total"] == 2


def test_priority_combines_with_a_status_tab(reviewer_client, claims):
    Claim.objects.filter(pk=claims["urgent_low"].pk).update(status=Claim.Status.IN_REVIEW)
    assert _listed(reviewer_client, claims, priority="urgent", status="new") == ["urgent_high"]
    response = reviewer_client.get(QUEUE, {"priority": "urgent", "status": "new"})
    counts = {value: n for value, _, n, _capped in response.context["counts"]}
    assert (counts["new"], counts["in_review"]) == (1, 1)
    assert _listed(reviewer_client, claims, sort="priority", status="in_review") == ["urgent_low"]


def test_unknown_priority_is_ignored_not_an_error(reviewer_client, claims):
    for value in ("7", "2", "URGENT!", "<b>"):
        response = reviewer_client.get(QUEUE, {"priority": value})
        assert response.status_code == 200
        assert len(_ids(response.content.decode())) == 5
        assert response.context["filters"].priority is None


def test_the_form_offers_the_filter_and_the_sort_and_keeps_them_selected(reviewer_client):
    body = reviewer_client.get(QUEUE, {"priority": "high", "sort": "priority"}).content.decode()
    form = body.split('id="queue-filters"', 1)[1].split("</form>", 1)[0]
    assert '<select name="priority">' in form
    assert '<option value="high" selected>High</option>' in form
    assert '<option value="urgent">Urgent</option>' in form
    assert '<option value="priority" selected>Priority (urgent first)</option>' in form


def test_htmx_swaps_the_results_and_links_keep_the_priority(reviewer_client):
    factories.ClaimFactory.create_batch(27, priority=Priority.HIGH)
    factories.ClaimFactory.create_batch(3)
    response = reviewer_client.get(QUEUE, {"priority": "high", "sort": "priority"}, **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="queue-results"')
    following = _links(body)["Next →"]
    assert "priority=high" in following and "sort=priority" in following
    second = reviewer_client.get(QUEUE + following).content.decode()
    assert len(_ids(second)) == 2
    # A status tab keeps the priority too.
    assert 'href="?priority=high&amp;sort=priority&amp;status=new"' in body


@pytest.mark.parametrize("with_filter", [False, True])
def test_priority_pages_walk_every_claim_once_in_both_directions(reviewer_client, with_filter):
    made = factories.ClaimFactory.create_batch(60)
    # Ties on priority and score for most: the created time and the id keep the order total.
    for index, claim in enumerate(made):
        Claim.objects.filter(pk=claim.pk).update(
            priority=index % 3, checkworthiness=0.5 if index < 40 else index / 100
        )
    params = "sort=priority" + ("&priority=normal" if with_filter else "")
    expected = list(
        selectors.review_queue(
            selectors.QueueFilters(
                sort="priority", priority=Priority.NORMAL if with_filter else None
            ),
            None,
        ).values_list("pk", flat=True)
    )
    url, seen = f"{QUEUE}?{params}", []
    while url:
        body = reviewer_client.get(url).content.decode()
        seen += _ids(body)
        url = QUEUE + _links(body)["Next →"] if "Next →" in _links(body) else ""
    assert seen == expected and len(seen) == (20 if with_filter else 60)
    last = _ids(body)
    backwards = []
    url = QUEUE + _links(body)["← Previous"] if "← Previous" in _links(body) else ""
    while url:
        body = reviewer_client.get(url).content.decode()
        backwards = _ids(body) + backwards
        url = QUEUE + _links(body)["← Previous"] if "← Previous" in _links(body) else ""
    assert backwards + last == expected


@pytest.mark.parametrize("cursor", ["3_0.5_1_1", "-1_0.5_1_1", "x_0.5_1_1", "1_0.5_1"])
def test_a_bad_priority_page_key_gives_the_first_page(reviewer_client, cursor):
    factories.ClaimFactory.create_batch(3, priority=Priority.HIGH)
    response = reviewer_client.get(QUEUE, {"sort": "priority", "after": cursor})
    assert response.status_code == 200
    assert len(_ids(response.content.decode())) == 3


def test_a_saved_view_keeps_the_priority_filter_and_sort(reviewer_client, reviewer_user, claims):
    view = saved_view_save(
        user=reviewer_user, name="Urgent first", query="priority=urgent&sort=priority&after=x"
    )
    assert view.query == "priority=urgent&sort=priority"
    body = reviewer_client.get(view.get_absolute_url()).content.decode()
    assert [pk for pk in _ids(body)] == [claims["urgent_high"].pk, claims["urgent_low"].pk]
    assert 'aria-current="page">Urgent first</a>' in body
    # Saved from the queue's own form too.
    response = reviewer_client.post(
        reverse("review:saved_view_create"), {"name": "High", "query": "priority=high"}
    )
    assert response.status_code == 302
    assert SavedView.objects.get(user=reviewer_user, name="High").query == "priority=high"


def test_the_export_takes_the_priority_filter_and_sort(editor_client, claims):
    response = editor_client.get(reverse("review:export_json"), {"priority": "urgent"})
    body = b"".join(response.streaming_content).decode()
    assert str(claims["urgent_high"].content) in body
    assert str(claims["normal_top"].content) not in body


@pytest.mark.parametrize(
    "params", ["?sort=priority", "?priority=urgent", "?priority=high&status=new&sort=newest"]
)
def test_queue_query_count_stays_flat_with_priority(reviewer_client, params):
    def populate(n: int) -> None:
        for index, claim in enumerate(factories.ClaimFactory.create_batch(n)):
            Claim.objects.filter(pk=claim.pk).update(priority=(index % 2) + 1)

    populate(6)
    assert _queries(reviewer_client, QUEUE + params) == QUEUE_QUERIES
    populate(54)
    assert _queries(reviewer_client, QUEUE + params) == QUEUE_QUERIES
    following = _links(reviewer_client.get(QUEUE + params).content.decode()).get("Next →")
    assert following
    assert _queries(reviewer_client, QUEUE + following) == QUEUE_QUERIES


# PostgreSQL: the priority pages read their own indexes, whatever the table's size.

if connection.vendor == "postgresql":
    from tests.test_queue_plans import (  # noqa: F401 - the fixtures are used by name
        _assert_one_page_off,
        _claims_reads,
        big_queue,
        client_of,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL")
def test_priority_sort_and_filter_read_the_priority_indexes(client_of):
    with connection.cursor() as cursor:
        # One claim in fifty urgent, one in ten high: most are normal, as in a newsroom. Chosen
        # by a hash of the id, so that priority and status (id % 5) are not tied to each other.
        cursor.execute(
            "UPDATE claims_claim SET priority = CASE WHEN abs(hashtext(id::text)) % 50 = 0 THEN 2 "
            "WHEN abs(hashtext(id::text)) % 10 = 0 THEN 1 ELSE 0 END"
        )
        cursor.execute("ANALYZE claims_claim")
    # As with the status tabs of the other sorts, a common status may be read off the sort's
    # own index, skipping the others, as cheaply as off the status's.
    either = {"claim_status_priority_idx", "claim_queue_priority_idx"}
    pages = [
        ("?sort=priority", {"claim_queue_priority_idx"}),
        ("?sort=priority&status=new", either),
        ("?sort=priority&status=dismissed", either),
        ("?priority=urgent", either),
        ("?priority=high&status=in_review", {"claim_status_priority_idx"}),
        ("?priority=urgent&sort=newest", {"claim_priority_newest_idx"}),
        ("?priority=urgent&sort=priority", {"claim_queue_priority_idx"}),
        # A reviewer's own claims (one in forty here), urgent first: not everyone else's.
        ("?mine=on&sort=priority", {"claim_assignee_priority_idx"}),
        ("?mine=on&sort=priority&status=new", {"claim_assignee_priority_idx"}),
        ("?mine=on&priority=high", {"claim_assignee_priority_idx"}),
    ]
    for params, indexes in pages:
        _assert_one_page_off(_claims_reads(client_of, QUEUE + params), indexes)
    # A deep page of the priority sort costs what the first costs.
    deep = Claim.objects.order_by(*selectors.QUEUE_SORTS["priority"])[15_000]
    cursor = (
        f"{deep.priority}_{deep.checkworthiness!r}_"
        f"{round(deep.created_at.timestamp() * 1e6)}_{deep.pk}"
    )
    for key in ("after", "before"):
        reads = _claims_reads(client_of, f"{QUEUE}?sort=priority&{key}={cursor}")
        _assert_one_page_off(reads, {"claim_queue_priority_idx"})
