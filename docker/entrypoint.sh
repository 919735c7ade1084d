#!/bin/sh
# Container entry point: `web` (migrate, then gunicorn), `worker`, `beat`, or any command.
set -eu

# Prometheus counters of this container's earlier run (files named host-pid) start again.
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
  mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
  rm -f "$PROMETHEUS_MULTIPROC_DIR"/*_"$(hostname)"-*.db
fi

case "${1:-web}" in
  web)
    # Quietly: its progress is plain text, and production logs are JSON lines. /healthz/ready
    # names any migration left; `manage.py showmigrations` lists them.
    python manage.py migrate --noinput -v 0
    exec gunicorn factcheck.wsgi:application --config docker/gunicorn.conf.py
    ;;
  worker)
    exec celery -A factcheck --quiet worker --loglevel="${LOG_LEVEL:-INFO}" \
      --concurrency="${CELERY_CONCURRENCY:-2}" --hostname="${CELERY_HOSTNAME:-worker@%h}"
    ;;
  beat)
    # Runs what CELERY_BEAT_SCHEDULE in factcheck/settings.py holds; the scheduler adds the
    # heartbeat that /healthz/ready reads.
    exec celery -A factcheck --quiet beat --loglevel="${LOG_LEVEL:-INFO}" \
      --scheduler=factcheck.beat:Scheduler \
      --schedule="${BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}"
    ;;
  *)
    exec "$@"
    ;;
esac
