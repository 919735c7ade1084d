"""Celery workers load the extraction model once, in the main process, before forking."""

from __future__ import annotations

import gc

import pytest

from claims.extraction import load_nlp
from factcheck.celery import load_extraction_model_before_forking


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


def test_the_worker_loads_the_model_before_its_pool_forks(settings, unfrozen):
    settings.WORKER_PRELOAD_MODEL = True
    gc.unfreeze()
    load_extraction_model_before_forking()
    assert load_nlp.cache_info().currsize == 1
    # Frozen: the children's collections leave the loaded objects' pages shared.
    assert gc.get_freeze_count() > 0


def test_preloading_can_be_turned_off(settings, unfrozen):
    settings.WORKER_PRELOAD_MODEL = False
    gc.unfreeze()
    load_extraction_model_before_forking()
    assert gc.get_freeze_count() == 0


def test_the_hook_runs_when_a_worker_starts():
    from celery.signals import worker_init

    receivers = [ref() if callable(ref) else ref for _, ref in worker_init.receivers]
    assert load_extraction_model_before_forking in receivers
