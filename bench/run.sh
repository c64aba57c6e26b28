#!/usr/bin/env bash
# Benchmark the catalog page and tracking API against a bare Django view on the
# production server setup. All options are passed through; see bench/README.md.
#   bash bench/run.sh [--rounds 3] [--duration 5] [--connections 16] [--db postgres|sqlite] [--strict]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# run_bench.py starts the server in its own process group and stops it in a `finally`
# (also on Ctrl+C / SIGTERM / SIGHUP), so there is nothing for this wrapper to trap.
exec "$root/.venv/bin/python" "$root/bench/run_bench.py" "$@"
