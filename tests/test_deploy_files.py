"""The deployment files of the README's "Deploying at scale" work together: the example
environment sources in a shell and configures Django as production (PostgreSQL, Redis,
JSON logs, HTTPS only), and every command the systemd units and the Procfile start is one
the `satupintu` command knows."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def test_example_environment_sources_and_configures_production(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("k" * 60)
    probe = (
        "import json, django; from django.conf import settings; django.setup(); print(json.dumps({"
        "'db': settings.DATABASES['default']['ENGINE'], 'broker': settings.CELERY_BROKER_URL,"
        "'cache': settings.CACHES['default']['BACKEND'], 'log': settings.LOG_FORMAT,"
        "'ssl': settings.SECURE_SSL_REDIRECT, 'hsts': settings.SECURE_HSTS_SECONDS,"
        "'sender': settings.DEFAULT_FROM_EMAIL, 'lease': settings.OUTBOX_CLAIM_LEASE_SECONDS}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_", "CACHE_"))}
    script = (f"set -a; . {shlex.quote(str(DEPLOY / 'satupintu.env.example'))}; set +a; "
              f"export SECRET_KEY_FILE={shlex.quote(str(secret))} SATUPINTU_DATA_DIR={shlex.quote(str(tmp_path))}; "
              f"export DJANGO_SETTINGS_MODULE=satupintu.settings; exec {shlex.quote(sys.executable)} -c {shlex.quote(probe)}")
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["db"] == "django.db.backends.postgresql" and got["broker"].startswith("redis://")
    assert got["cache"] == "satupintu.core.cache.ResilientRedisCache" and got["log"] == "json"
    assert got["ssl"] is True and got["hsts"] >= 31536000
    assert got["sender"] == "Satu Pintu Kemenag <noreply@kemenag.go.id>" and got["lease"] == 60


def _started_commands() -> list[list[str]]:
    commands = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        for line in unit.read_text().splitlines():
            if m := re.match(r"(ExecStart|ExecStartPre)=(\S+/satupintu)\s+(.*)", line):
                assert m.group(2) == "/opt/satupintu/.venv/bin/satupintu", unit.name  # where the README installs it
                commands.append(shlex.split(m.group(3).replace("%i", "notifications")))
    for line in (ROOT / "Procfile").read_text().splitlines():
        if ":" in line:
            argv = shlex.split(line.split(":", 1)[1].replace("${PORT:-8000}", "8000"))
            assert argv[0] == "satupintu"
            commands.append(argv[1:])
    return commands


def test_units_and_procfile_start_known_commands(monkeypatch):
    from satupintu import cli

    commands = _started_commands()
    assert {c[0] for c in commands} >= {"serve", "worker", "scheduler", "check"}
    parsed = []
    for name in ("serve", "worker", "scheduler", "check"):  # record the parsed options instead of starting
        monkeypatch.setattr(cli, f"cmd_{name}", lambda ns: parsed.append(ns) or 0)
    for argv in commands:
        assert cli.main(argv) == 0, argv  # an unknown command or option exits 2 here
    assert len(parsed) == len(commands)
    by_command = {ns.command: ns for ns in parsed}
    assert by_command["worker"].queues and by_command["serve"].bind.endswith(":8000")
