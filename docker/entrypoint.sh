#!/bin/sh
# Container entry point: `web` (migrate, then gunicorn), `worker`, `beat`, or any command.
set -eu

case "${1:-web}" in
  web)
    python manage.py migrate --noinput
    exec gunicorn factcheck.wsgi:application \
      --bind "0.0.0.0:${PORT:-8000}" \
      --workers "${GUNICORN_WORKERS:-3}" \
      --timeout "${GUNICORN_TIMEOUT:-30}" \
      --access-logfile -
    ;;
  worker)
    exec celery -A factcheck worker --loglevel="${LOG_LEVEL:-INFO}" \
      --concurrency="${CELERY_CONCURRENCY:-2}"
    ;;
  beat)
    exec celery -A factcheck beat --loglevel="${LOG_LEVEL:-INFO}" \
      --schedule=/tmp/celerybeat-schedule
    ;;
  *)
    exec "$@"
    ;;
esac
