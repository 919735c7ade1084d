"""Celery beat's scheduler with a heartbeat: `celery -A factcheck beat -S factcheck.beat:Scheduler`.

Beat runs whatever `CELERY_BEAT_SCHEDULE` in the settings holds; this scheduler only adds that
each tick records the beat heartbeat (at most every `BEAT_HEARTBEAT_SECONDS`) in the database,
for `/healthz/ready`, and touches a file that the container's health check looks at without
starting Python.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)

BEAT_HEARTBEAT_SECONDS = 30
HEARTBEAT_FILE = Path(os.environ.get("BEAT_HEARTBEAT_FILE", "/tmp/factcheck-beat-heartbeat"))  # noqa: S108


class Scheduler(PersistentScheduler):
    """The persistent (file) scheduler, plus the heartbeat."""

    _last_heartbeat = 0.0

    def tick(self, *args, **kwargs) -> float:
        now = time.monotonic()
        if now - self._last_heartbeat >= BEAT_HEARTBEAT_SECONDS:
            self._last_heartbeat = now
            self._heartbeat()
        # Sleep no longer than the heartbeat interval, even when nothing is due for longer.
        return min(super().tick(*args, **kwargs), BEAT_HEARTBEAT_SECONDS)

    def _heartbeat(self) -> None:
        from django.db import close_old_connections

        from claims.services import operations

        try:
            close_old_connections()
            operations.heartbeat_record(operations.BEAT)
            HEARTBEAT_FILE.touch()
        except Exception:
            # A database hiccup must not stop the schedules; readiness will show the stale beat.
            logger.exception("could not record the beat heartbeat")
        finally:
            close_old_connections()
