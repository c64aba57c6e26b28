#!/usr/bin/env bash
# Fault drills: each starts its own PostgreSQL cluster, Redis, fake SMTP server, gunicorn and
# Celery processes on loopback ports 19000-19999, breaks them (kill -9 a worker, stop Redis,
# restart PostgreSQL under load, fill the disk) and checks nothing is lost, doubled or half saved.
# Never touches the shared PostgreSQL (5432) or Redis (6379).
#
#   bash bench/drills.sh                  # the CI size (about 2-3 minutes)
#   DRILL_SIZE=3 bash bench/drills.sh     # longer PostgreSQL load with more threads
#   DRILL_SHOW_LOGS=1 bash bench/drills.sh -k redis   # print the processes' logs at the end
#
# Needs root (or the postgres user) for initdb, redis-server, and mount for the full-disk tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export DRILL_SIZE="${DRILL_SIZE:-1}"
exec .venv/bin/python -m pytest -m drill tests/faults -v -s -p no:cacheprovider "$@"
