"""The review queue: filters, sorting, counts per status, pages, htmx fragment, query counts."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import selectors
from claims.models import Claim
from claims.services.claims import claim_comment
from claims.services.evidence import evidence_add
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
QUEUE = "/review/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _rows(body: str) -> int:
    return body.count('class="queue-row"')


def test_queue_sorts_by_check_worthiness_by_default(reviewer_client):
    factories.ClaimFactory(content="High priority", checkworthiness=0.9)
    factories.ClaimFactory(content="Low priority", checkworthiness=0.1)
    body = reviewer_client.get(QUEUE).content.decode()
    assert body.index("High priority") < body.index("Low priority")
    newest = reviewer_client.get(QUEUE, {"sort": "newest"}).content.decode()
    assert newest.index("Low priority") < newest.index("High priority")


def test_filters(reviewer_client, reviewer_user):
    speaker = factories.SpeakerFactory(name="David Schenker")
    mine = factories.ClaimFactory(content="Mine", assignee=reviewer_user, checkworthiness=0.2)
    said = factories.ClaimFactory(content="Schenker's", speaker=speaker, checkworthiness=0.95)
    dismissed = factories.ClaimFactory(
        content="Dismissed one", status=Claim.Status.DISMISSED, kind=Claim.Kind.DIRECT
    )

    def listed(**params):
        body = reviewer_client.get(QUEUE, params).content.decode()
        return {c.content for c in (mine, said, dismissed) if c.get_absolute_url() in body}

    assert listed(mine="on") == {"Mine"}
    assert listed(assignee=reviewer_user.pk) == {"Mine"}
    assert listed(speaker="schenker") == {"Schenker's"}
    assert listed(status="dismissed") == {"Dismissed one"}
    assert listed(kind="direct") == {"Dismissed one"}
    assert listed(score_min="0.9") == {"Schenker's"}
    assert listed(score_max="0.3") == {"Mine"}
    assert listed(article=mine.article_id) == {"Mine"}


def _counts(response) -> dict[str, int]:
    return {value: n for value, _, n, _capped in response.context["counts"]}


def test_counts_per_status_follow_the_other_filters(reviewer_client):
    factories.ClaimFactory.create_batch(3)
    factories.ClaimFactory.create_batch(2, status=Claim.Status.DISMISSED)
    factories.ClaimFactory(status=Claim.Status.DISMISSED, kind=Claim.Kind.DIRECT)
    response = reviewer_client.get(QUEUE, {"status": "dismissed"})
    assert _counts(response)["new"] == 3 and _counts(response)["dismissed"] == 3
    assert response.context["total"] == 6
    assert _rows(response.content.decode()) == 3
    # Under a filter the counts are of the matching claims (counted, not the counters).
    direct = reviewer_client.get(QUEUE, {"status": "new", "kind": "direct"})
    assert _counts(direct) == {**dict.fromkeys(Claim.Status.values, 0), "dismissed": 1}
    assert direct.context["total"] == 1
    assert _rows(direct.content.decode()) == 0


def test_counts_under_a_filter_stop_at_the_cap(reviewer_client, monkeypatch):
    monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 3)
    factories.ClaimFactory.create_batch(5, checkworthiness=0.9)
    factories.ClaimFactory.create_batch(2, checkworthiness=0.9, status=Claim.Status.DISMISSED)
    factories.ClaimFactory(checkworthiness=0.1)
    response = reviewer_client.get(QUEUE, {"score_min": "0.5"})
    rows = {value: (n, capped) for value, _, n, capped in response.context["counts"]}
    assert rows["new"] == (3, True)
    assert rows["dismissed"] == (2, False)
    body = response.content.decode()
    assert 'New <span class="count">3+</span>' in body
    assert 'All <span class="count">5+</span>' in body


def test_counts_under_a_text_filter_give_the_total_past_the_cap(reviewer_client, monkeypatch):
    """A text or kind filter is counted in one read of at most the cap: the split per status
    is shown while it fits, past it only the total."""
    monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 3)
    factories.ClaimFactory.create_batch(2, kind=Claim.Kind.DIRECT)
    factories.ClaimFactory(kind=Claim.Kind.DIRECT, status=Claim.Status.DISMISSED)
    fits = reviewer_client.get(QUEUE, {"kind": "direct"})
    assert {v: n for v, _, n, _ in fits.context["counts"] if n} == {"new": 2, "dismissed": 1}
    factories.ClaimFactory(kind=Claim.Kind.DIRECT)
    over = reviewer_client.get(QUEUE, {"kind": "direct"})
    assert all(n is None for _, _, n, _ in over.context["counts"])
    body = over.content.decode()
    assert 'All <span class="count">3+</span>' in body
    assert 'New <span class="count">' not in body
    assert _rows(body) == 4


def test_bad_filter_values_are_ignored_not_an_error(reviewer_client):
    factories.ClaimFactory()
    response = reviewer_client.get(QUEUE, {"score_min": "lots", "article": "x", "page": "999"})
    assert response.status_code == 200
    assert _rows(response.content.decode()) == 1


def _links(body: str) -> dict[str, str]:
    """The queue's pagination links by their text, as the browser would follow them."""
    nav = body.split('<nav class="pagination"', 1)
    if len(nav) < 2:
        return {}
    found = re.findall(
        r'<a (?:rel="\w+" )?href="([^"]*)"[^>]*>([^<]+)</a>', nav[1].split("</nav>")[0]
    )
    return {text.strip(): html.unescape(href) for href, text in found}


