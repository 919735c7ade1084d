"""Production logs: one JSON object per line, a request id on every request's lines, the task id
on every job's lines, and no secrets, cookies, tokens or article text."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
from django.test import Client

from claims.models import SourceFeed
from claims.services.articles import article_submit_text
from factcheck.logs import logging_config
from tests import factories

SECRET = "known-secret-key-for-the-log-test-" + "Zq7x" * 8
ARTICLE_SENTENCE = "The harbour authority counted 48,213 shipping containers in March"


@pytest.fixture
def json_log(settings):
    """Production logging (JSON lines) written to a buffer for the test to read."""
    settings.SECRET_KEY = SECRET
    logging.config.dictConfig(logging_config(json_lines=True, level="INFO"))
    stream = io.StringIO()
    (handler,) = logging.getLogger().handlers
    handler.setStream(stream)
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def _lines(stream: io.StringIO) -> list[dict]:
    text = stream.getvalue()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_its_id(json_log, reviewer_client):
    response = reviewer_client.get("/review/")
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    (line,) = [entry for entry in _lines(json_log) if entry["logger"] == "factcheck.request"]
    assert line["request_id"] == request_id
    assert line["method"] == "GET"
    assert line["path"] == "/review/"
    assert line["view"] == "review:queue"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO"
    assert "time" in line


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_and_a_bad_one_replaced(json_log, client):
    given = client.get("/", HTTP_X_REQUEST_ID="proxy-abc-12345678")
    assert given["X-Request-ID"] == "proxy-abc-12345678"
    forged = client.get("/", HTTP_X_REQUEST_ID="bad id\nwith a newline")
    assert forged["X-Request-ID"] != "bad id\nwith a newline"
    assert len(forged["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_every_line_a_request_causes_carries_its_id(json_log, client):
    response = client.get("/no-such-page-here/")
    assert response.status_code == 404
    lines = _lines(json_log)
    # Django's own "Not Found" warning and the request line, both tagged.
    assert {entry["logger"] for entry in lines} >= {"django.request", "factcheck.request"}
    assert {entry["request_id"] for entry in lines} == {response["X-Request-ID"]}
    assert all("request" not in entry for entry in lines)  # the request object (its headers)


@pytest.mark.django_db
def test_job_lines_carry_the_task_id(json_log, allow_private):
    from claims.tasks import poll_feed

    feed = SourceFeed.objects.create(
        source=factories.SourceFactory(), url="http://127.0.0.1:1/feed.xml"
    )
    result = poll_feed.delay(feed.pk)
    feed.refresh_from_db()
    assert feed.last_error  # the poll failed (nothing listens there) and logged why
    failed = [entry for entry in _lines(json_log) if "failed" in entry["message"]]
    assert failed
    assert {entry["task_id"] for entry in failed} == {result.id}
    assert {entry["task_name"] for entry in failed} == {"claims.poll_feed"}


@pytest.mark.django_db
def test_no_secret_cookie_token_or_article_text_in_the_logs(json_log, reviewer_user, settings):
    client = Client()
    client.force_login(reviewer_user)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.get("/review/")  # sets the CSRF cookie
    client.get("/no-such-page/")
    # An article pasted through the app, its job run inline.
    article = article_submit_text(
        text=f"{ARTICLE_SENTENCE}, officials said.\n\nThe mayor said the port would grow.",
        by=reviewer_user,
    )
    client.get(f"/review/articles/{article.pk}/")
    # What careless code or a library might log: the secret itself, a database URL with its
    # password, a cookie header, a bearer token.
    logger = logging.getLogger("factcheck.test")
    logger.warning("settings: SECRET_KEY=%s", SECRET)
    logger.error("could not connect to postgres://factcheck:hunter2-pw@db:5432/factcheck")
    logger.info("headers: Cookie: sessionid=%s; csrftoken=abc123def", session_cookie)
    logger.info("calling the API with Authorization: Bearer tok_9f8e7d6c5b4a")
    try:
        raise RuntimeError(f"broke while using {SECRET}")
    except RuntimeError:
        logger.exception("a job failed")

    text = json_log.getvalue()
    assert text.strip()
    for line in text.splitlines():
        json.loads(line)  # every line is one JSON object
    assert SECRET not in text
    assert session_cookie not in text
    assert "hunter2-pw" not in text
    assert "abc123def" not in text
    assert "tok_9f8e7d6c5b4a" not in text
    assert ARTICLE_SENTENCE not in text
    assert "48,213" not in text
    assert "[redacted]" in text


def test_text_lines_in_development_carry_the_ids_too(settings):
    logging.config.dictConfig(logging_config(json_lines=False, level="INFO"))
    stream = io.StringIO()
    (handler,) = logging.getLogger().handlers
    handler.setStream(stream)
    try:
        from factcheck.logs import request_id_var

        token = request_id_var.set("req-1234567890")
        logging.getLogger("factcheck.test").info("hello")
        request_id_var.reset(token)
    finally:
        logging.config.dictConfig(settings.LOGGING)
    assert stream.getvalue().rstrip().endswith("hello request_id=req-1234567890")


def test_production_settings_log_json_and_development_text():
    import subprocess
    import sys

    from tests.test_settings import ROOT

    def formatter(**env):
        import os

        full = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DEBUG", "LOG_FORMAT", "SECRET_KEY", "ALLOWED_HOSTS"}
        }
        full.update(env)
        return subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from django.conf import settings; "
                "print(settings.LOGGING['handlers']['console']['formatter'])",
            ],
            cwd=ROOT,
            env={**full, "DJANGO_SETTINGS_MODULE": "factcheck.settings"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    production = {"DEBUG": "false", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "x.example"}
    assert formatter(**production) == "json"
    assert formatter(DEBUG="true") == "text"
    assert formatter(DEBUG="true", LOG_FORMAT="json") == "json"
