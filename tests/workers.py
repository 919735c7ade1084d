"""Real Celery worker processes for integration tests, against the test database and broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
# Each test run sends to and consumes from its own queue, so that two runs sharing one Redis
# (two developers, or a developer and CI) never take each other's jobs.
QUEUE = f"factcheck-test-{os.getpid()}"


def needs_real_stack() -> pytest.MarkDecorator:
    """Skip unless a broker is configured and the tests run on PostgreSQL."""
    return pytest.mark.skipif(
        not settings.CELERY_BROKER_URL or not os.environ.get("DATABASE_URL"),
        reason="needs CELERY_BROKER_URL and DATABASE_URL (PostgreSQL + Redis), as under .ci/run",
    )


def test_database_url() -> str:
    """The address of the database pytest-django created, so the worker writes where we read."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}"
    )


def worker_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=test_database_url(),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        DATABASE_CONN_MAX_AGE="0",
        **extra,
    )
    return env


def _celery(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "celery", "-A", "factcheck", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def purge_queue() -> None:
    _celery("purge", "-f", "-Q", QUEUE, env=worker_env())


@contextmanager
def celery_worker(
    name: str = "w1", *, concurrency: int = 1, **extra_env: str
) -> Iterator[subprocess.Popen]:
    """Start a prefork worker, wait until it answers ping, stop it by process id afterwards."""
    env = worker_env(**extra_env)
    hostname = f"{name}-{os.getpid()}@%h"
    log = open(ROOT / f".pytest-worker-{name}.log", "w")  # noqa: SIM115 - closed below
    from factcheck.celery import app

    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = QUEUE
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "factcheck",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            "-n",
            hostname,
            "--without-gossip",
            "--without-mingle",
            "-Q",
            QUEUE,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            ping = _celery(
                "inspect",
                "ping",
                "-d",
                hostname.replace("%h", os.uname().nodename),
                "--timeout",
                "2",
                env=env,
            )
            if ping.returncode == 0 and "pong" in ping.stdout:
                break
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError(
                    "worker did not start: "
                    + (ROOT / f".pytest-worker-{name}.log").read_text()[-3000:]
                )
            time.sleep(0.5)
        yield process
    finally:
        app.conf.task_default_queue = previous_queue
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def wait_for(predicate, timeout: float = 60, interval: float = 0.3):
    """Poll `predicate` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
