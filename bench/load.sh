#!/usr/bin/env bash
# Load test of the production setup on loopback: PostgreSQL + Redis, gunicorn, two Celery
# workers and the scheduler, a load fixture, a bare baseline and a locust mix. See
# bench/README.md ("Load test").
#   bash bench/load.sh                         # 5 minutes at USERS users
#   DURATION=30s bash bench/load.sh            # a quick run
#   USERS=120 RATE=20 DURATION=1m bash bench/load.sh
# Exit codes: 0 = no failures, outbox drained, no 5xx; 1 = a check failed; 2 = could not run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv/bin"

USERS="${USERS:-80}"                  # concurrent simulated people (citizens and officers)
RATE="${RATE:-15}"                     # users started per second
DURATION="${DURATION:-5m}"             # the measured mix (locust --run-time)
# When the run time is up, each person finishes the task (or LOAD_TOUR's tour) under way, for at
# most this many seconds (locust --stop-timeout): the short test run waits for every tour.
STOP_TIMEOUT="${STOP_TIMEOUT:-30}"
BASELINE="${BASELINE:-30s}"            # bare /health/live run before the mix; 0 = none
# LOAD_WEIGHTS="Browser=38,Tracker=28,ApiApplicant=8,WebApplicant=6,Officer=10" (the defaults) changes the mix
WEB_WORKERS="${WEB_WORKERS:-3}"        # gunicorn processes
WEB_THREADS="${WEB_THREADS:-4}"        # threads per process
APPLICATIONS="${APPLICATIONS:-3000}"   # existing applications in the fixture
OFFICES="${OFFICES:-6}"                # busy offices with their own officer accounts
PORT="${PORT:-18000}"                  # loopback port of the server (18000-18099)
LOAD_BACKEND="${LOAD_BACKEND:-postgres}"   # postgres (production setup) | sqlite (embedded, for the test)
LOAD_DB="${LOAD_DB:-satupintu_load}"
RESULTS="${RESULTS:-$root/bench/results}"
OUTBOX_WAIT="${OUTBOX_WAIT:-180}"      # seconds to wait for the outbox to drain after the run
KEEP_TMP="${KEEP_TMP:-0}"

case "$PORT" in 180[0-9][0-9]) ;; *) echo "[load] PORT must be in 18000-18099" >&2; exit 2 ;; esac
stamp="$(date -u +%Y%m%d-%H%M)"
tmp="$(mktemp -d -t satupintu-load.XXXXXX)"
logs="$tmp/logs"
mkdir -p "$logs" "$RESULTS"
pgids=()

say() { echo "[load] $*" >&2; }

