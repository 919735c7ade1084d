"""Logging: one JSON object per line in production, each tagged with its request or task id.

A request id comes from the `X-Request-ID` header the proxy set (when it looks like one) or is
made here, and goes back in the response's `X-Request-ID`; a Celery task's id tags every line
its job logs. Both travel in context variables that a logging filter copies onto each record,
so library code that knows nothing of them is tagged too.

What must never reach a log: the secret key, passwords, API keys, session and CSRF cookies,
and article text. The redacting filter replaces any configured secret's value wherever it
appears, drops request objects (their headers carry cookies), and the request line logged
here is method, path, status and time: no query string, no headers, no body.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # settings import this module: keep Django's request machinery out of it
    from django.http import HttpRequest, HttpResponse

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
task_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_id", default=None)
task_name_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "task_name", default=None
)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,100}$")
REDACTED = "[redacted]"
# Settings whose values are secrets wherever they turn up (an exception message, a URL).
SECRET_SETTINGS = (
    "SECRET_KEY",
    "FACTCHECK_TOOLS_API_KEY",
    "SEARCH_JSON_HEADER",
    "EMAIL_HOST_PASSWORD",
    "METRICS_TOKEN",
)
# name=value pairs that are credentials whatever their value: cookies, tokens, passwords.
_CREDENTIAL_PAIR = re.compile(
    r"(?i)\b(sessionid|csrftoken|csrfmiddlewaretoken|password|passwd|token|api_?key|key|"
    r"authorization|cookie)(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&'\"]+)"
)
# An Authorization header's scheme and credentials.
_AUTH_SCHEME = re.compile(r"(?i)\b(bearer|basic|token|digest)\s+[A-Za-z0-9._~+/=-]{6,}")
# user:password@ in any URL (database, broker).
_URL_PASSWORD = re.compile(r"(?i)([a-z][a-z0-9+.-]*://[^:/@\s]*:)([^@\s]+)(@)")
# Record attributes that are never serialised: the request carries its headers and cookies.
_DROPPED_ATTRIBUTES = ("request",)


class ContextFilter(logging.Filter):
    """Copy the current request id, task id and task name onto every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Celery's own lines about a job (received, succeeded, retried, failed) carry its id and
        # name in `data`, with its arguments and return value: keep the id and name only.
        data = record.__dict__.pop("data", None)
        if isinstance(data, dict) and data.get("id"):
            record.task_id = data["id"]
            record.task_name = data.get("name")
        request_id = request_id_var.get()
        if request_id and not getattr(record, "request_id", None):
            record.request_id = request_id
        task_id = task_id_var.get()
        if task_id and not getattr(record, "task_id", None):
            record.task_id = task_id
            record.task_name = task_name_var.get()
        return True


class RedactFilter(logging.Filter):
    """Take secrets out of the message and its arguments before any handler formats them."""

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        self._secrets: list[str] | None = None

    def secrets(self) -> list[str]:
        if self._secrets is None:
            from django.conf import settings

            values = []
            for name in SECRET_SETTINGS:
                value = str(getattr(settings, name, "") or "")
                if ":" in value and name == "SEARCH_JSON_HEADER":
                    value = value.split(":", 1)[1].strip()
                if len(value) >= 6:
                    values.append(value)
            for db in settings.DATABASES.values():
                if db.get("PASSWORD") and len(str(db["PASSWORD"])) >= 4:
                    values.append(str(db["PASSWORD"]))
            self._secrets = sorted(set(values), key=len, reverse=True)
        return self._secrets

    def redact(self, text: str) -> str:
        for secret in self.secrets():
            if secret in text:
                text = text.replace(secret, REDACTED)
        text = _URL_PASSWORD.sub(lambda m: m.group(1) + REDACTED + m.group(3), text)
        text = _AUTH_SCHEME.sub(lambda m: m.group(1) + " " + REDACTED, text)
        return _CREDENTIAL_PAIR.sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is
            message = str(record.msg)
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            # Format the traceback now, redacted, so the formatter does not add the raw one.
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        for name in _DROPPED_ATTRIBUTES:
            if name in record.__dict__:
                request = record.__dict__.pop(name)
                path = getattr(request, "path", None)
                if path and not getattr(record, "path", None):
                    record.path = path
        return True


class RequestLogMiddleware:
    """Give each request an id (kept for its log lines and sent back in `X-Request-ID`), and
    log one line when it ends: method, path, view, status and time in milliseconds."""

    logger = logging.getLogger("factcheck.request")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        # Kept until the response is closed (`request_finished`, below): Django logs a 4xx or
        # 5xx after the middleware has returned, and a streamed export logs while it streams.
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        duration = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        self.logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "view": match.view_name if match else None,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 1),
                "user_id": _user_id(request),
            },
        )
        return response


def _user_id(request: HttpRequest) -> object:
    """The signed-in person's id, without loading them when the request did not: a page served
    from the review cache (claims/review_cache.py) says whom it was rendered for."""
    from django.utils.functional import SimpleLazyObject, empty

    served_for = getattr(request, "user_id_served_from_cache", None)
    if served_for is not None:
        return served_for
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None  # nobody asked who it was: not worth a query
    return getattr(user, "pk", None)


def request_done(**kwargs: Any) -> None:
    """`request_finished`: lines logged between requests belong to none."""
    request_id_var.set(None)


def task_started(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    """Celery `task_prerun`: tag this job's log lines with its id and name."""
    task_id_var.set(task_id)
    task_name_var.set(getattr(task, "name", None))


def task_finished(**kwargs: Any) -> None:
    """Celery `task_postrun`: the worker process goes on to other work untagged."""
    task_id_var.set(None)
    task_name_var.set(None)


def logging_config(*, json_lines: bool, level: str) -> dict[str, Any]:
    """The LOGGING dict: JSON lines or plain text on standard error, filtered the same way."""
    formatters: dict[str, Any] = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s%(context)s",
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": "factcheck.logs.ContextFilter"},
            "redact": {"()": "factcheck.logs.RedactFilter"},
            "text_context": {"()": "factcheck.logs.TextContextFilter"},
        },
        "formatters": formatters,
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_lines else "text",
                "filters": ["context", "redact"] + ([] if json_lines else ["text_context"]),
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # One line per request comes from RequestLogMiddleware; django.server repeats it.
            "django.server": {"level": "WARNING"},
        },
    }


class TextContextFilter(logging.Filter):
    """For plain text lines: append the request or task id the JSON lines carry as fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        parts = []
        if getattr(record, "request_id", None):
            parts.append(f"request_id={record.request_id}")
        if getattr(record, "task_id", None):
            parts.append(f"task_id={record.task_id}")
        record.context = (" " + " ".join(parts)) if parts else ""
        return True


def _connect_signals() -> None:
    from django.core.signals import request_finished

    request_finished.connect(request_done, dispatch_uid="factcheck_logs_request_done")


_connect_signals()
