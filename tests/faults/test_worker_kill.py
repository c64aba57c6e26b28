"""Drill: a worker killed (kill -9, the whole process group) in the middle of sending an e-mail.

Real processes: gunicorn, a prefork Celery worker on a private Redis, the Celery beat
scheduler, a private PostgreSQL; the only fake is the SMTP server, made slow on purpose.

After kill -9 nothing tells the broker: with Redis the unacknowledged task only comes back
after the visibility timeout (an hour). What sends the message is the outbox itself: the dead
worker's claim stops being renewed and runs out after OUTBOX_CLAIM_LEASE_SECONDS (6 s here),
and the scheduler's outbox flush (every 30 s) finds it due and sends it on the new worker.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.faults import drill

pytestmark = pytest.mark.drill

LEASE = 6


def test_worker_killed_mid_send_delivers_each_message_once(drill_env):
    env = drill_env
    stack = drill.mail_stack(env, lease=LEASE)
    smtp, web_port, base, app_env = stack.smtp, stack.port, stack.base, stack.env
    # A: the server stalls at RCPT, before the message is sent (the usual "inside the send").
    # B: the server has taken the whole message and stalls before its 250 reply: the one
    #    window where a retry must send again (RFC 1047); the fixed Message-ID makes it one.
    rcpt = smtp.slow_for("lambat-rcpt", "rcpt", 60)
    data = smtp.slow_for("lambat-data", "data", 60)
    env.track(drill.start_web(app_env, env.logs, web_port))
    worker = env.track(drill.start_worker(app_env, env.logs))
    env.track(drill.AppProcess("scheduler", ["scheduler", "--loglevel", "INFO"], app_env, env.logs).start())

    a = drill.api_apply(base, 1, "a.lambat-rcpt@contoh.id")
    b = drill.api_apply(base, 2, "b.lambat-data@contoh.id")
    assert a.status_code == 201 and b.status_code == 201, (a.text, b.text)
    # The task reaches the worker through Redis at once; wait until both sends are stuck.
    assert rcpt.reached.wait(30) and data.reached.wait(30), worker.log()[-3000:]
    [(a_id, a_status, _)] = drill.outbox_rows(env.sql, "a.lambat-rcpt@contoh.id")
    [(b_id, b_status, _)] = drill.outbox_rows(env.sql, "b.lambat-data@contoh.id")
    assert a_status == b_status == "sending"
    # Longer than the lease: a live worker renews its claim while the server is slow, so no
    # flush may take the message over (that would be a second send of a message in flight).
    time.sleep(LEASE + 2)
    still_claimed = env.sql("SELECT count(*) FROM notifications_outboxmessage WHERE id IN (%s, %s) "
                            "AND status = 'sending' AND claimed_until > now() + interval '1 second'",
                            (a_id, b_id))[0][0]
    assert still_claimed == 2

    killed_at = time.monotonic()
    worker.kill_group()
    assert smtp.to("a.lambat-rcpt@contoh.id") == []  # A never got past RCPT
    assert len(smtp.to("b.lambat-data@contoh.id")) == 1  # B was taken before the kill
    env.track(drill.start_worker(app_env, env.logs, "worker-2"))

    def both_sent():  # type: ignore[no-untyped-def]
        rows = env.sql("SELECT id, status, attempts FROM notifications_outboxmessage WHERE id IN (%s, %s) "
                       "ORDER BY id", (a_id, b_id))
        return rows if all(status == "sent" for _, status, _ in rows) else None

    rows = drill.wait_for("the outbox to send both after the kill", both_sent, LEASE + 30 + 30, 0.5)
    delivered_after = time.monotonic() - killed_at
    print(f"\n[drill worker-kill] delivered {delivered_after:.1f} s after kill -9 (lease {LEASE} s, flush 30 s)")
    assert all(attempts == 2 for _, _, attempts in rows)  # the killed attempt, then the one that sent

    a_got, b_got = smtp.to("a.lambat-rcpt@contoh.id"), smtp.to("b.lambat-data@contoh.id")
    assert len(a_got) == 1 and a_got[0].message_id.startswith(f"<outbox-{a_id}@")
    # B: sent twice on the wire, but as one message (one Message-ID) for the applicant's mail system.
    assert len(b_got) == 2 and {m.message_id for m in b_got} == {b_got[0].message_id}
    assert b_got[0].message_id.startswith(f"<outbox-{b_id}@")
    # Nothing else goes out later (the redelivered task, another flush): watch one more flush.
    time.sleep(2)
    assert len(smtp.to("a.lambat-rcpt@contoh.id")) == 1 and len(smtp.to("b.lambat-data@contoh.id")) == 2


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]


def test_pool_process_killed_mid_send_the_task_comes_back_at_once(drill_env):
    # Only the pool process that is sending dies (the OOM killer's usual choice); the worker's
    # main process sees it (WorkerLostError) and, with acks_late + reject_on_worker_lost, gives
    # the task back to Redis at once. The redelivered task finds the dead process's claim and
    # retries itself when that claim runs out (tasks.py), before the next flush is due.
    env = drill_env
    stack = drill.mail_stack(env, lease=LEASE)
    smtp, port, base, app_env = stack.smtp, stack.port, stack.base, stack.env
    rcpt = smtp.slow_for("lambat", "rcpt", 60)
    env.track(drill.start_web(app_env, env.logs, port))
    worker = env.track(drill.start_worker(app_env, env.logs, concurrency=1))
    assert drill.api_apply(base, 1, "c.lambat@contoh.id").status_code == 201
    assert rcpt.reached.wait(30), worker.log()[-3000:]
    [(message_id, status, _)] = drill.outbox_rows(env.sql, "c.lambat@contoh.id")
    assert status == "sending"
    [pool] = _children(worker.proc.pid)
    killed_at = time.monotonic()
    os.kill(pool, signal.SIGKILL)

    def sent():  # type: ignore[no-untyped-def]
        return drill.outbox_rows(env.sql, "c.lambat@contoh.id")[0][1] == "sent"

    drill.wait_for("the redelivered task to send", sent, LEASE + 20, 0.3)
    delivered_after = time.monotonic() - killed_at
    print(f"\n[drill pool-kill] delivered {delivered_after:.1f} s after the pool process was killed "
          f"(lease {LEASE} s; no scheduler running)")
    got = smtp.to("c.lambat@contoh.id")
    assert len(got) == 1 and got[0].message_id.startswith(f"<outbox-{message_id}@")
    assert drill.outbox_rows(env.sql, "c.lambat@contoh.id")[0][2] == 2
    assert "WorkerLostError" in worker.log() and "Retry in" in worker.log()
    assert worker.alive()
