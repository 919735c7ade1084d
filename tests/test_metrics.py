"""`/metrics`: who may read it, and what it counts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from claims.services.claims import claim_accept
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "metrics-token-for-the-test-" + "p4Lm" * 6


def _samples(body: bytes) -> dict[tuple[str, tuple], float]:
    samples = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


@pytest.fixture
def staff_client(client, db):
    client.force_login(factories.UserFactory(username="ops-staff", is_staff=True))
    return client


@pytest.mark.django_db
def test_anonymous_and_non_staff_users_are_refused(client, reviewer_client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 403
    assert reviewer_client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong-token").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 403


@pytest.mark.django_db
def test_no_token_configured_means_no_token_access(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


@pytest.mark.django_db
def test_staff_read_metrics(staff_client):
    response = staff_client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert b"factcheck_http_request_duration_seconds" in response.content


@pytest.mark.django_db
def test_the_token_reads_metrics_by_address_over_http(client, settings):
    """Prometheus scrapes `http://web:8000/metrics` inside the compose network: not a host
    name the site serves, not https. The token is what lets it in."""
    settings.METRICS_TOKEN = TOKEN
    settings.ALLOWED_HOSTS = ["factcheck.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/metrics", HTTP_HOST="web:8000", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert client.get("/metrics", HTTP_HOST="web:8000").status_code == 400


@pytest.mark.django_db
def test_request_latency_by_view(staff_client):
    before = _samples(staff_client.get("/metrics").content)
    key = (
        "factcheck_http_request_duration_seconds_count",
        (("method", "GET"), ("status", "2xx"), ("view", "public:home")),
    )
    staff_client.get("/")
    staff_client.get("/")
    after = _samples(staff_client.get("/metrics").content)
    assert after[key] - before.get(key, 0) == 2


@pytest.mark.django_db
def test_claims_by_status(staff_client, reviewer_user):
    factories.ClaimFactory()
    claim_accept(claim=factories.ClaimFactory(), by=reviewer_user)
    samples = _samples(staff_client.get("/metrics").content)
    assert samples[("factcheck_claims", (("status", "new"),))] == 1
    assert samples[("factcheck_claims", (("status", "in_review"),))] == 1


@pytest.mark.django_db
def test_task_counts_durations_and_failures(staff_client):
    from claims.tasks import heartbeat, poll_feed

    succeeded = (
        "factcheck_celery_tasks_total",
        (("outcome", "succeeded"), ("task", "claims.heartbeat")),
    )
    failed = ("factcheck_celery_tasks_total", (("outcome", "failed"), ("task", "claims.poll_feed")))
    timed = ("factcheck_celery_task_duration_seconds_count", (("task", "claims.heartbeat"),))
    before = _samples(staff_client.get("/metrics").content)
    heartbeat.delay()
    heartbeat.delay()
    # No such feed: the job fails (as in a worker, where the error is not raised to the caller).
    result = poll_feed.apply(args=[987654321], throw=False)
    assert result.failed()
    after = _samples(staff_client.get("/metrics").content)
    assert after[succeeded] - before.get(succeeded, 0) == 2
    assert after[timed] - before.get(timed, 0) == 2
    assert after[failed] - before.get(failed, 0) == 1


@pytest.mark.django_db
def test_queue_length(staff_client, settings, monkeypatch):
    import redis

    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis")
    queue = f"factcheck-metrics-test-{os.getpid()}"
    settings.CELERY_BROKER_URL = url
    monkeypatch.setattr("factcheck.metrics.queue_names", lambda: [queue])
    client.delete(queue)
    client.rpush(queue, "a", "b", "c")
    try:
        samples = _samples(staff_client.get("/metrics").content)
    finally:
        client.delete(queue)
    assert samples[("factcheck_celery_queue_length", (("queue", queue),))] == 3


def test_one_scrape_adds_up_every_process(tmp_path):
    """With PROMETHEUS_MULTIPROC_DIR, jobs counted in worker processes show in the web's
    /metrics: two processes count, a third renders."""
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}",
    }
    count = (
        "import django; django.setup(); from factcheck import metrics; "
        "from types import SimpleNamespace as T; "
        "[metrics.task_finished(task_id=None, task=T(name='claims.x'), state='SUCCESS') "
        "for _ in range(3)]"
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", count], cwd=ROOT, env=env, check=True, timeout=60)
    render = (
        "import sys, django; django.setup(); from factcheck import metrics; "
        "sys.stdout.write(metrics.render().decode())"
    )
    out = subprocess.run(
        [sys.executable, "-c", render],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
    ).stdout
    samples = _samples(out)
    assert (
        samples[("factcheck_celery_tasks_total", (("outcome", "succeeded"), ("task", "claims.x")))]
        == 6
    )
    assert len(list(tmp_path.glob("counter_*.db"))) == 2
