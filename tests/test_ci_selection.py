"""CI's PostgreSQL pass runs only the tests that touch a database (SATUPINTU_TEST_DATABASE_ONLY=1,
tests/conftest.py); everything else ran in the SQLite pass of the same CI. Without the variable, as
the README's test command runs, every test is collected (as in this run)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# test_storage.py holds both kinds; test_embedded_run.py's [redis] case runs its own process on the
# run's database (the ``database_url`` fixture), so it counts as touching one.
FILES = ["tests/core/test_storage.py", "tests/test_embedded_run.py"]


def _collected(**env: str) -> set[str]:
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                           "-m", "not drill and not once", *FILES], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})
    assert done.returncode == 0, done.stdout + done.stderr
    return {line for line in done.stdout.splitlines() if "::" in line}


def test_the_postgresql_pass_keeps_exactly_the_tests_that_touch_a_database():
    database_only = _collected(SATUPINTU_TEST_DATABASE_ONLY="1")
    assert "tests/test_embedded_run.py::test_demo_then_run_serves_and_delivers_mail[redis]" in database_only
    assert "tests/core/test_storage.py::test_readiness_follows_the_bucket" in database_only
    # Left out there (this run, without the variable, runs it): storage settings, no connection opened.
    assert "tests/core/test_storage.py::test_local_disk_is_the_default" not in database_only
