"""Operational writes: the heartbeats of beat and the workers (see `claims.models.Heartbeat`)."""

from __future__ import annotations

from django.utils import timezone

from claims.models import Heartbeat

BEAT = "beat"
WORKER = "worker"


def heartbeat_record(name: str) -> None:
    """Note that the process called `name` is alive now (one row per name, updated in place)."""
    updated = Heartbeat.objects.filter(name=name).update(at=timezone.now())
    if not updated:
        Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})
