"""Prometheus metrics at `/metrics`: request latency by view, Celery jobs (counts, durations,
failures), the queue's length and the claims in each status.

Requests and jobs are counted where they happen: in gunicorn's worker processes and in Celery's
pool children. With `PROMETHEUS_MULTIPROC_DIR` set (the compose file shares one volume between
`web` and `worker`), each process writes its numbers to a file there and `/metrics` adds them
up, so one scrape of the web container shows the workers' jobs too. Without it (the demo, one
process) the numbers live in the process. The queue's length and the claims per status are read
when scraped: one Redis LLEN per queue and the status counter table (a row per status).

Access: a staff user's session, or `Authorization: Bearer <METRICS_TOKEN>` for Prometheus.
"""

from __future__ import annotations

import hmac
import os
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    values,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

_HOST = socket.gethostname()
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # One file per process, named by host and pid: web and worker containers share the
    # folder, and each container counts its pids from 1.
    values.ValueClass = values.MultiProcessValue(
        process_identifier=lambda: f"{_HOST}-{os.getpid()}"
    )

REQUEST_SECONDS = Histogram(
    "factcheck_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TASKS = Counter(
    "factcheck_celery_tasks",
    "Celery jobs finished, by task and outcome (succeeded, failed, retried).",
    ["task", "outcome"],
)
TASK_SECONDS = Histogram(
    "factcheck_celery_task_duration_seconds",
    "Time a Celery job ran, by task.",
    ["task"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)


def _status_class(status: int) -> str:
    return f"{status // 100}xx"


class RequestMetricsMiddleware:
    """Time each request and count it under its view's name (not its path: one series per
    view, however many claims there are)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match and match.view_name else "unresolved"
        REQUEST_SECONDS.labels(view, request.method, _status_class(response.status_code)).observe(
            time.perf_counter() - started
        )
        return response


# Celery signals (connected in factcheck/celery.py): the start time of each running job.
_started: dict[str, float] = {}


def task_started(task_id: str | None = None, **kwargs: Any) -> None:
    if task_id:
        _started[task_id] = time.perf_counter()


def task_finished(task_id: str | None = None, task: Any = None, state: str | None = None, **kw):
    started = _started.pop(task_id, None) if task_id else None
    name = getattr(task, "name", "unknown")
    if started is not None:
        TASK_SECONDS.labels(name).observe(time.perf_counter() - started)
    outcome = {"SUCCESS": "succeeded", "FAILURE": "failed", "RETRY": "retried"}.get(state or "")
    if outcome:
        TASKS.labels(name, outcome).inc()


class LiveCollector:
    """What is read at scrape time rather than counted: queue length and claims per status."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from self._claims()
        yield from self._queue()

    def _claims(self) -> Iterator[GaugeMetricFamily]:
        from django.db import DatabaseError

        from claims.models import ClaimStatusCount

        family = GaugeMetricFamily(
            "factcheck_claims", "Claims in each status (the status counters).", labels=["status"]
        )
        try:
            rows = list(ClaimStatusCount.objects.values_list("status", "count"))
        except DatabaseError:
            return  # the database is down: /healthz/ready says so; the rest still scrapes
        for status, count in rows:
            family.add_metric([status], count)
        yield family

    def _queue(self) -> Iterator[GaugeMetricFamily]:
        url = settings.CELERY_BROKER_URL
        if not url.startswith(("redis://", "rediss://")):
            return
        import redis

        family = GaugeMetricFamily(
            "factcheck_celery_queue_length", "Jobs waiting in the broker's queue.", labels=["queue"]
        )
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            for queue in queue_names():
                family.add_metric([queue], client.llen(queue))
        except redis.RedisError:
            return
        finally:
            client.close()
        yield family


def queue_names() -> list[str]:
    from factcheck.celery import app

    return sorted({app.conf.task_default_queue or "celery"})


def render() -> bytes:
    """The exposition text: the counted metrics (from every process's file when multiprocess)
    and the live ones."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        for collector in (REQUEST_SECONDS, TASKS, TASK_SECONDS):
            registry.register(collector)
    registry.register(LiveCollector())
    return generate_latest(registry)


def token_ok(request: HttpRequest) -> bool:
    """The request carries `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time)."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if not token or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer ") :].encode(), token.encode())


def metrics_response() -> HttpResponse:
    response = HttpResponse(render(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


def metrics_view(request: HttpRequest) -> HttpResponse:
    """`/metrics` for a signed-in staff user or a scraper with the token; 403 otherwise."""
    user = getattr(request, "user", None)
    if request.method not in {"GET", "HEAD"}:
        return HttpResponse(status=405)
    if token_ok(request) or (user is not None and user.is_active and user.is_staff):
        return metrics_response()
    return HttpResponse("Staff or the metrics token only.\n", status=403, content_type="text/plain")
