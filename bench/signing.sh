#!/usr/bin/env bash
# Issued documents per second on one core: render, + PDF/A, + PAdES signature, and the
# verification check, each as docs/s and as a ratio to plain rendering in the same run.
#   bash bench/signing.sh [--rounds 3] [--duration 2] [--quick] [--output PATH]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$root/.venv/bin/python" "$root/bench/signing.py" "$@"
