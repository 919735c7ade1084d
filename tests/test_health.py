"""The two health levels: `/healthz` (the process is up) and `/healthz/ready` (every part the
deployment needs), with each part taken down in turn."""

from __future__ import annotations

import datetime
import os

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.utils import timezone

from claims.models import Heartbeat, SourceFeed
from claims.services import operations
from factcheck import health
from tests import factories

# A broker address nothing listens on (port 1 is never a Redis).
DEAD_BROKER = "redis://127.0.0.1:1/0"
LIVE_BROKER = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(LIVE_BROKER, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="no Redis to play the live broker")


@pytest.fixture(autouse=True)
def _fresh_migration_check():
    health._migrations_applied = False
    yield
    health._migrations_applied = False


@pytest.fixture
def live_stack(settings):
    """A configured broker that answers, a fresh beat and worker heartbeat: all ready."""
    settings.CELERY_BROKER_URL = LIVE_BROKER
    operations.heartbeat_record(operations.BEAT)
    operations.heartbeat_record(operations.WORKER)
    return settings


def _ready(client):
    response = client.get("/healthz/ready")
    return response.status_code, response.json()


def test_liveness_answers_without_the_database(client, monkeypatch):
    def broken(*args, **kwargs):
        raise AssertionError("liveness must not touch the database")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_liveness_answers_any_host_over_http(client, settings):
    """A container health check asks by address over plain http, past the host check and the
    https redirect of production settings."""
    settings.ALLOWED_HOSTS = ["factcheck.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200
    # Every other path still goes through both.
    assert client.get("/healthz/ready", HTTP_HOST="10.0.0.5:8000").status_code == 400
    assert client.get("/healthz/ready", HTTP_HOST="factcheck.example.org").status_code == 301


@pytest.mark.django_db
def test_ready_in_the_demo_without_a_broker(client, settings):
    settings.CELERY_BROKER_URL = ""
    status, body = _ready(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert body["checks"]["broker"] == {"ok": True, "mode": "inline"}
    assert body["checks"]["migrations"] == {"ok": True, "pending": 0}


@needs_redis
@pytest.mark.django_db
def test_ready_when_every_part_is_up(client, live_stack):
    status, body = _ready(client)
    assert status == 200, body
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "broker", "migrations", "beat", "worker", "feeds"}
    assert body["checks"]["beat"]["age_seconds"] <= 1
    assert body["checks"]["worker"]["age_seconds"] <= 1


@needs_redis
@pytest.mark.django_db
def test_database_down(client, live_stack, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refused)
    status, body = _ready(client)
    assert status == 503
    assert body["failing"] == ["database"]
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    # What needs the database is not asked, and not blamed.
    assert body["checks"]["beat"] == {"ok": None, "skipped": "database unreachable"}


@needs_redis
@pytest.mark.django_db
def test_broker_down(client, live_stack):
    live_stack.CELERY_BROKER_URL = DEAD_BROKER
    status, body = _ready(client)
    assert status == 503
    assert body["failing"] == ["broker"]
    assert body["checks"]["broker"]["ok"] is False


@needs_redis
@pytest.mark.django_db
def test_pending_migrations(client, live_stack):
    # As if the newest claims migration had not been applied (rolled back with the test).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM django_migrations WHERE app = 'claims' ORDER BY name DESC LIMIT 1"
        )
        (latest,) = cursor.fetchone()
        cursor.execute("DELETE FROM django_migrations WHERE app = 'claims' AND name = %s", [latest])
    status, body = _ready(client)
    assert status == 503
    assert body["failing"] == ["migrations"]
    assert body["checks"]["migrations"] == {
        "ok": False,
        "pending": 1,
        "first": f"claims.{latest}",
    }


@needs_redis
@pytest.mark.django_db
@pytest.mark.parametrize("name", ["beat", "worker"])
def test_stale_heartbeat(client, live_stack, name):
    max_age = {"beat": live_stack.HEALTH_BEAT_MAX_AGE, "worker": live_stack.HEALTH_WORKER_MAX_AGE}
    Heartbeat.objects.filter(name=name).update(
        at=timezone.now() - datetime.timedelta(seconds=max_age[name] + 60)
    )
    status, body = _ready(client)
    assert status == 503
    assert body["failing"] == [name]
    assert body["checks"][name]["age_seconds"] >= max_age[name] + 60


@needs_redis
@pytest.mark.django_db
def test_heartbeat_never_seen(client, live_stack):
    Heartbeat.objects.filter(name="beat").delete()
    status, body = _ready(client)
    assert status == 503
    assert body["failing"] == ["beat"]
    assert body["checks"]["beat"]["age_seconds"] is None


@needs_redis
@pytest.mark.django_db
def test_feed_poll_lag(client, live_stack):
    live_stack.FEED_POLL_MINUTES = 30
    live_stack.HEALTH_FEED_LAG_MINUTES = 30
    source = factories.SourceFactory()
    polled = SourceFeed.objects.create(
        source=source, url="https://example.org/a.xml", last_fetched_at=timezone.now()
    )
    status, body = _ready(client)
    assert status == 200, body
    # Polled 2 hours ago with a 30-minute interval: 90 minutes late.
    polled.last_fetched_at = timezone.now() - datetime.timedelta(hours=2)
    polled.save()
    status, body = _ready(client)
    assert status == 503
    assert body["failing"] == ["feeds"]
    assert 90 * 60 - 5 <= body["checks"]["feeds"]["lag_seconds"] <= 90 * 60 + 5
    # A failing feed backs off on purpose: it is not lag.
    polled.failures = 3
    polled.save()
    assert _ready(client)[0] == 200


@pytest.mark.django_db
def test_heartbeat_job_records_the_worker():
    from claims.tasks import heartbeat

    heartbeat.delay()
    assert Heartbeat.objects.get(name="worker").at > timezone.now() - datetime.timedelta(seconds=5)


@pytest.mark.django_db
def test_beat_scheduler_records_its_heartbeat(tmp_path, monkeypatch):
    from celery.beat import PersistentScheduler

    from factcheck import beat
    from factcheck.celery import app

    monkeypatch.setattr(beat, "HEARTBEAT_FILE", tmp_path / "beat")
    # Beat closes stale connections around its write; the test's own must stay open.
    monkeypatch.setattr("django.db.close_old_connections", lambda: None)
    monkeypatch.setattr(PersistentScheduler, "tick", lambda self, *a, **k: 300.0)
    scheduler = beat.Scheduler.__new__(beat.Scheduler)  # no schedule file: only tick is tested
    scheduler.app = app
    assert scheduler.tick() == beat.BEAT_HEARTBEAT_SECONDS
    assert Heartbeat.objects.filter(name="beat").exists()
    assert (tmp_path / "beat").exists()


def test_beat_runs_the_settings_schedule(settings):
    """Beat is configured from CELERY_BEAT_SCHEDULE, so a schedule added there runs."""
    from factcheck.celery import app

    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
    assert "worker-heartbeat" in app.conf.beat_schedule