cleanup() {
  local code=$?
  trap - EXIT INT TERM HUP
  for pg in "${pgids[@]}"; do kill -TERM -- "-$pg" 2>/dev/null || true; done
  for _ in $(seq 1 60); do
    local alive=0
    for pg in "${pgids[@]}"; do kill -0 -- "-$pg" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pg in "${pgids[@]}"; do kill -KILL -- "-$pg" 2>/dev/null || true; done
  if [ "$KEEP_TMP" = 1 ]; then say "kept $tmp"; else rm -rf "$tmp"; fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# --- environment of every process: the production setup, on its own database and Redis DBs ---
export SATUPINTU_DATA_DIR="$tmp/data"
export SITE_URL="http://127.0.0.1:$PORT"
export DJANGO_SETTINGS_MODULE=satupintu.settings
export LOG_LEVEL="${LOG_LEVEL:-INFO}"
# locust plays the TLS proxy: its citizens send X-Forwarded-For (rate limits are per citizen).
export TRUSTED_PROXIES="127.0.0.1/32"
unset DEBUG EMAIL_HOST UPLOAD_STORAGE S3_BUCKET 2>/dev/null || true
# The demo setting: officers sign in with the password only (no TOTP step), as in `satupintu demo`.
export STAFF_2FA_REQUIRED="${STAFF_2FA_REQUIRED:-0}"
if [ "$LOAD_BACKEND" = postgres ]; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$LOAD_DB"
  export CELERY_BROKER_URL="redis://127.0.0.1:6379/12"
  export CACHE_URL="redis://127.0.0.1:6379/13"
  command -v psql >/dev/null && command -v redis-cli >/dev/null || { say "psql and redis-cli are needed"; exit 2; }
  psql -h 127.0.0.1 -U postgres -d postgres -qtAc "select 1" >/dev/null 2>&1 \
    || { say "PostgreSQL is not reachable at 127.0.0.1:5432 (user postgres, trust)"; exit 2; }
  [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ] || { say "Redis is not reachable at 127.0.0.1:6379"; exit 2; }
  say "fresh database $LOAD_DB, Redis DBs 12 (broker) and 13 (cache)"
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $LOAD_DB WITH (FORCE)" >/dev/null
  psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $LOAD_DB" >/dev/null
  redis-cli -n 12 flushdb >/dev/null
  redis-cli -n 13 flushdb >/dev/null
elif [ "$LOAD_BACKEND" = sqlite ]; then
  unset DATABASE_URL CELERY_BROKER_URL CACHE_URL 2>/dev/null || true
else
  say "LOAD_BACKEND must be postgres or sqlite"; exit 2
fi
cd "$tmp"   # the file-system broker (sqlite mode) puts a control/ folder in the working directory

t0=$(date +%s)
"$venv/satupintu" manage migrate --noinput --verbosity 0 > "$logs/setup.log" 2>&1 || { cat "$logs/setup.log" >&2; exit 2; }
"$venv/satupintu" demo >> "$logs/setup.log" 2>&1 || { cat "$logs/setup.log" >&2; exit 2; }
fixture="$tmp/load_fixture.json"
"$venv/python" "$root/bench/load_fixture.py" create --out "$fixture" --applications "$APPLICATIONS" --offices "$OFFICES" \
  2>> "$logs/setup.log" || { cat "$logs/setup.log" >&2; exit 2; }
grep '^\[load\]' "$logs/setup.log" >&2 || true
"$venv/satupintu" manage collectstatic --noinput --verbosity 0 >> "$logs/setup.log" 2>&1
say "setup done in $(( $(date +%s) - t0 )) s"

start() {  # start NAME CMD...: in its own process group (setsid), logs to $logs/NAME.log
  local name=$1; shift
  setsid "$@" > "$logs/$name.out" 2> "$logs/$name.log" < /dev/null &
  pgids+=("$!")
  eval "pg_$name=$!"
}
start web "$venv/satupintu" serve --bind "127.0.0.1:$PORT" --workers "$WEB_WORKERS" --threads "$WEB_THREADS" --access-log
start notifications "$venv/satupintu" worker --queues notifications
start worker "$venv/satupintu" worker --queues default,ingestion,analysis
start scheduler "$venv/satupintu" scheduler

ready=0
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health/ready" 2>/dev/null; then ready=1; break; fi
  kill -0 "$pg_web" 2>/dev/null || break
  sleep 0.5
done
if [ "$ready" != 1 ]; then
  say "server did not become ready"; tail -n 30 "$logs/web.log" >&2; exit 2
fi
# The access log is the web process's stdout.
ln -sf "$logs/web.out" "$logs/access.log"
say "ready: $WEB_WORKERS workers x $WEB_THREADS threads on 127.0.0.1:$PORT ($LOAD_BACKEND), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

export LOAD_FIXTURE="$fixture"
prefix="$RESULTS/load-$stamp"
cpu() { "$venv/python" "$root/bench/load_fixture.py" cpu --pg-database "$LOAD_DB" --group "web=$pg_web" \
  --group "notifications=$pg_notifications" --group "worker=$pg_worker" --group "scheduler=$pg_scheduler" \
  ${pg_locust:+--group "locust=$pg_locust"} > "$1"; }
run_locust() {  # run_locust CSV_PREFIX RUN_TIME CLASSES...
  local csv=$1 time=$2; shift 2
  setsid "$venv/locust" -f "$root/bench/locustfile.py" --headless -u "$USERS" -r "$RATE" --run-time "$time" \
    --stop-timeout "$STOP_TIMEOUT" --host "http://127.0.0.1:$PORT" --csv "$csv" --only-summary --loglevel WARNING \
    --exit-code-on-error 0 "$@" >> "$logs/locust.out" 2>> "$logs/locust.log" < /dev/null &
  pg_locust=$!
  pgids+=("$pg_locust")
}

seconds() { "$venv/python" -c 'import re, sys
print(sum(int(n) * {"h": 3600, "m": 60, "s": 1, "": 1}[u] for n, u in re.findall(r"(\d+)([hms]?)", sys.argv[1])))' "$1"; }
measure_cpu() {  # measure_cpu RUN_TIME PREFIX: CPU snapshots after the ramp-up and just before the end
  local total ramp
  total=$(seconds "$1"); ramp=$(( USERS / RATE + 2 ))
  [ $(( total - ramp - 2 )) -ge 3 ] || ramp=1
  sleep "$ramp"; cpu "$2-0.json"
  sleep $(( total > ramp + 2 ? total - ramp - 2 : 1 )); cpu "$2-1.json"
  wait "$pg_locust" || { say "locust failed:"; tail -n 20 "$logs/locust.log" >&2; exit 2; }
}

bare_args=()
if [ "$BASELINE" != 0 ]; then
  say "bare baseline: GET /health/live, $USERS users, no think time, $BASELINE"
  run_locust "$prefix-bare" "$BASELINE" BareUser
  measure_cpu "$BASELINE" "$tmp/cpu-bare"
  bare_args=(--bare-prefix "$prefix-bare" --bare-cpu-before "$tmp/cpu-bare-0.json" --bare-cpu-after "$tmp/cpu-bare-1.json")
  sleep 2
fi

say "mix: $USERS users (+$RATE/s), $DURATION"
since="$(date -u +%Y-%m-%dT%H:%M:%S+00:00)"
# shellcheck disable=SC2086
run_locust "$prefix" "$DURATION" ${LOAD_CLASSES:-Browser Tracker ApiApplicant WebApplicant Officer}
( while kill -0 "$pg_locust" 2>/dev/null; do cat /proc/loadavg >> "$tmp/loadavg.txt"; sleep 10; done ) &
measure_cpu "$DURATION" "$tmp/cpu-mix"
cat "$logs/locust.out" >&2 || true

say "waiting for the outbox to drain (up to $OUTBOX_WAIT s), checking mail files and logs"
set +e
"$venv/python" "$root/bench/load_fixture.py" check --since "$since" --wait "$OUTBOX_WAIT" --logs "$logs" \
  --out "$tmp/check.json" > /dev/null 2>> "$logs/check.log"
"$venv/python" "$root/bench/load_fixture.py" summary --prefix "$prefix" "${bare_args[@]}" --check "$tmp/check.json" \
  --cpu-before "$tmp/cpu-mix-0.json" --cpu-after "$tmp/cpu-mix-1.json" --loadavg "$tmp/loadavg.txt" \
  --duration "$DURATION" --out "$prefix.txt" \
  --setup "$LOAD_BACKEND, gunicorn $WEB_WORKERS workers x $WEB_THREADS threads, workers notifications + default/ingestion/analysis, scheduler; $USERS users (+$RATE/s), $DURATION mix, $BASELINE bare; fixture $APPLICATIONS applications in $OFFICES offices; $(nproc) CPUs; locust $("$venv/locust" --version 2>/dev/null | awk '{print $2}')"
verdict=$?
set -e
if [ -s "$logs/locust.log" ]; then say "locust log (tail):"; tail -n 20 "$logs/locust.log" >&2; fi
say "results: $prefix.txt (and ${prefix}_*.csv)"
exit "$verdict"
