"""The WhatsApp webhook benchmark (bench/whatsapp.sh, bench/whatsapp_webhook.py) keeps working as
the code changes: one tiny round (`--quick`) against a real `satupintu serve` on SQLite with the
embedded file-system broker (its own temporary data dir and port), about 10 s. No timing is
asserted (the machine's speed is not the code's): the figures are there, every signed delivery
was answered 200, stored and handed to the broker, and forged ones were refused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"


# A drill: it starts its own server on SQLite whatever DATABASE_URL says, so CI runs it once.
@pytest.mark.drill
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk not installed (apt-get install -y wrk)")
@pytest.mark.skipif(not PYTHON.exists(), reason="the benchmark runs the project's .venv")
def test_whatsapp_webhook_bench_quick(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "SATUPINTU_DATA_DIR", "DJANGO_SETTINGS_MODULE")}
    output = tmp_path / "whatsapp_webhook.json"
    done = subprocess.run(
        [str(PYTHON), str(ROOT / "bench" / "whatsapp_webhook.py"), "--quick", "--db", "sqlite",
         "--broker", "filesystem", "--output", str(output)],
        env=env, capture_output=True, text=True, timeout=300)  # a hang guard only
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    data = json.loads(output.read_text())

    assert data["config"]["db"] == "sqlite" and data["config"]["workers"] == 1 and data["config"]["threads"] == 4
    assert data["events_per_s"] > 0 and data["bare_rps"] > 0 and data["ratio"] > 0
    assert data["p95_ms"]["webhook"] > 0 and data["p95_ms"]["bare"] > 0
    assert data["target"]["min_ratio_vs_bare"] == 0.5
    assert data["verdict"] in ("PASS", "FAIL")
    assert data["problems"] == [], data["problems"]
    for name in ("webhook", "bare"):
        assert data["summary"][name]["non_2xx"] == 0 and data["summary"][name]["socket_errors"] == 0
    # unsigned -> 401, forged -> 403, signed -> 200
    assert all(check["status"] == check["expected"] for check in data["checks"].values()), data["checks"]
    deliveries = data["deliveries"]
    assert deliveries["acknowledged"] > 1
    assert deliveries["acknowledged"] <= deliveries["stored"] <= (
        deliveries["acknowledged"] + deliveries["in_flight_at_run_ends_max"])
    assert deliveries["queued_tasks"] == 1  # one drain wakes the worker for every delivery
    assert "PASS" in done.stdout or "FAIL" in done.stdout
