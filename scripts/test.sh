#!/usr/bin/env bash
# Install what the tests need (venv, test extras, Debian's Chromium and SoftHSM2)
# and run the whole suite. DATABASE_URL=postgres://... runs it on PostgreSQL instead of SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# One install at a time: .ci/run starts the SQLite and PostgreSQL passes side by side.
flock .venv/.install-lock .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

# The browser tests drive Debian's Chromium through Playwright (never a downloaded browser); the
# signing tests with a hardware token use SoftHSM2, a software token, and the WhatsApp webhook
# benchmark's quick round uses wrk (else they would be skipped).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/lib/softhsm/libsofthsm2.so ] || missing+=(softhsm2)
[ -x /usr/bin/wrk ] || missing+=(wrk)
if [ "${#missing[@]}" -gt 0 ]; then
  exec 9>/tmp/satupintu-chromium-install.lock && flock 9  # one apt-get at a time
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -e /usr/lib/softhsm/libsofthsm2.so ] || missing+=(softhsm2)
  [ -x /usr/bin/wrk ] || missing+=(wrk)
  if [ "${#missing[@]}" -eq 0 ]; then
    :  # the other pass installed them while we waited
  elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's ${missing[*]} for the tests..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The tests need Debian's ${missing[*]}: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here." >&2
  exit 1
fi
exit "$status"
