"""Health probes in two levels.

`/healthz` is liveness, for load balancers and the container health check: the process answers,
nothing else is touched, so a database outage does not make every web container restart.

`/healthz/ready` is readiness, for an operator and a deploy script: the database, the broker,
migrations not yet applied, how long ago beat and a worker last showed they were alive, and how
late the source feeds are polled. JSON; 503 with the failing parts named in `failing`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

Check = dict[str, Any]

# Set once a check found no pending migration: code and schema only part again at a deploy,
# which starts new processes. Until then each probe asks again.
_migrations_applied = False


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and serving requests."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def healthz_ready(request: HttpRequest) -> JsonResponse:
    """Every part the deployment needs, each with its own verdict; 503 if any part fails."""
    checks = readiness()
    failing = [name for name, check in checks.items() if check["ok"] is False]
    body = {"status": "error" if failing else "ok", "failing": failing, "checks": checks}
    return JsonResponse(body, status=503 if failing else 200)


def readiness() -> dict[str, Check]:
    """Run the checks in order; those that read the database are skipped when it is down."""
    checks: dict[str, Check] = {"database": check_database(), "broker": check_broker()}
    needs_database: dict[str, Callable[[], Check]] = {
        "migrations": check_migrations,
        "beat": lambda: check_heartbeat("beat", settings.HEALTH_BEAT_MAX_AGE),
        "worker": lambda: check_heartbeat("worker", settings.HEALTH_WORKER_MAX_AGE),
        "feeds": check_feed_lag,
    }
    for name, check in needs_database.items():
        if not checks["database"]["ok"]:
            checks[name] = {"ok": None, "skipped": "database unreachable"}
            continue
        try:
            checks[name] = check()
        except Exception as exc:  # a check that breaks is a failing part, not a 500
            checks[name] = {"ok": False, "error": type(exc).__name__}
    return checks


def check_database() -> Check:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}


def check_broker() -> Check:
    """Ping the broker; without one the tasks run inline (the demo), which is not a failure."""
    url = settings.CELERY_BROKER_URL
    if not url:
        return {"ok": True, "mode": "inline"}
    try:
        if url.startswith(("redis://", "rediss://")):
            import redis

            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
            try:
                client.ping()
            finally:
                client.close()
        else:
            from factcheck.celery import app

            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}


def check_migrations() -> Check:
    global _migrations_applied
    if _migrations_applied:
        return {"ok": True, "pending": 0}
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
        return {"ok": False, "pending": len(plan), "first": names[0]}
    _migrations_applied = True
    return {"ok": True, "pending": 0}


def check_heartbeat(name: str, max_age: int) -> Check:
    """How many seconds ago `name` (beat or worker) last recorded its heartbeat."""
    if not settings.CELERY_BROKER_URL:
        return {"ok": True, "skipped": "no broker: tasks run inline"}
    from claims.models import Heartbeat

    at = Heartbeat.objects.filter(name=name).values_list("at", flat=True).first()
    if at is None:
        return {"ok": False, "age_seconds": None, "max_age_seconds": max_age}
    age = max(0, round((timezone.now() - at).total_seconds()))
    return {"ok": age <= max_age, "age_seconds": age, "max_age_seconds": max_age}


def check_feed_lag() -> Check:
    """How late the longest-waiting healthy feed is past its poll interval.

    Failing feeds are left out: they back off on purpose, and the admin shows their errors.
    """
    if not settings.CELERY_BROKER_URL:
        return {"ok": True, "skipped": "no broker: feeds are polled on demand"}
    from claims.models import SourceFeed

    oldest = SourceFeed.objects.filter(
        active=True, source__active=True, failures=0, last_fetched_at__isnull=False
    ).aggregate(oldest=Min("last_fetched_at"))["oldest"]
    limit = settings.HEALTH_FEED_LAG_MINUTES * 60
    if oldest is None:
        return {"ok": True, "lag_seconds": 0, "max_lag_seconds": limit}
    due = oldest + datetime.timedelta(minutes=settings.FEED_POLL_MINUTES)
    lag = max(0, round((timezone.now() - due).total_seconds()))
    return {"ok": lag <= limit, "lag_seconds": lag, "max_lag_seconds": limit}


class ProbeMiddleware:
    """Answer `GET /healthz`, and `GET /metrics` with the metrics token, first in the chain.

    A container health check, a load balancer or Prometheus asks by address
    (`http://10.0.0.5:8000`), over plain http: further down, the host check (ALLOWED_HOSTS) would
    refuse it and the https redirect would turn it away, though the process is fine. Metrics
    without the token go on down the chain to the view, which lets staff sessions in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.method in {"GET", "HEAD"}:
            if request.path == "/healthz":
                return healthz(request)
            if request.path == "/metrics":
                from factcheck import metrics

                if metrics.token_ok(request):
                    return metrics.metrics_response()
        return self.get_response(request)
