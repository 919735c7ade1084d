"""Settings refuse to start in production without the values production needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # Start from the environment without anything a test or CI may have set for itself.
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start():
    result = _run({"DEBUG": "false", "ALLOWED_HOSTS": "factcheck.example"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = _run({"DEBUG": "false", "SECRET_KEY": "x" * 60}, "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_bad_boolean_is_named():
    result = _run({"DEBUG": "maybe"}, "check")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = _run(
        {
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-secret-key-for-the-deploy-check-" + "q8Zr" * 10,
            "ALLOWED_HOSTS": "factcheck.example",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_cache_url_picks_redis_and_a_bad_one_is_named():
    shown = _run(
        {"CACHE_URL": "redis://127.0.0.1:6379/5"},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
    )
    assert shown.returncode == 0, shown.stderr
    assert "RedisCache" in shown.stdout
    bad = _run({"CACHE_URL": "memcached://somewhere"}, "check")
    assert bad.returncode != 0
    assert "CACHE_URL must be a redis:// address" in bad.stderr
