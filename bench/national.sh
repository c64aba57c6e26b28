#!/usr/bin/env bash
# Officer queues, tracking, leader dashboards and the Situation Room at national scale.
#
#   bash bench/national.sh [--applications N] [--seed S] [--label L] [--reps R] [--strict]
#
# Creates (or reuses) the PostgreSQL database satupintu_national on 127.0.0.1:5432 (trust
# auth, user postgres), migrates it, loads `satupintu demo --scale national` once (a second
# run sees the data and skips it), refreshes the pre-aggregated tables as the scheduler does,
# then runs bench/national_queries.py. Results: bench/results/national-<date>[-L].txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="$root/.venv/bin/python"
db=satupintu_national
applications=1000000
seed=2026
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --applications) applications="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --label|--reps|--only) args+=("$1" "$2"); shift 2 ;;
    --strict) args+=("$1"); shift ;;
    *) echo "usage: bash bench/national.sh [--applications N] [--seed S] [--label L] [--reps R] [--strict]" >&2; exit 2 ;;
  esac
done
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
data_dir="$(mktemp -d /tmp/satupintu-national-XXXXXX)"
trap 'rm -rf "$data_dir"' EXIT
export SATUPINTU_DATA_DIR="$data_dir"   # uploads of the small demo and the file cache: thrown away
unset CACHE_URL

"$py" - "$db" <<'PY'
import sys
sys.path.insert(0, "bench")
from common import admin_connect
db = sys.argv[1]
with admin_connect() as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,)).fetchone():
        conn.execute(f'CREATE DATABASE "{db}"')
        print(f"[national] created database {db}", file=sys.stderr)
    else:
        print(f"[national] reusing database {db}", file=sys.stderr)
PY
start=$(date +%s)
"$root/.venv/bin/satupintu" demo --scale national --applications "$applications" --seed "$seed"
echo "[national] demo step: $(( $(date +%s) - start )) s" >&2
"$root/.venv/bin/satupintu" manage shell -c "from satupintu.feedback.tallies import refresh_tallies; print(refresh_tallies())"
exec "$py" "$root/bench/national_queries.py" "${args[@]}"
