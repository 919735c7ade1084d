#!/bin/sh
# Container entry point: `web` (migrate, then gunicorn), `worker`, `beat`, or any command.
set -eu

case "${1:-web}" in
  web)
    python manage.py migrate --noinput
    exec gunicorn factcheck.wsgi:application --config docker/gunicorn.conf.py
    ;;
  worker)
    exec celery -A factcheck worker --loglevel="${LOG_LEVEL:-INFO}" \
      --concurrency="${CELERY_CONCURRENCY:-2}" --hostname="${CELERY_HOSTNAME:-worker@%h}"
    ;;
  beat)
    # Runs what CELERY_BEAT_SCHEDULE in factcheck/settings.py holds; the scheduler adds the
    # heartbeat that /healthz/ready reads.
    exec celery -A factcheck beat --loglevel="${LOG_LEVEL:-INFO}" \
      --scheduler=factcheck.beat:Scheduler \
      --schedule="${BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}"
    ;;
  *)
    exec "$@"
    ;;
esac
