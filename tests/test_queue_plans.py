"""The queue's queries on PostgreSQL read one page off an index, whatever the table's size.

20,000 claims are made in SQL (generate_series) and analysed, so that the planner sees a table
where a sequential scan and a sort would be the worse choice; then each queue page's queries are
run under EXPLAIN ANALYZE and must read claims through an index, never scan the table, and read
about one page's worth of rows.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims import counters
from claims.models import Claim
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL"),
]

QUEUE = "/review/"
CLAIMS = 20_000
ARTICLES = 200


def _literal_defaults(exclude: set[str]) -> tuple[list[str], list[object]]:
    """Columns and values for every concrete field not generated, from the model's defaults,
    so that columns added later (with a default) do not break the insert."""
    columns, values = [], []
    for field in Claim._meta.concrete_fields:
        if field.column in exclude or field.primary_key:
            continue
        default = field.get_default()
        if default is None and not field.null:
            continue
        columns.append(field.column)
        values.append(field.get_db_prep_save(default, connection))
    return columns, values


def _make_claims(reviewer) -> None:
    articles = factories.ArticleFactory.create_batch(ARTICLES)
    speakers = factories.SpeakerFactory.create_batch(50)
    generated = {
        "article_id": f"(ARRAY{[a.pk for a in articles]})[1 + n % {ARTICLES}]",
        "speaker_id": f"(ARRAY{[s.pk for s in speakers]})[1 + n % 50]",
        "speaker_text": "'someone'",
        "content": "'Claim number ' || n || ' about the strikes'",
        "start": "n * 10",
        "end": "n * 10 + 9",
        "checkworthiness": "(n * 7919 % 1000) / 1000.0",
        "status": "(ARRAY['new', 'new', 'in_review', 'dismissed', 'published'])[1 + n % 5]",
        # A reviewer has a few hundred claims of their own, as in a real newsroom.
        "assignee_id": f"CASE WHEN n % 40 = 0 THEN {reviewer.pk} END",
        "created_at": "now() - n * interval '1 minute'",
        "updated_at": "now()",
    }
    columns, values = _literal_defaults(set(generated) | {"search_vector"})
    with connection.cursor() as cursor:
        names = ", ".join(f'"{column}"' for column in [*generated, *columns])
        expressions = [e.replace("%", "%%") for e in generated.values()] + ["%s"] * len(values)
        cursor.execute(
            f"INSERT INTO claims_claim ({names}) "  # noqa: S608
            f"SELECT {', '.join(expressions)} FROM generate_series(1, {CLAIMS}) AS n",
            values,
        )


@pytest.fixture(scope="module")
def big_queue(django_db_setup, django_db_blocker):
    """20,000 claims, made once for the module and committed; removed again at its end."""
    with django_db_blocker.unblock():
        reviewer = factories.reviewer(username="plan-reviewer")
        _make_claims(reviewer)
        # As autovacuum leaves a table in use: statistics, visibility map, GIN pending list.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE claims_claim")
        yield reviewer
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE claims_claim, claims_article, claims_speaker CASCADE")
        reviewer.delete()
        counters.recount()


@pytest.fixture
def client_of(big_queue):
    client = Client()
    client.force_login(big_queue)
    return client


def _plan_nodes(plan: dict, *, limited: bool = False):
    """Every node of a plan, each marked with whether a Limit above it stops its scan."""
    limited = limited or plan["Node Type"] == "Limit"
    yield {**plan, "limited": limited}
    for child in plan.get("Plans", []):
        yield from _plan_nodes(child, limited=limited)


def _claims_reads(client, url: str) -> dict[str, list[dict]]:
    """EXPLAIN ANALYZE each query of the page that reads claims: its plan nodes on claims, by
    the query's part ("counts" for the capped counts per status, "page" for the rest)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    reads: dict[str, list[dict]] = {"page": [], "counts": []}
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            sql = query["sql"]
            if "claims_claim" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            reads["counts" if "capped" in sql else "page"] += [
                node
                for node in _plan_nodes(plan[0]["Plan"])
                if node.get("Relation Name") == "claims_claim"
                or node.get("Index Name", "").startswith(("claim_", "claims_claim_"))
            ]
    return reads


