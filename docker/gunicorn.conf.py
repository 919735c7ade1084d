"""gunicorn's settings for the `web` command (`gunicorn -c docker/gunicorn.conf.py`).

Read from the environment like the app's own settings, so one image serves any size of host.
"""

from __future__ import annotations

import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Pages wait on the database, not the CPU: 2 per core plus one, capped so that a big host
# does not open more database connections than PostgreSQL allows.
workers = int(os.environ.get("GUNICORN_WORKERS") or min(2 * multiprocessing.cpu_count() + 1, 8))
# Extraction and fetching run in workers, never in a request: 30 s is generous for any page
# (the longest is a streamed export, which sends as it goes).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Behind a proxy that keeps connections open to us.
keepalive = 5
# Recycle each worker after about a thousand requests, so a slow leak never grows for days.
max_requests = 1000
max_requests_jitter = 100
# Uploads are capped by the app (UPLOAD_MAX_BYTES); these cap the request line and headers.
limit_request_line = 8190
# The proxy in front terminates TLS and sets X-Forwarded-*; trust it when it is another host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# JSON lines in production, as the app's settings decide (LOG_FORMAT, else by DEBUG).
_debug = os.environ.get("DEBUG", "true").strip().lower() in {"1", "true", "yes", "on"}
json_logs = os.environ.get("LOG_FORMAT", "text" if _debug else "json").strip().lower() == "json"

if json_logs:
    # The app logs each request itself, as JSON with its request id, view and time
    # (factcheck/logs.py); gunicorn's own access line would only repeat it as text.
    accesslog = None
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "loggers": {
            "gunicorn.error": {
                "handlers": ["console"],
                "level": loglevel.upper(),
                "propagate": False,
            }
        },
    }
else:
    accesslog = "-"
    # One line per request: who, what (no query string: it may carry tokens), status, size,
    # time in microseconds, the request id the app sent back.
    access_log_format = (
        '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(D)sus "%(a)s" request_id=%({x-request-id}o)s'
    )
