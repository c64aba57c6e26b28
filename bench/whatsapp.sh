#!/usr/bin/env bash
# Benchmark the WhatsApp webhook's acknowledgement (POST /webhooks/whatsapp) on one core against
# a bare Django view in the same run. All options are passed through; see bench/README.md.
#   bash bench/whatsapp.sh [--rounds 3] [--duration 5] [--db postgres|sqlite] [--quick] [--strict]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# whatsapp_webhook.py stops its server and empties the broker in a `finally` (also on Ctrl+C,
# SIGTERM, SIGHUP), so there is nothing for this wrapper to trap.
exec "$root/.venv/bin/python" "$root/bench/whatsapp_webhook.py" "$@"