def _rows_read(nodes: list[dict]) -> int:
    """Rows the scans of claims looked at (a bitmap's index side is counted by its heap side)."""
    return sum(
        (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node.get("Actual Loops", 1)
        for node in nodes
        if node.get("Relation Name") == "claims_claim"
    )


def _assert_one_page_off(reads: dict[str, list[dict]], indexes: set[str]) -> None:
    nodes = reads["page"]
    assert nodes, "the page read no claims"
    assert not [n for n in nodes if n["Node Type"] == "Seq Scan"], nodes
    used = {n.get("Index Name") or "" for n in nodes}
    assert any(name.startswith(tuple(indexes)) for name in used), nodes
    assert _rows_read(nodes) <= 300, nodes
    # Counts under a filter: every read of claims stops at the cap.
    assert all(node["limited"] for node in reads["counts"]), reads["counts"]


# Where a status or an assignee is common, walking the sort's own index and skipping the other
# rows reads about as little as the narrower index; the planner may pick either.
PAGES = [
    ("", {"claim_queue_score_idx"}),
    ("?sort=newest", {"claim_queue_newest_idx"}),
    ("?status=new", {"claim_status_score_idx", "claim_queue_score_idx"}),
    ("?status=in_review&sort=newest", {"claim_status_newest_idx", "claim_queue_newest_idx"}),
    ("?mine=on", {"claim_assignee_score_idx", "claim_queue_score_idx"}),
    ("?mine=on&status=new", {"claim_assignee_status_idx", "claim_status_score_idx"}),
    ("?mine=on&sort=newest", {"claim_assignee_newest_idx", "claim_queue_newest_idx"}),
]


def test_every_sort_and_tab_reads_one_page_off_an_index(client_of):
    reviewer_client = client_of
    for params, indexes in PAGES:
        reads = _claims_reads(reviewer_client, QUEUE + params)
        _assert_one_page_off(reads, indexes)
        assert bool(reads["counts"]) == ("mine" in params), params
    # A deep page (keyset, either direction) costs what the first costs.
    deep = Claim.objects.order_by("-checkworthiness", "-created_at", "-id")[15_000]
    cursor = f"{deep.checkworthiness!r}_{round(deep.created_at.timestamp() * 1e6)}_{deep.pk}"
    for key in ("after", "before"):
        reads = _claims_reads(reviewer_client, f"{QUEUE}?{key}={cursor}")
        _assert_one_page_off(reads, {"claim_queue_score_idx"})


def test_status_counts_come_from_the_counters_or_stop_at_the_cap(client_of):
    reviewer_client = client_of
    response = reviewer_client.get(QUEUE)
    counts = {value: n for value, _, n, _capped in response.context["counts"]}
    assert counts["new"] == Claim.objects.filter(status="new").count() == CLAIMS * 2 // 5
    assert response.context["total"] == CLAIMS
    # The page never counts the claims table: the unfiltered counts are the counters' rows.
    reads = _claims_reads(reviewer_client, QUEUE)
    assert not reads["counts"]
    assert _rows_read(reads["page"]) <= 300, reads
    # Under a filter each status is counted up to the cap.
    reads = _claims_reads(reviewer_client, f"{QUEUE}?kind=indirect")
    _assert_one_page_off(reads, {"claim_queue_score_idx"})


def test_search_and_speaker_filter_read_no_whole_table(client_of):
    reviewer_client = client_of
    lovelace = factories.SpeakerFactory(name="Ada Lovelace")
    factories.ClaimFactory(content="A rare word: zeugma", speaker=lovelace)
    factories.ClaimFactory.create_batch(2, speaker=lovelace)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    reads = _claims_reads(reviewer_client, QUEUE + "?q=zeugma")
    _assert_one_page_off(reads, {"claim_search_vector_idx"})
    # A common speaker: the queue's order walked, that speaker's claims kept.
    reads = _claims_reads(reviewer_client, QUEUE + "?speaker=Speaker")
    _assert_one_page_off(reads, {"claim_queue_score_idx"})
    # A rare one: their few claims by the speaker index.
    reads = _claims_reads(reviewer_client, QUEUE + "?speaker=lovelace")
    _assert_one_page_off(reads, {"claims_claim_speaker_id", "claim_queue_score_idx"})


def test_the_feed_filter_reads_its_own_index_and_all_skips_claims_below_threshold(client_of):
    source = factories.SourceFactory(auto_ingest=True)
    with connection.cursor() as cursor:
        # A tenth of the claims came from a monitored feed; its low scorers wait below threshold.
        cursor.execute(
            "UPDATE claims_claim SET feed_source_id = %s WHERE id %% 10 = 0", [source.pk]
        )
        cursor.execute(
            "UPDATE claims_claim SET status = 'below_threshold' "
            "WHERE feed_source_id IS NOT NULL AND checkworthiness < 0.3"
        )
        cursor.execute("ANALYZE claims_claim")
    feed_indexes = {"claim_feed_score_idx", "claim_feed_newest_idx"}
    for params in (f"?feed={source.pk}", f"?feed={source.pk}&sort=newest"):
        _assert_one_page_off(_claims_reads(client_of, QUEUE + params), feed_indexes)
    for params, indexes in PAGES[:2]:
        _assert_one_page_off(_claims_reads(client_of, QUEUE + params), indexes)
    response = client_of.get(QUEUE)
    assert not {c.status for c in response.context["page"].claims} & {"below_threshold"}


def test_a_name_many_speakers_share_walks_the_queues_order(client_of):
    """600 speakers whose names contain "Quoted", sharing the claims: still a list of ids, so
    that the planner walks the queue's order (a subquery it took for one speaker, and read
    every claim of all 600 by the speaker index)."""
    from claims.models import Speaker

    speakers = Speaker.objects.bulk_create(
        Speaker(name=f"Quoted {n}", normalised_name=f"quoted {n}", slug=f"quoted-{n}")
        for n in range(600)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE claims_claim SET speaker_id = (ARRAY{[s.pk for s in speakers]})"  # noqa: S608
            "[1 + id % 600]"
        )
        cursor.execute("ANALYZE claims_claim")
    reads = _claims_reads(client_of, QUEUE + "?speaker=quoted&score_min=0.5")
    _assert_one_page_off(reads, {"claim_queue_score_idx"})
