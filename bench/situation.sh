#!/usr/bin/env bash
# Situation Room benchmarks, one after the other:
#   1. bench/situation_analyze.py       analysis pipeline throughput on one core (1,000 news items)
#   2. bench/situation_room_queries.py  dashboard queries on PostgreSQL with 1,000,000 items
#
#   bash bench/situation.sh [--strict]
#
# --strict is passed to both (exit 1 when a target is missed). Other options: run the two
# scripts directly (see bench/README.md). Both run even if the first misses its target; the
# exit code is the worst of the two (2 = could not run, 1 = target missed with --strict).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="$root/.venv/bin/python"
args=()
for a in "$@"; do
  case "$a" in
    --strict) args+=("$a") ;;
    *) echo "usage: bash bench/situation.sh [--strict]" >&2; exit 2 ;;
  esac
done

"$py" "$root/bench/situation_analyze.py" "${args[@]}"
analyze=$?
[ "$analyze" -eq 130 ] && exit 130
echo
"$py" "$root/bench/situation_room_queries.py" "${args[@]}"
room=$?
[ "$room" -eq 130 ] && exit 130

echo
echo "situation_analyze: exit $analyze; situation_room_queries: exit $room"
worst=$(( analyze > room ? analyze : room ))
exit "$worst"
