"""The Celery application: configured from Django settings under the CELERY_ namespace."""

from __future__ import annotations

import gc
import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _task_started(**kwargs) -> None:
    """Tag the job's log lines with its id and start its timer (factcheck/logs.py, metrics.py)."""
    from factcheck import logs, metrics

    logs.task_started(**kwargs)
    metrics.task_started(**kwargs)


@task_postrun.connect
def _task_finished(**kwargs) -> None:
    from factcheck import logs, metrics

    metrics.task_finished(**kwargs)
    logs.task_finished(**kwargs)


@worker_init.connect
def load_extraction_model_before_forking(**kwargs) -> None:
    """Load spaCy's pipeline in the worker's main process, before the prefork pool starts its
    children, so that they share the model's memory instead of each loading a copy on its first
    job. `gc.freeze()` moves everything loaded so far out of the collector's reach: otherwise
    each child's first collection writes to those objects and copies their pages.

    Measured by `make bench` (benchmarks/bench_workers.py). WORKER_PRELOAD_MODEL=false turns
    it off (for a worker that never ingests).
    """
    from django.conf import settings

    if not settings.WORKER_PRELOAD_MODEL:
        return
    from claims.extraction import load_nlp

    load_nlp()
    gc.freeze()


@worker_ready.connect
def record_worker_heartbeat(**kwargs) -> None:
    """A worker that has just started counts as alive before beat's first heartbeat job."""
    from claims.services import operations

    try:
        operations.heartbeat_record(operations.WORKER)
    except Exception:  # the database may still be starting; the heartbeat job will follow
        import logging

        logging.getLogger(__name__).exception("could not record the worker heartbeat")
    finally:
        from django.db import connection

        connection.close()  # the main process runs no jobs: keep no connection open for it
