"""The embedded default's file-system broker keeps up with a backlog, and never loses a message
to a worker that reads it before it is written.

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
    "    print(type(conn.transport).__module__, conn.transport.polling_interval)\n"
)


def test_the_worker_asks_the_file_system_broker_for_work_ten_times_a_second(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "DATABASE_URL")}
    env.update(SATUPINTU_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="satupintu.settings")
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60,
                         check=True).stdout.split()
    assert out[0] == "satupintu.core.broker"  # kombu's file-system transport, messages written whole
    assert float(out[1]) <= 0.1


def test_a_server_broker_keeps_its_own_polling(tmp_path):
    # Redis is not polled (it blocks on the queue): the option is the file-system broker's alone.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SATUPINTU_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="satupintu.settings",
               CELERY_BROKER_URL="redis://127.0.0.1:6379/15")
    probe = PROBE.replace("conn.transport.polling_interval", "conn.transport_options.get('polling_interval')")
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60,
                         check=True).stdout.split()
    assert out == ["kombu.transport.redis", "None"]


def _channel(transport: str, folder):  # type: ignore[no-untyped-def]
    from kombu import Connection

    options = {"data_folder_in": str(folder), "data_folder_out": str(folder), "store_processed": False}
    return Connection(transport=transport, transport_options=options).channel()


@pytest.mark.parametrize("transport,lost", [("kombu.transport.filesystem:Transport", True), ("filesystem", False)])
def test_a_worker_reading_while_a_message_is_written_takes_nothing_half_written(tmp_path, monkeypatch, transport,
                                                                                 lost):
    """kombu's own transport creates the message's file and then writes it: a worker polling at that
    moment moves the empty file, cannot decode it, deletes it and exits (celery/kombu#1551). Here the
    worker reads exactly at that moment, every time: in kombu's, the message is lost; in ours it is
    not there yet, then whole ("filesystem" is ours once satupintu.celery has registered it)."""
    import builtins
    import json
    from queue import Empty

    from kombu.transport import filesystem

    from satupintu.core import broker

    channel = _channel(transport, tmp_path)
    taken = []
    real_open = builtins.open

    def open_then_read(path, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        handle = real_open(path, mode, *args, **kwargs)
        if "w" in mode:  # the writer has just opened its file: the worker polls now
            try:
                taken.append(channel._get("celery"))
            except Empty:
                taken.append(None)
            except json.JSONDecodeError:
                taken.append("undecodable")
        return handle

    monkeypatch.setattr(filesystem, "open", open_then_read, raising=False)  # kombu's module
    monkeypatch.setattr(broker, "open", open_then_read, raising=False)  # ours
    channel._put("celery", {"task": "deliver", "id": 1})
    monkeypatch.undo()
    if lost:
        assert taken == ["undecodable"] and not list(tmp_path.iterdir())  # read empty, deleted: gone
    else:
        assert taken == [None]  # nothing to take while it is written
        assert channel._get("celery") == {"task": "deliver", "id": 1}
