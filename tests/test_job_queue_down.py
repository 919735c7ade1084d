"""The broker is down: submissions still answer with a message, and nothing stays queued
without a job: the `requeue_unsent_jobs` beat job sends what never reached the broker."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import jobs
from claims.models import Article, Claim, CorroborationRun, Evidence
from claims.services.articles import DuplicateArticle, article_submit_text
from claims.services.claims import claim_accept
from claims.services.evidence import evidence_add_by_hand
from claims.views.ingest import WAITING_FOR_JOB_QUEUE
from tests import factories
from tests.ingest_pages import PARAGRAPHS

pytestmark = pytest.mark.django_db

TEXT = "\n\n".join(PARAGRAPHS)


def _closed_port() -> int:
    """A port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _use_broker(app, monkeypatch, url: str, *, eager: bool) -> None:
    # Celery prefers the CELERY_BROKER_URL environment variable (set under CI) to its setting.
    if url:
        monkeypatch.setenv("CELERY_BROKER_URL", url)
    else:
        monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    app.conf.broker_url = url
    app.conf.task_always_eager = eager
    # Connections are pooled per app: forget them so the next job connects to `url`.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down(monkeypatch):
    """Jobs go to a Redis address whose port is closed, as when the broker is down, and are
    sent the moment they are enqueued, as they are on commit outside a test's transaction.
    Calling the fixture's value brings the broker "back": jobs then run inline again."""
    from factcheck.celery import app

    monkeypatch.setattr(jobs.transaction, "on_commit", lambda callback, *a, **k: callback())
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    _use_broker(app, monkeypatch, f"redis://127.0.0.1:{_closed_port()}/0", eager=False)
    yield lambda: _use_broker(app, monkeypatch, "", eager=True)
    _use_broker(app, monkeypatch, previous[0], eager=previous[1])


def _age(model, pk: int, seconds: int, **fields) -> None:
    """Make a row look saved `seconds` ago, as the sweep sees it a while later."""
    when = timezone.now() - timedelta(seconds=seconds)
    names = {f.name for f in model._meta.get_fields()}
    stamps = {name: when for name in ("updated_at", "created_at") if name in names}
    model.objects.filter(pk=pk).update(**stamps, **fields)


def test_a_paste_while_the_broker_is_down_answers_with_a_message(broker_down, reviewer_client):
    response = reviewer_client.post(
        reverse("review:article_new"), {"kind": "paste", "text": TEXT}, follow=True
    )
    assert response.status_code == 200
    article = Article.objects.get()
    assert article.status == Article.Status.QUEUED
    assert article.ingest_enqueued_at is None
    assert [str(m) for m in response.context["messages"]] == [WAITING_FOR_JOB_QUEUE]
    html = response.content.decode()
    assert "Waiting for the job queue" in html
    assert "Waiting for a worker" not in html


def test_the_api_while_the_broker_is_down_says_the_job_waits(broker_down, reviewer_client):
    response = reviewer_client.post(
        "/api/articles", {"text": TEXT}, content_type="application/json"
    )
    assert response.status_code == 202, response.content
    article = response.json()["article"]
    assert article["status"] == "queued"
    assert article["waiting_for_job_queue"] is True


def test_the_sweep_sends_the_job_once_the_broker_is_back(broker_down):
    article = article_submit_text(text=TEXT, by=None)
    _age(Article, article.pk, 120)
    assert jobs.requeue_unsent_jobs()["articles"] == 0  # still down: nothing sent, no error
    assert Article.objects.get(pk=article.pk).status == Article.Status.QUEUED
    broker_down()  # back
    assert jobs.requeue_unsent_jobs() == {"articles": 1, "evidence": 0, "searches": 0}
    article.refresh_from_db()
    assert article.status == Article.Status.READY
    assert article.ingest_enqueued_at is not None
    assert article.claims.exists()


