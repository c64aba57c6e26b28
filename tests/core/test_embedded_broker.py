"""The embedded default's file-system broker keeps up with a backlog.

Its worker holds at most two messages (two threads, prefetch 1) and, while both are held, waits
one polling interval before it asks again. At kombu's default of 1 s that was two tasks a second:
a citizen's receipt e-mail queued behind the demo's 180 notifications arrived after 90 s.
"""

import os
import subprocess
import sys

import pytest

# No database: the command (or setting) is the same whatever DATABASE_URL says; CI runs it once.
pytestmark = pytest.mark.once

PROBE = (
    "import django; django.setup()\n"
    "from satupintu.celery import app\n"
    "with app.connection_for_write() as conn:\n"
    "    print(conn.transport_cls, conn.transport.polling_interval)\n"
)


def test_the_worker_asks_the_file_system_broker_for_work_ten_times_a_second(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "DATABASE_URL")}
    env.update(SATUPINTU_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="satupintu.settings")
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60,
                         check=True).stdout.split()
    assert out[0] == "filesystem"
    assert float(out[1]) <= 0.1


def test_a_server_broker_keeps_its_own_polling(tmp_path):
    # Redis is not polled (it blocks on the queue): the option is the file-system broker's alone.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SATUPINTU_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="satupintu.settings",
               CELERY_BROKER_URL="redis://127.0.0.1:6379/15")
    probe = PROBE.replace("conn.transport.polling_interval", "conn.transport_options.get('polling_interval')")
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60,
                         check=True).stdout.split()
    assert out == ["redis", "None"]
