"""The public lists on PostgreSQL read one page off the public verdicts' indexes, whatever the
number of claims and verdicts.

20,000 claims (a fifth of them published) and a verdict for each published one are made in SQL
and analysed; then each public page's queries run under EXPLAIN ANALYZE. Before the verdicts
carried their own `public` flag the planner, taking "published date set" and "claim published"
(two tables) as independent, expected a tenth of the rows, joined and sorted every published
verdict, and showed twenty.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims import counters
from claims.models import Speaker, Verdict, VerdictRating
from tests import factories
from tests.test_queue_plans import _make_claims

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL"),
]


def _make_verdicts(author) -> None:
    """A published verdict for every published claim, in one INSERT … SELECT; columns not
    given get the model field's default, so that fields added later do not break it."""
    ratings = list(VerdictRating.objects.values_list("pk", flat=True))
    generated = {
        "claim_id": "id",
        "rating_id": f"(ARRAY{ratings})[1 + id %% {len(ratings)}]",
        "explanation": "'Records.'",
        # The published version, as verdict_approve takes it.
        "published_rating_id": f"(ARRAY{ratings})[1 + id %% {len(ratings)}]",
        "published_explanation": "'Records.'",
        "published_speaker_id": "speaker_id",
        "slug": "'v-' || id",
        "author_id": str(author.pk),
        "submitted_at": "created_at",
        "published_at": "created_at + interval '1 hour'",
        "created_at": "created_at",
        "updated_at": "created_at",
    }
    columns, values = [], []
    for field in Verdict._meta.concrete_fields:
        if field.column in generated or field.primary_key:
            continue
        default = field.get_default()
        if default is None and not field.null:
            continue
        columns.append(field.column)
        values.append(field.get_db_prep_save(default, connection))
    names = ", ".join(f'"{column}"' for column in [*generated, *columns])
    expressions = ", ".join([*generated.values(), *["%s"] * len(values)])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO claims_verdict ({names}) SELECT {expressions} "  # noqa: S608
            "FROM claims_claim WHERE status = 'published'",
            values,
        )


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker):
    """20,000 claims and 4,000 published verdicts, made once for the module and removed after."""
    with django_db_blocker.unblock():
        reviewer = factories.reviewer(username="plan-public-reviewer")
        _make_claims(reviewer)
        # 500 speakers, as a newsroom quotes: a speaker's record is a small part of all.
        speakers = Speaker.objects.bulk_create(
            Speaker(name=f"Quoted {n}", normalised_name=f"quoted {n}", slug=f"quoted-{n}")
            for n in range(500)
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE claims_claim SET speaker_id = (ARRAY{[s.pk for s in speakers]})"  # noqa: S608
                "[1 + (id / 5) % 500]"
            )
        _make_verdicts(reviewer)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE claims_claim")
            cursor.execute("VACUUM ANALYZE claims_verdict")
        yield reviewer
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE claims_claim, claims_article, claims_speaker CASCADE")
        reviewer.delete()
        counters.recount()


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _reads(url: str) -> list[dict]:
    """The plan nodes that read claims or verdicts, over every query the page runs."""
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get(url)
    assert response.status_code == 200, url
    nodes = []
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            nodes += [
                {**node, "sql": sql}
                for node in _nodes(plan[0]["Plan"])
                if node.get("Relation Name") in {"claims_claim", "claims_verdict"}
                or node.get("Index Name", "").startswith(("claim_", "verdict_"))
            ]
    return nodes


def _rows(nodes: list[dict], table: str) -> int:
    return sum(
        (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node.get("Actual Loops", 1)
        for node in nodes
        if node.get("Relation Name") == table
    )


# The verdict list's outlet filter offers the outlets of the latest 500 fact-checks
# (selectors.OUTLET_CHOICES_FROM): a fixed read, whatever the number of verdicts.
CHOICES = 500


def test_the_lists_read_a_page_off_the_public_index(published):
    assert Verdict.objects.filter(public=True).count() == 4000
    # Verdicts read: the choices, the ids up to the page's end (seven ratings: a rating's
    # verdicts are about one in seven of those read in order), then the page's rows by id.
    for url, claims_read, verdicts_read in [
        ("/", 10, 10),
        ("/verdicts/feed/", 50, 50),
        ("/verdicts/", CHOICES + 20, CHOICES + 20 + 20 + 5),
        ("/verdicts/?rating=false", CHOICES + 20, CHOICES + 20 * 7 * 2 + 20),
        # The last page offered: the offset is read off the index, the joins are for 20 rows.
        ("/verdicts/?page=50", CHOICES + 20, CHOICES + 1000 + 20 + 5),
        ("/verdicts/?rating=false&page=20", CHOICES + 20, CHOICES + 400 * 7 * 2 + 20),
    ]:
        nodes = _reads(url)
        seq = [n for n in nodes if n["Node Type"] == "Seq Scan"]
        assert not seq, (url, [(n["Relation Name"], n.get("Filter")) for n in seq])
        assert {n.get("Index Name") for n in nodes} & {
            "verdict_public_idx",
            "verdict_public_rating_idx",
        }, (url, nodes)
        assert _rows(nodes, "claims_claim") <= claims_read, url
        assert _rows(nodes, "claims_verdict") <= verdicts_read, url


def test_a_speaker_page_reads_that_speakers_published_claims_only(published):
    speaker = (
        Verdict.objects.filter(public=True).select_related("published_speaker")[0].published_speaker
    )
    assert speaker.claims.count() == 40
    record = Verdict.objects.filter(public=True, published_speaker=speaker).count()
    verdict = Verdict.objects.filter(public=True, published_speaker=speaker).first()
    for url in (f"/speakers/{speaker.slug}/", f"/verdicts/{verdict.slug}/"):
        nodes = _reads(url)
        assert not [n for n in nodes if n["Node Type"] == "Seq Scan"], url
        # Their public verdicts by the partial index (for the page's ids, then the rows of
        # the page), not every claim of theirs, nor of all.
        assert record < 20
        assert _rows(nodes, "claims_claim") <= 2 * record + 5, url
        assert _rows(nodes, "claims_verdict") <= 2 * record + 5, url
        assert "verdict_public_speaker_idx" in {n.get("Index Name") for n in nodes}, nodes