def test_resubmitting_the_waiting_text_goes_to_the_saved_article(broker_down):
    article = article_submit_text(text=TEXT, by=None)
    with pytest.raises(DuplicateArticle) as info:
        article_submit_text(text=TEXT, by=None)
    assert info.value.article == article


def test_the_sweep_leaves_jobs_that_were_sent_or_just_saved(monkeypatch):
    sent = []
    monkeypatch.setattr(jobs, "_send", lambda task, *args: sent.append((task.name, args)) or True)
    just_saved = factories.ArticleFactory(status=Article.Status.QUEUED)
    in_the_queue = factories.ArticleFactory(status=Article.Status.QUEUED)
    _age(Article, in_the_queue.pk, 600, ingest_enqueued_at=timezone.now() - timedelta(minutes=9))
    lost = factories.ArticleFactory(status=Article.Status.QUEUED)
    _age(Article, lost.pk, 7200, ingest_enqueued_at=timezone.now() - timedelta(hours=2))
    never_sent = factories.ArticleFactory(status=Article.Status.QUEUED)
    _age(Article, never_sent.pk, 120)
    finished = factories.ArticleFactory(status=Article.Status.FAILED)
    _age(Article, finished.pk, 7200)
    assert jobs.requeue_unsent_jobs()["articles"] == 2
    assert sorted(args for _, args in sent) == sorted([(lost.pk,), (never_sent.pk,)])
    assert {name for name, _ in sent} == {"claims.ingest_article"}
    assert just_saved.pk not in {args[0] for _, args in sent}


def test_an_evidence_link_added_while_the_broker_is_down_is_fetched_later(
    broker_down, reviewer_user, reviewer_client, allow_private, httpserver
):
    httpserver.expect_request("/briefing").respond_with_data(
        "<html><head><title>Briefing on Iraq</title></head><body><p>"
        + " ".join(PARAGRAPHS)
        + "</p></body></html>",
        content_type="text/html",
    )
    claim = factories.ClaimFactory(status=Claim.Status.IN_REVIEW)
    evidence = evidence_add_by_hand(
        claim=claim, url=httpserver.url_for("/briefing"), by=reviewer_user
    )
    evidence.refresh_from_db()
    assert evidence.fetch_status == Evidence.FetchStatus.PENDING
    assert evidence.fetch_enqueued_at is None
    page = reviewer_client.get(
        reverse("review:evidence_item", args=[evidence.pk]), HTTP_HX_REQUEST="true"
    )
    assert "Waiting for the job queue" in page.content.decode()
    _age(Evidence, evidence.pk, 120)
    broker_down()
    assert jobs.requeue_unsent_jobs()["evidence"] == 1
    evidence.refresh_from_db()
    assert evidence.fetch_status == Evidence.FetchStatus.READY
    assert evidence.title == "Briefing on Iraq"


def test_accepting_a_claim_while_the_broker_is_down_queues_its_search(
    broker_down, reviewer_user, reviewer_client
):
    claim = factories.ClaimFactory()
    claim_accept(claim=claim, by=reviewer_user)
    run = CorroborationRun.objects.get(claim=claim)
    assert run.status == CorroborationRun.Status.QUEUED
    assert run.enqueued_at is None
    html = reviewer_client.get(
        reverse("review:claim_corroboration", args=[claim.pk]), HTTP_HX_REQUEST="true"
    )
    assert "waiting for the job queue" in html.content.decode()
    _age(CorroborationRun, run.pk, 120)
    broker_down()
    assert jobs.requeue_unsent_jobs()["searches"] == 1
    run.refresh_from_db()
    assert run.status != CorroborationRun.Status.QUEUED
    assert run.enqueued_at is not None


def test_beat_runs_the_sweep_every_minute(settings):
    from factcheck.celery import app

    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "claims.requeue_unsent_jobs"
    ]
    assert entries == [{"task": "claims.requeue_unsent_jobs", "schedule": 60}]
    app.loader.import_default_modules()
    assert "claims.requeue_unsent_jobs" in app.tasks