def _ids(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'class="row-link" href="/review/claims/(\d+)/"', body)]


def test_pages(reviewer_client):
    factories.ClaimFactory.create_batch(30)
    first = reviewer_client.get(QUEUE).content.decode()
    assert _rows(first) == 25
    assert set(_links(first)) == {"Next →"}
    second = reviewer_client.get(QUEUE + _links(first)["Next →"]).content.decode()
    assert _rows(second) == 5
    assert set(_links(second)) == {"« First", "← Previous"}
    back = reviewer_client.get(QUEUE + _links(second)["← Previous"]).content.decode()
    assert _ids(back) == _ids(first)
    assert set(_links(back)) == {"Next →"}


@pytest.mark.parametrize("sort", ["score", "newest"])
def test_pages_walk_every_claim_once_in_both_directions_even_with_ties(reviewer_client, sort):
    claims = factories.ClaimFactory.create_batch(60)
    # Ties on every sort column but the id: the pages must still neither skip nor repeat.
    Claim.objects.filter(pk__in=[c.pk for c in claims[:40]]).update(
        checkworthiness=0.5, created_at=claims[0].created_at
    )
    expected = list(
        Claim.objects.order_by(*selectors.QUEUE_SORTS[sort]).values_list("pk", flat=True)
    )
    url, seen, pages = f"{QUEUE}?sort={sort}", [], []
    while url:
        body = reviewer_client.get(url).content.decode()
        pages.append(_ids(body))
        seen += pages[-1]
        url = QUEUE + _links(body)["Next →"] if "Next →" in _links(body) else ""
    assert seen == expected
    assert [len(p) for p in pages] == [25, 25, 10]
    url, backwards = QUEUE + _links(body)["← Previous"], []
    while url:
        body = reviewer_client.get(url).content.decode()
        backwards = _ids(body) + backwards
        url = QUEUE + _links(body)["← Previous"] if "← Previous" in _links(body) else ""
    assert backwards + pages[-1] == expected


def test_a_page_keeps_the_filters_and_the_sort(reviewer_client):
    factories.ClaimFactory.create_batch(27, kind=Claim.Kind.DIRECT)
    factories.ClaimFactory.create_batch(5, kind=Claim.Kind.INDIRECT)
    first = reviewer_client.get(QUEUE, {"kind": "direct", "sort": "newest"}).content.decode()
    following = _links(first)["Next →"]
    assert "kind=direct" in following and "sort=newest" in following
    second = reviewer_client.get(QUEUE + following).content.decode()
    assert _rows(second) == 2


@pytest.mark.parametrize("cursor", ["x", "0.5_1", "nan_1_2", "1e400_99999999999999999999_1", ""])
def test_a_bad_page_key_gives_the_first_page(reviewer_client, cursor):
    factories.ClaimFactory.create_batch(3)
    for key in ("after", "before"):
        response = reviewer_client.get(QUEUE, {key: cursor})
        assert response.status_code == 200
        assert _rows(response.content.decode()) == 3


