"""The evidence search on the real stack: a Celery worker process takes the job from Redis,
asks the archive (PostgreSQL full-text search) and a SearxNG-style endpoint, reads the pages
and stores the candidates, which the test reads back from PostgreSQL."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer

from claims.corroboration.archive import archive_upsert
from claims.models import CorroborationRun, Evidence
from claims.services.corroboration import corroboration_request
from tests import factories
from tests.corroboration_web import article_page
from tests.workers import celery_worker, needs_real_stack, purge_queue, wait_for

pytestmark = [needs_real_stack(), pytest.mark.worker]

CLAIM = "Protesters broke down the gate of the US embassy in Baghdad and tried to storm it."


@pytest.fixture
def server():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def finished(run_id: int):
    run = CorroborationRun.objects.get(pk=run_id)
    return run if not run.is_active else None


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_evidence_search(server):
    story = server.url_for("/world/embassy")
    server.expect_request("/world/embassy").respond_with_data(
        article_page(
            "Embassy gate broken down",
            [
                "Iraqi protesters broke down the gate of the US embassy in Baghdad on Tuesday "
                "and tried to storm the compound.",
                "Embassy staff had been moved to safety, officials said.",
            ],
        ),
        content_type="text/html",
    )
    server.expect_request("/searx/search").respond_with_data(
        json.dumps({"results": [{"url": story, "title": "Embassy gate broken down"}]}),
        content_type="application/json",
    )
    archive_upsert(
        kind="corpus",
        key="corpus:statement",
        url="https://www.senate.gov/statement",
        title="Statement on the embassy attack",
        text="Today protesters broke down the gate of the US embassy in Baghdad. No Americans "
        "were harmed.",
    )
    claim = factories.ClaimFactory(content=CLAIM, status="in_review")
    purge_queue()
    env = {
        "FETCH_ALLOW_PRIVATE_ADDRESSES": "true",
        "SEARXNG_URL": server.url_for("/searx"),
        "SEARXNG_RATE_LIMIT": "",
        "CORROBORATION_ARCHIVE": "true",
    }
    with celery_worker("corroborate", **env):
        run = corroboration_request(claim=claim, by=None)
        first = wait_for(lambda: finished(run.pk), timeout=90)
        assert first.status == CorroborationRun.Status.DONE, first.error
        again = corroboration_request(claim=claim, by=None)
        second = wait_for(lambda: finished(again.pk), timeout=90)
    assert {r["name"]: r["status"] for r in first.providers} == {
        "archive": "ok",
        "searxng": "ok",
    }
    found = {e.url: e for e in Evidence.objects.filter(claim=claim)}
    assert set(found) == {"https://www.senate.gov/statement", story}
    assert "broke down the gate" in found[story].passage
    assert found[story].origin == "searxng"
    assert found["https://www.senate.gov/statement"].origin == "archive"
    # The second run updated the same rows and added none.
    assert (second.found, second.added) == (2, 0)
    assert Evidence.objects.filter(claim=claim).count() == 2
