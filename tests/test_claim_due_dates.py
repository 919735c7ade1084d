"""Due dates and priority on claims: set in the workspace through a service (on the timeline),
shown as overdue in the queue, filtered and sorted there, with flat query counts and, on
PostgreSQL, pages read off the due-date indexes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from claims import selectors
from claims.models import Claim, ClaimEvent
from claims.services.claims import claim_schedule
from claims.services.errors import ServiceError, StaleVersion
from tests import factories
from tests.test_review_queue import HTMX, QUEUE, _ids, _links, _queries, _rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


# The service


def test_schedule_sets_due_date_and_priority_on_the_timeline(reviewer_user):
    claim = factories.ClaimFactory()
    fresh = claim_schedule(
        claim=claim, by=reviewer_user, due_on=_days(3), priority=2, expected_version=1
    )
    assert (fresh.due_on, fresh.priority, fresh.version) == (_days(3), 2, 2)
    events = {e.field: e for e in claim.events.filter(action=ClaimEvent.Action.EDITED)}
    assert (events["due_on"].before, events["due_on"].after) == (None, _days(3).isoformat())
    assert (events["priority"].before, events["priority"].after) == (0, 2)
    assert events["due_on"].actor == reviewer_user
    # Clearing the due date is a change of its own; an unchanged priority is not recorded.
    claim_schedule(claim=fresh, by=reviewer_user, due_on=None, priority=2, expected_version=2)
    last = claim.events.latest("id")
    assert (last.field, last.before, last.after) == ("due_on", _days(3).isoformat(), None)
    assert claim.events.filter(field="priority").count() == 1


def test_schedule_without_changes_changes_nothing(reviewer_user):
    claim = factories.ClaimFactory(due_on=_days(1))
    fresh = claim_schedule(claim=claim, by=reviewer_user, due_on=_days(1), priority=0)
    assert fresh.version == 1
    assert not claim.events.exists()


def test_schedule_refuses_an_unknown_priority_and_a_stale_version(reviewer_user, editor_user):
    claim = factories.ClaimFactory()
    with pytest.raises(ServiceError):
        claim_schedule(claim=claim, by=reviewer_user, due_on=None, priority=7)
    claim_schedule(claim=claim, by=editor_user, due_on=_days(2), priority=1, expected_version=1)
    with pytest.raises(StaleVersion):
        claim_schedule(
            claim=claim, by=reviewer_user, due_on=_days(9), priority=0, expected_version=1
        )
    claim.refresh_from_db()
    assert claim.due_on == _days(2)


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        ("new", -1, True),
        ("in_review", -30, True),
        ("awaiting_approval", -1, True),
        ("new", 0, False),  # due today is not late yet
        ("new", 1, False),
        ("published", -1, False),
        ("dismissed", -1, False),
    ],
)
def test_overdue_means_open_and_past_its_due_date(status, due, overdue):
    assert factories.ClaimFactory(status=status, due_on=_days(due)).is_overdue is overdue
    assert factories.ClaimFactory(status=status).is_overdue is False


# The workspace


def test_due_date_is_set_from_the_claim_panel(reviewer_client):
    claim = factories.ClaimFactory()
    url = reverse("review:claim_schedule", args=[claim.pk])
    data = {
        "schedule-version": 1,
        "schedule-due_on": _days(-2).isoformat(),
        "schedule-priority": "1",
    }
    response = reviewer_client.post(url, data, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="claim-panel"')
    assert "overdue</span>" in body
    assert "High priority" in body
    claim.refresh_from_db()
    assert (claim.due_on, claim.priority) == (_days(-2), 1)
    # The timeline shows the date as people read it.
    assert f"{_days(-2):%-d %b %Y}" in body


def test_schedule_endpoint_refuses_get_other_roles_and_bad_dates(
    reviewer_client, plain_user_client
):
    claim = factories.ClaimFactory()
    url = reverse("review:claim_schedule", args=[claim.pk])
    assert reviewer_client.get(url).status_code == 405
    data = {"schedule-version": 1, "schedule-due_on": "2026-13-40", "schedule-priority": "0"}
    assert plain_user_client.post(url, data).status_code == 403
    response = reviewer_client.post(url, data, **HTMX)
    assert response.status_code == 422
    claim.refresh_from_db()
    assert claim.due_on is None


# The queue


def test_queue_shows_overdue_and_priority(reviewer_client):
    late = factories.ClaimFactory(content="Late claim", due_on=_days(-1), priority=2)
    factories.ClaimFactory(content="Claim due later", due_on=_days(5))
    body = reviewer_client.get(QUEUE).content.decode()
    row = body.split(late.get_absolute_url(), 1)[1].split("</tr>", 1)[0]
    assert 'class="due overdue"' in row and "Overdue, due" in row
    assert "Urgent" in row
    later = body.split("Claim due later", 1)[1].split("</tr>", 1)[0]
    assert "Due " in later and "overdue" not in later


def test_overdue_filter_lists_open_claims_past_their_date(reviewer_client):
    late = factories.ClaimFactory(due_on=_days(-3))
    late_awaiting = factories.ClaimFactory(due_on=_days(-1), status="awaiting_approval")
    factories.ClaimFactory(due_on=_days(-3), status="published")
    factories.ClaimFactory(due_on=_days(0))
    factories.ClaimFactory(due_on=_days(4))
    factories.ClaimFactory()
    response = reviewer_client.get(QUEUE, {"overdue": "on"})
    assert set(_ids(response.content.decode())) == {late.pk, late_awaiting.pk}
    counts = {value: n for value, _, n, _capped in response.context["counts"]}
    assert (counts["new"], counts["awaiting_approval"], counts["published"]) == (1, 1, 0)
    # With a status tab too.
    body = reviewer_client.get(QUEUE, {"overdue": "on", "status": "new"}).content.decode()
    assert _ids(body) == [late.pk]


def test_due_sort_lists_dated_claims_soonest_first(reviewer_client):
    later = factories.ClaimFactory(due_on=_days(10), checkworthiness=0.9)
    sooner = factories.ClaimFactory(due_on=_days(-2), checkworthiness=0.1)
    same_day = factories.ClaimFactory(due_on=_days(-2), checkworthiness=0.5)
    factories.ClaimFactory(checkworthiness=0.99)  # no due date: not in this list
    response = reviewer_client.get(QUEUE, {"sort": "due"})
    assert _ids(response.content.decode()) == [sooner.pk, same_day.pk, later.pk]
    assert response.context["total"] == 3


def test_due_sort_pages_walk_every_dated_claim_once_in_both_directions(reviewer_client):
    claims = factories.ClaimFactory.create_batch(60)
    for index, claim in enumerate(claims[:55]):
        # Ties on the date for most of them: the id must keep the order total.
        Claim.objects.filter(pk=claim.pk).update(due_on=_days(index % 3 - 1))
    expected = list(
        Claim.objects.filter(due_on__isnull=False)
        .order_by(*selectors.QUEUE_SORTS["due"])
        .values_list("pk", flat=True)
    )
    url, seen, pages = f"{QUEUE}?sort=due", [], []
    while url:
        body = reviewer_client.get(url).content.decode()
        pages.append(_ids(body))
        seen += pages[-1]
        url = QUEUE + _links(body)["Next →"] if "Next →" in _links(body) else ""
    assert seen == expected
    assert [len(p) for p in pages] == [25, 25, 5]
    url, backwards = QUEUE + _links(body)["← Previous"], []
    while url:
        body = reviewer_client.get(url).content.decode()
        backwards = _ids(body) + backwards
        url = QUEUE + _links(body)["← Previous"] if "← Previous" in _links(body) else ""
    assert backwards + pages[-1] == expected


def test_a_bad_due_page_key_gives_the_first_page(reviewer_client):
    factories.ClaimFactory.create_batch(3, due_on=_days(1))
    for cursor in ("x_1", "99999999999_1", "-5_1", "1_2_3"):
        response = reviewer_client.get(QUEUE, {"sort": "due", "after": cursor})
        assert response.status_code == 200
        assert _rows(response.content.decode()) == 3


@pytest.mark.parametrize("params", ["?overdue=on", "?sort=due", "?overdue=on&status=new"])
def test_queue_query_count_stays_flat_with_due_dates(reviewer_client, reviewer_user, params):
    def populate(n: int) -> None:
        for index, claim in enumerate(factories.ClaimFactory.create_batch(n)):
            Claim.objects.filter(pk=claim.pk).update(due_on=_days(index % 5 - 3), priority=1)

    populate(5)
    few = _queries(reviewer_client, QUEUE + params)
    populate(45)
    assert _queries(reviewer_client, QUEUE + params) == few
    body = reviewer_client.get(QUEUE + params).content.decode()
    following = _links(body).get("Next →")
    assert following
    assert _queries(reviewer_client, QUEUE + following) == few


# PostgreSQL: the due-date pages read their own indexes, whatever the table's size.

if connection.vendor == "postgresql":
    from tests.test_queue_plans import (  # noqa: F401 - the fixtures are used by name
        _assert_one_page_off,
        _claims_reads,
        big_queue,
        client_of,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL")
def test_due_sort_and_overdue_filter_read_the_due_indexes(client_of):
    with connection.cursor() as cursor:
        # One claim in a hundred has a due date, half of them past.
        cursor.execute(
            "UPDATE claims_claim SET due_on = CURRENT_DATE + (id % 7 - 3)::int WHERE id % 100 = 0"
        )
        cursor.execute("ANALYZE claims_claim")
    due_indexes = {"claim_due_idx", "claim_status_due_idx"}
    for params in ("?sort=due", "?sort=due&status=new", "?overdue=on&sort=due"):
        _assert_one_page_off(_claims_reads(client_of, QUEUE + params), due_indexes)
    reads = _claims_reads(client_of, QUEUE + "?overdue=on")
    _assert_one_page_off(reads, due_indexes)