def test_htmx_gets_only_the_results(reviewer_client):
    factories.ClaimFactory()
    body = reviewer_client.get(QUEUE, {"status": "new"}, **HTMX).content.decode()
    assert body.lstrip().startswith('<section id="queue-results"')
    assert "<html" not in body
    assert 'id="queue-filters"' not in body


def test_every_hx_get_has_an_href(reviewer_client):
    factories.ClaimFactory.create_batch(30)
    body = reviewer_client.get(QUEUE).content.decode()
    for tag in re.findall(r"<a [^>]*hx-get=[^>]*>", body):
        assert "href=" in tag, tag


def _queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return len(ctx.captured_queries)


def _populate(n: int, reviewer) -> None:
    speaker = factories.SpeakerFactory()
    for claim in factories.ClaimFactory.create_batch(n, speaker=speaker, assignee=reviewer):
        factories.VerdictFactory(claim=claim, author=reviewer)


# What a queue page asks the database, whatever the number of claims: session, user, the
# user's permissions (2), assignee choices, recent articles (the article filter's choices),
# monitored sources (the feed filter's choices), the page of claims with its joins (1), the
# page's "already fact-checked" matches above the threshold (1), the counts per status (1: the
# counters, or the capped counts under a filter), the bell's unread notifications (1), the
# person's saved views (1).
QUEUE_QUERIES = 12


@pytest.mark.parametrize(
    "params",
    [
        "",
        "?status=new&sort=newest",
        "?mine=on",
        "?kind=direct&score_min=0.2",
        "?q=strikes",
        "?speaker=speaker",
    ],
)
def test_queue_query_count_is_pinned_and_does_not_grow_with_rows(
    reviewer_client, reviewer_user, params
):
    # The speaker filter looks the speakers up first.
    expected = QUEUE_QUERIES + ("speaker=" in params)
    _populate(5, reviewer_user)
    body = reviewer_client.get(QUEUE + params).content.decode()
    # An empty page has no matches to fetch.
    expected -= "No claims match these filters." in body
    assert _queries(reviewer_client, QUEUE + params) == expected
    _populate(45, reviewer_user)
    assert _queries(reviewer_client, QUEUE + params) == expected
    body = reviewer_client.get(QUEUE + params).content.decode()
    following = _links(body).get("Next →")
    if following:
        assert _queries(reviewer_client, QUEUE + following) == expected
    assert _queries(reviewer_client, QUEUE + params, **HTMX) <= expected


def test_article_page_query_count_does_not_grow_with_claims(
    reviewer_client, django_assert_max_num_queries
):
    article = factories.ArticleFactory(text="x" * 2000)
    factories.ClaimFactory.create_batch(5, article=article)
    url = reverse("review:article", args=[article.pk])
    few = _queries(reviewer_client, url)
    factories.ClaimFactory.create_batch(40, article=article)
    assert _queries(reviewer_client, url) == few
    with django_assert_max_num_queries(12):
        reviewer_client.get(url)


def test_claim_page_query_count_does_not_grow_with_its_history(
    reviewer_client, reviewer_user, django_assert_max_num_queries
):
    claim = factories.ClaimFactory()
    url = reverse("review:claim", args=[claim.pk])

    def add(n: int, offset: int) -> None:
        for i in range(n):
            claim_comment(claim=claim, by=reviewer_user, body=f"Note {offset + i}")
            evidence_add(claim=claim, url=f"https://example.org/{offset + i}", by=reviewer_user)

    add(2, 0)
    few = _queries(reviewer_client, url)
    add(20, 100)
    assert _queries(reviewer_client, url) == few
    with django_assert_max_num_queries(25):
        reviewer_client.get(url)


def test_dashboard_query_count_is_fixed(reviewer_client, reviewer_user):
    _populate(3, reviewer_user)
    few = _queries(reviewer_client, reverse("review:dashboard"))
    _populate(20, reviewer_user)
    assert _queries(reviewer_client, reverse("review:dashboard")) == few


def test_article_filter_works_for_any_article_and_bad_values_drop_alone(reviewer_client):
    old = factories.ClaimFactory(content="In an old article")
    factories.ArticleFactory.create_batch(3)
    factories.ClaimFactory(content="Elsewhere")
    body = reviewer_client.get(
        QUEUE, {"article": old.article_id, "score_min": "lots"}
    ).content.decode()
    assert "In an old article" in body
    assert "Elsewhere" not in body
