#!/usr/bin/env bash
# Humas scorecards at national scale (issue #16): national month and year scorecards and the
# ranking page, p95 next to Office.objects.count() in the same run.
#
#   bash bench/humas.sh [--reps R]
#
# Uses its own PostgreSQL database satupintu_humas_bench on 127.0.0.1:5432 (trust auth, user
# postgres): created and migrated when missing (the 553 offices come from the migrations),
# then bench/humas.py fills the Humas tables at national scale once (demo_national.humas) and
# measures. `satupintu demo --scale national` fills the same tables in the full national demo.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-$root/.venv/bin/python}"
db=satupintu_humas_bench
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
data_dir="$(mktemp -d /tmp/satupintu-humas-bench-XXXXXX)"
trap 'rm -rf "$data_dir"' EXIT
export SATUPINTU_DATA_DIR="$data_dir"
unset CACHE_URL
cd "$root"
"$py" - "$db" <<'PY'
import sys
sys.path.insert(0, "bench")
from common import admin_connect
db = sys.argv[1]
with admin_connect() as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,)).fetchone():
        conn.execute(f'CREATE DATABASE "{db}"')
        print(f"[humas] created database {db}", file=sys.stderr)
PY
"$py" -m satupintu.cli manage migrate --noinput --verbosity 0
exec "$py" bench/humas.py "$@"
