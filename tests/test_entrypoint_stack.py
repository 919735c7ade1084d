"""The deployment without Docker: `docker/entrypoint.sh web`, `worker` and `beat` started as the
containers start them, with production settings, on the real PostgreSQL and Redis.

An article goes in through the web process's gunicorn, the worker process ingests it, beat's
schedule fires (its heartbeat job, run by the worker), `/healthz/ready` answers 200, the metrics
scrape of the web process counts the worker's jobs, and every log line is JSON with its request
or task id and without the secret key or the session cookie.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.test import Client

from tests import factories
from tests.workers import needs_real_stack, wait_for
from tests.workers import test_database_url as database_url

pytestmark = [needs_real_stack(), pytest.mark.worker]

ROOT = Path(__file__).resolve().parent.parent
TEXT = (
    "The harbour authority said 4,812 ships docked at the port in 2025.\n\n"
    "Officials said the new terminal would open in March."
)
METRICS_TOKEN = "stack-test-metrics-token-" + "w9Rt" * 6


@pytest.fixture
def roles_and_scale(transactional_db):
    """Transactional tests that ran before flushed the roles and the verdict scale (migration
    data) away: put them back."""
    from django.contrib.auth.models import Group, Permission

    from claims.models import VerdictRating
    from claims.roles import ensure_roles, ensure_verdict_scale

    ensure_roles(Group, Permission)
    ensure_verdict_scale(VerdictRating)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# Celery prints this one notice on stop straight to stderr, past logging.
CELERY_SHUTDOWN = re.compile(r"^worker: (Warm|Cold) shutdown \(MainProcess\)$")


def _json_lines(path: Path) -> list[dict]:
    lines = []
    for line in path.read_text().splitlines():
        if line.strip() and not CELERY_SHUTDOWN.match(line):
            try:
                lines.append(json.loads(line))
            except json.JSONDecodeError:
                raise AssertionError(f"not a JSON line: {line!r}") from None
    return lines


@pytest.mark.django_db(transaction=True)
def test_web_worker_and_beat_from_the_entrypoint(tmp_path, roles_and_scale):
    port = _free_port()
    queue = f"factcheck-stack-{os.getpid()}"
    base = f"http://127.0.0.1:{port}"
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DEBUG": "false",
        # The test's key: the session made below is signed with it.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_PROXY_SSL_HEADER": "true",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        # This run's own queue, so that other runs on the same Redis never take its jobs.
        "CELERY_QUEUE": queue,
        "CELERY_HOSTNAME": f"stack-{os.getpid()}@%h",
        "CELERY_CONCURRENCY": "1",
        "HEALTH_HEARTBEAT_SECONDS": "3",
        "BEAT_SCHEDULE_FILE": str(tmp_path / "beat-schedule"),
        "BEAT_HEARTBEAT_FILE": str(tmp_path / "beat-heartbeat"),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "METRICS_TOKEN": METRICS_TOKEN,
        "LOG_FORMAT": "json",
        "PORT": str(port),
        "GUNICORN_WORKERS": "2",
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}",
    }
    subprocess.run(
        ["python", "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    logs = {name: tmp_path / f"{name}.log" for name in ("web", "worker", "beat")}
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name in ("web", "worker", "beat"):
            processes[name] = subprocess.Popen(
                ["docker/entrypoint.sh", name],
                cwd=ROOT,
                env=env,
                stdout=logs[name].open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def web_up():
            for name, process in processes.items():
                if process.poll() is not None:
                    raise AssertionError(f"{name} exited: {logs[name].read_text()[-3000:]}")
            try:
                return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(web_up, timeout=120, interval=0.5)

        # A reviewer's session, as the login page would have made it.
        browser = Client()
        browser.force_login(factories.reviewer(username="stack-reviewer"))
        session = browser.cookies[settings.SESSION_COOKIE_NAME].value
        csrf = "c" * 32
        headers = {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "X-Forwarded-Proto": "https",  # TLS ended at the proxy in front
            "Origin": f"https://127.0.0.1:{port}",
        }
        submitted = httpx.post(
            f"{base}/api/articles", json={"text": TEXT}, headers=headers, timeout=30
        )
        assert submitted.status_code == 202, submitted.text
        article_id = submitted.json()["article"]["id"]

        def ingested():
            response = httpx.get(f"{base}/api/articles/{article_id}", headers=headers, timeout=10)
            status = response.json()["status"]
            return response.json() if status in {"ready", "failed", "needs_review"} else None

        article = wait_for(ingested, timeout=180, interval=1)
        assert article["status"] == "ready", article

        # Beat's schedule fires: the heartbeat job it sends every 3 s is run by the worker.
        def beat_fired():
            return any(
                line.get("task_name") == "claims.heartbeat" and "succeeded" in line["message"]
                for line in _json_lines(logs["worker"])
            )

        wait_for(beat_fired, timeout=90, interval=1)

        ready = httpx.get(f"{base}/healthz/ready", timeout=10)
        assert ready.status_code == 200, ready.text
        checks = ready.json()["checks"]
        assert checks["beat"]["age_seconds"] <= 30
        assert checks["worker"]["age_seconds"] <= 30

        metrics = httpx.get(
            f"{base}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10
        )
        assert metrics.status_code == 200
        assert (
            'factcheck_celery_tasks_total{outcome="succeeded",task="claims.ingest_article"} 1.0'
            in metrics.text
        )
        assert 'view="api:submit_article"' in metrics.text
    finally:
        for process in processes.values():
            _stop(process)

    web_lines = _json_lines(logs["web"])
    request_lines = [line for line in web_lines if line["logger"] == "factcheck.request"]
    submit = next(line for line in request_lines if line["path"] == "/api/articles")
    assert submit["status"] == 202 and len(submit["request_id"]) == 32
    assert all(line.get("request_id") for line in request_lines)
    worker_lines = _json_lines(logs["worker"])
    ingest_lines = [
        line for line in worker_lines if line.get("task_name") == "claims.ingest_article"
    ]
    assert ingest_lines and all(line["task_id"] for line in ingest_lines)
    _json_lines(logs["beat"])
    everything = "".join(path.read_text() for path in logs.values())
    assert settings.SECRET_KEY not in everything
    assert session not in everything
    assert "4,812 ships" not in everything
