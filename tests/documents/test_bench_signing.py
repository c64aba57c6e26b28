"""bench/signing.py keeps working as the code changes: one quick round; no timing asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.once
def test_signing_bench_quick(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SATUPINTU_DATA_DIR", "DJANGO_SETTINGS_MODULE")}
    output = tmp_path / "signing.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "signing.py"), "--quick", "--output", str(output)],
                          env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)  # a hang guard only
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    data = json.loads(output.read_text())
    assert set(data["docs_per_s"]) == {"render", "render+pdfa", "render+pdfa+sign", "check_pdf"}
    assert all(value > 0 for value in data["docs_per_s"].values())
    assert data["ratio_to_render"]["render"] == 1.0
    assert "x render" in done.stdout
