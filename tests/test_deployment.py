"""What can be tested of docker/ without a Docker engine: the compose file agrees with the
settings, and the entry point's `web` command really serves the app with production settings."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"


def _settings_variables() -> set[str]:
    source = (ROOT / "factcheck" / "settings.py").read_text()
    return set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', source))


def _compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


_ENV_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def _env_example_variables() -> set[str]:
    """Every NAME= in env.example, set or commented out with its default."""
    return set(_ENV_LINE.findall((DOCKER / "env.example").read_text()))


def _deployment_variables() -> set[str]:
    """What the entry point, gunicorn's config and compose read besides the app's settings."""
    names = set(re.findall(r"\$\{([A-Z0-9_]+)[:}]", (DOCKER / "entrypoint.sh").read_text()))
    names |= set(re.findall(r"\$\{([A-Z0-9_]+)[:}?-]", (DOCKER / "compose.yaml").read_text()))
    names |= set(
        re.findall(r"environ\.get\(\s*[\"']([A-Z0-9_]+)", (DOCKER / "gunicorn.conf.py").read_text())
    )
    return names


def test_compose_has_the_app_the_stores_and_optional_search():
    services = _compose()["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis", "searxng"}
    assert services["searxng"]["profiles"] == ["search"]
    assert all("profiles" not in s for name, s in services.items() if name != "searxng")


@pytest.mark.parametrize("name", ["web", "worker", "beat", "db", "redis", "searxng"])
def test_every_service_has_a_health_check_a_restart_policy_and_limits(name):
    service = _compose()["services"][name]
    assert service["healthcheck"]["test"]
    assert service["restart"] == "unless-stopped"
    limits = service["deploy"]["resources"]["limits"]
    assert float(limits["cpus"]) > 0
    assert re.fullmatch(r"\d+[mg]", limits["memory"])


def test_stores_persist_on_named_volumes():
    compose = _compose()
    services = compose["services"]
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "redisdata:/data" in services["redis"]["volumes"]
    assert {"pgdata", "redisdata"} <= set(compose["volumes"])
    command = services["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"


def test_worker_and_beat_wait_for_the_web_container_to_migrate():
    services = _compose()["services"]
    for name in ("worker", "beat"):
        assert services[name]["depends_on"]["web"] == {"condition": "service_healthy"}


def test_beat_runs_the_settings_schedule_with_the_heartbeat_scheduler():
    entrypoint = (DOCKER / "entrypoint.sh").read_text()
    beat = entrypoint[
        entrypoint.index("  beat)") : entrypoint.index(";;", entrypoint.index("  beat)"))
    ]
    assert "--scheduler=factcheck.beat:Scheduler" in beat
    # The schedule itself comes from CELERY_BEAT_SCHEDULE, not from the command line.
    from django.conf import settings

    from factcheck.celery import app

    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"claims.poll_due_feeds", "claims.check_evidence_links", "claims.heartbeat"} <= tasks


def test_env_example_lists_every_setting():
    assert _settings_variables() - _env_example_variables() == set()


def test_compose_and_env_example_only_set_variables_something_reads():
    compose = _compose()
    known = _settings_variables() | _deployment_variables()
    known |= {"POSTGRES_PASSWORD", "POSTGRES_DB", "POSTGRES_USER", "SEARXNG_BASE_URL"}
    used = set()
    for service in compose["services"].values():
        used |= set((service.get("environment") or {}).keys())
    used |= _env_example_variables()
    assert used - known == set()


def _gunicorn_config() -> dict:
    config: dict = {}
    source = (DOCKER / "gunicorn.conf.py").read_text()
    exec(compile(source, "gunicorn.conf.py", "exec"), config)  # noqa: S102
    return config


def test_gunicorn_config_sets_workers_timeouts_and_access_log(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("LOG_FORMAT", "text")
    config = _gunicorn_config()
    assert config["bind"] == "0.0.0.0:8123"
    assert config["workers"] == 3
    assert config["timeout"] == 30
    assert config["accesslog"] == "-"
    assert "%(D)s" in config["access_log_format"]
    assert "%(q)s" not in config["access_log_format"]  # query strings may carry tokens


def test_gunicorn_logs_json_in_production(monkeypatch):
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    config = _gunicorn_config()
    # The app's own request line (JSON, with its request id) replaces gunicorn's access line.
    assert config["accesslog"] is None
    formatter = config["logconfig_dict"]["formatters"]["json"]["()"]
    assert formatter == "pythonjsonlogger.json.JsonFormatter"


def test_compose_database_and_broker_point_at_its_own_services():
    app = _compose()["services"]["web"]["environment"]
    assert "@db:5432/" in app["DATABASE_URL"]
    assert app["CELERY_BROKER_URL"].startswith("redis://redis:6379")
    assert app["DEBUG"] == "false"


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = {name for name in _settings_variables() if f"`{name}`" not in readme}
    assert missing == set()


def test_entrypoint_commands_are_the_ones_the_compose_file_uses():
    entrypoint = (DOCKER / "entrypoint.sh").read_text()
    for service in ("web", "worker", "beat"):
        assert _compose()["services"][service]["command"] == [service]
        assert f"  {service})" in entrypoint


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(not os.access(DOCKER / "entrypoint.sh", os.X_OK), reason="not executable")
def test_entrypoint_web_migrates_and_serves_with_production_settings(tmp_path):
    port = _free_port()
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        },
        "DEBUG": "false",
        "SECRET_KEY": "deployment-test-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PORT": str(port),
        "GUNICORN_WORKERS": "1",
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}",
    }
    subprocess.run(
        ["python", "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    server = subprocess.Popen(
        ["docker/entrypoint.sh", "web"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stdout.read().decode()[-3000:]) from None
                time.sleep(0.3)
        assert health.json() == {"status": "ok"}
        home = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert home.status_code == 200
        assert home.headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in home.headers  # only sent over https
        css = re.search(r'href="(/static/css/app\.[0-9a-f]+\.css)"', home.text)
        assert css, "static files are not hashed by the manifest storage"
        assert httpx.get(f"http://127.0.0.1:{port}{css.group(1)}", timeout=5).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
