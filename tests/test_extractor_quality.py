"""The dashboard's extractor figures: precision and recall per week and per source, from the
reviewers' judgements, over a bounded window read off its index."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.extractor_quality import extractor_quality, window_start
from claims.models import Article, ExtractionReview
from claims.services import claims as claim_services
from tests import factories
from tests.extraction_feedback_helpers import article, extracted_claim, span
from tests.test_queue_plans import _literal_defaults

pytestmark = pytest.mark.django_db

Outcome = ExtractionReview.Outcome
DASHBOARD = "/review/dashboard/"


def _weeks_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(weeks=n)


def _page(source, weeks_ago: int = 0) -> Article:
    page = article(outlet=source)
    Article.objects.filter(pk=page.pk).update(created_at=_weeks_ago(weeks_ago))
    page.refresh_from_db()
    return page


@pytest.fixture
def judged(reviewer_user):
    """Daily Planet this week: 2 kept, 1 lightly edited, 1 not a claim, 1 added by hand.
    Evening Star three weeks ago: 1 kept, 1 with its speaker corrected."""
    by = reviewer_user
    planet, star = (
        factories.SourceFactory(name="Daily Planet"),
        factories.SourceFactory(name="Evening Star"),
    )
    page = _page(planet)
    for content in ("the bridge will open in May", "two men were arrested"):
        claim_services.claim_accept(
            claim=extracted_claim(page, content, speaker="Police", mention="Police"), by=by
        )
    light = extracted_claim(page, "the date is unrealistic", speaker="Critics", mention="Critics")
    claim_services.claim_update(
        claim=light, by=by, expected_version=1, content="the date is unrealistic."
    )
    wrong = extracted_claim(page, "they were questioned", speaker="Police")
    claim_services.claim_dismiss(claim=wrong, by=by, reason="not_a_claim")
    start, end = span("prices will rise")
    claim_services.claim_create_manual(article=page, by=by, start=start, end=end)
    # Nobody has looked at it: not counted.
    extracted_claim(page, "Unemployment rose to 5 percent in June", speaker=None, cue="")
    old = _page(star, weeks_ago=3)
    claim_services.claim_accept(
        claim=extracted_claim(old, "the road is closed", speaker="Officials"), by=by
    )
    moved = extracted_claim(old, "taxes fell by three percent last year", speaker="Critics")
    claim_services.claim_set_speaker(
        claim=moved,
        by=by,
        speaker=claim_services.speaker_get_or_create(name="Ada Brown"),
        expected_version=1,
    )
    # Outside the window: not counted.
    claim_services.claim_accept(
        claim=extracted_claim(_page(star, weeks_ago=20), "the road is closed", speaker="X"),
        by=by,
    )
    return planet, star


def test_precision_and_recall_per_source_and_week(judged):
    quality = extractor_quality(weeks=12)
    planet, star = {c.label: c for c in quality.sources}.values()
    assert (planet.label, star.label) == ("Daily Planet", "Evening Star")
    assert (planet.kept, planet.lightly_edited, planet.not_a_claim, planet.added) == (2, 1, 1, 1)
    assert planet.precision == pytest.approx(3 / 4)
    assert planet.recall == pytest.approx(3 / 4)
    assert (star.kept, star.corrected) == (1, 1)
    assert star.precision == pytest.approx(1 / 2)
    assert star.recall == 1.0
    total = quality.total
    assert (total.judged, total.added) == (6, 1)
    assert total.precision == pytest.approx(4 / 6)
    assert total.recall == pytest.approx(5 / 6)
    weeks = dict(quality.weeks)
    assert len(weeks) == 12
    this_week = max(weeks)
    assert weeks[this_week].judged == 4 and weeks[this_week].added == 1
    assert sum(counts.judged for counts in weeks.values()) == 6
    assert min(weeks) == window_start(12).date()


def test_empty_window_has_no_figures():
    quality = extractor_quality()
    assert quality.sources == []
    assert quality.total.precision is None and quality.total.recall is None


def test_dashboard_shows_the_extractor_figures(judged, reviewer_client):
    body = reviewer_client.get(DASHBOARD).content.decode()
    assert "The extractor, measured by its reviewers" in body
    section = body.split('id="extractor-quality"', 1)[1]
    assert "Daily Planet" in section and "Evening Star" in section
    assert "75%" in section  # the Daily Planet's precision and recall
    assert "67%" in section  # precision over all


def _review_rows(n: int, *, weeks_ago: float, source) -> None:
    page = _page(source)
    claims = factories.ClaimFactory.create_batch(n, article=page)
    ExtractionReview.objects.bulk_create(
        ExtractionReview(
            claim=claim,
            article=page,
            source=source,
            article_added_at=_weeks_ago(weeks_ago),
            extracted=True,
            outcome=Outcome.KEPT if index % 3 else Outcome.NOT_A_CLAIM,
        )
        for index, claim in enumerate(claims)
    )


def test_dashboard_query_count_does_not_grow_with_reviews(reviewer_client):
    source = factories.SourceFactory()
    _review_rows(3, weeks_ago=1, source=source)
    with CaptureQueriesContext(connection) as few:
        reviewer_client.get(DASHBOARD)
    _review_rows(40, weeks_ago=2, source=factories.SourceFactory())
    with CaptureQueriesContext(connection) as many:
        reviewer_client.get(DASHBOARD)
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL")
def test_the_figures_read_only_the_window_off_its_index(reviewer_user):
    source = factories.SourceFactory()
    page = _page(source)
    claim = factories.ClaimFactory(article=page)
    generated = {
        "article_id": str(page.pk),
        "content": "'Claim ' || n",
        "start": "100000 + n * 10",
        "end": "100000 + n * 10 + 5",
        "created_at": "now()",
        "updated_at": "now()",
    }
    columns, values = _literal_defaults(set(generated) | {"search_vector"})
    names = ", ".join(f'"{column}"' for column in [*generated, *columns])
    expressions = [e.replace("%", "%%") for e in generated.values()] + ["%s"] * len(values)
    with connection.cursor() as cursor:
        # 20,100 claims, each reviewed: a hundred of articles this week, the rest long ago.
        cursor.execute(
            f"INSERT INTO claims_claim ({names}) "  # noqa: S608
            f"SELECT {', '.join(expressions)} FROM generate_series(1, 20100) AS n",
            values,
        )
        cursor.execute(
            "INSERT INTO claims_extractionreview (claim_id, article_id, source_id, "
            "article_added_at, extracted, outcome, speaker_name, speaker_text, cue, content, "
            "kind, created_at, updated_at) "
            "SELECT c.id, %s, %s, CASE WHEN c.id %% 201 = 0 THEN now() "
            "ELSE now() - interval '2 years' END, true, 'kept', '', '', '', '', 'indirect', "
            "now(), now() FROM claims_claim c WHERE c.id <> %s",
            [page.pk, source.pk, claim.pk],
        )
        cursor.execute("ANALYZE claims_extractionreview")
    recent = ExtractionReview.objects.filter(article_added_at__gte=window_start(12)).count()
    assert 50 <= recent <= 150
    with CaptureQueriesContext(connection) as ctx:
        quality = extractor_quality(weeks=12)
    assert quality.total.kept == recent
    plans = []
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            if "claims_extractionreview" not in query["sql"]:
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0]
            plans.append(json.loads(plan) if isinstance(plan, str) else plan)
    assert len(plans) == 2

    def nodes(plan):
        yield plan
        for child in plan.get("Plans", []):
            yield from nodes(child)

    for plan in plans:
        every = list(nodes(plan[0]["Plan"]))
        scans = [n for n in every if n.get("Relation Name") == "claims_extractionreview"]
        assert scans and all(n["Node Type"] != "Seq Scan" for n in scans), every
        indexes = {n["Index Name"] for n in every if n.get("Index Name")}
        assert indexes == {"extractionreview_window_idx"}, every
        # Only the window's rows are read, not the 20,000 older ones.
        assert sum(n["Actual Rows"] for n in scans) <= recent + 10, every
