#!/usr/bin/env python3
"""Benchmark the WhatsApp webhook's acknowledgement on one core against a bare Django view.

`POST /webhooks/whatsapp` (satupintu/whatsapp/webhook.py) checks the X-Hub-Signature-256
HMAC, stores the delivery as a WebhookEvent row, hands it to the Celery broker on commit and
answers 200. Meta waits for that answer, so it is what a burst of messages costs the web
server. The server runs as in production (`satupintu serve`: gunicorn, DEBUG off,
PostgreSQL, Redis as broker and cache) but on one core: 1 worker x 1 thread (WEB_THREADS=1),
pinned to one CPU with taskset and wrk to the other. wrk keeps 64 deliveries in flight, each
a signed text message as Meta sends it; the bare view (/bench/bare/) is measured with the
same 64 connections in the same run, between the webhook's runs, in rounds (bench/wrk_bench.py).

Target (issue #12): events/s >= 0.5x the bare view's req/s (median over the rounds).

    .venv/bin/python bench/whatsapp_webhook.py [--rounds 3] [--duration 5] [--db postgres|sqlite] [--strict]
    .venv/bin/python bench/whatsapp_webhook.py --quick       # a smoke check, ~15 s

See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from common import SetupError
from wrk_bench import (
    BENCH_DIR,
    HOST,
    PG_URL,
    RESULTS_DIR,
    SATUPINTU,
    Measurer,
    add_common_args,
    bare_spread,
    bench_env,
    check_common_args,
    fetch,
    finish,
    fmt,
    free_port,
    log,
    print_table,
    rounded,
    run_checked,
    run_guarded,
    run_records,
    start_server,
    stop_and_check,
    summarize,
)

TARGET_RATIO = 0.5  # issue #12: at least half the bare view's rate
CONNECTIONS = 64  # concurrent deliveries
WEBHOOK_PATH = "/webhooks/whatsapp"
BARE_PATH = "/bench/bare/"
LUA_POST = BENCH_DIR / "webhook_post.lua"
APP_SECRET = "bench-app-secret"
PHONE_NUMBER_ID = "100000000000042"
# Redis databases already taken on a shared machine: 6 and 11 (tests), 12 and 13 (load.sh),
# 14 (run_bench's cache), 15 (tests/test_embedded_run.py). The broker here gets its own.
BROKER_DB = 10
BROKER_URL = f"redis://127.0.0.1:6379/{BROKER_DB}"


def meta_payload() -> bytes:
    """One inbound text message, in the shape and compact encoding of Meta's webhook."""
    wa_id = "6281234567890"
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": "Siti Aminah"}, "wa_id": wa_id}],
        "messages": [{
            "from": wa_id,
            "id": "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYIDNBQjE2RjQ3QzE5MDZFMzVCMjQ0QjM1RkE3MEYzQzcxAA==",
            "timestamp": "1764900000",
            "type": "text",
            "text": {"body": "Assalamualaikum, bagaimana cara cek status permohonan legalisir ijazah saya? "
                             "Kode lacaknya RVYUC-7HPNC. Terima kasih."},
        }],
    }
    return json.dumps({"object": "whatsapp_business_account", "entry": [
        {"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}]},
        separators=(",", ":"), ensure_ascii=False).encode()


def signature(body: bytes) -> str:
    import hashlib
    import hmac

    return "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()


# ----------------------------------------------------- what the deliveries left behind

class Store:
    """Counts (and clears) the stored webhook events and the tasks waiting on the broker."""

    def __init__(self, db: str, broker: str, tmp: str) -> None:
        self.db, self.broker, self.tmp = db, broker, Path(tmp)

    def _sql(self, query: str) -> int:
        """A count for a SELECT, the rows touched otherwise."""
        def answer(cur: Any) -> int:
            return int(cur.fetchone()[0]) if cur.description else int(cur.rowcount)

        if self.db == "postgres":
            import psycopg

            with psycopg.connect(PG_URL, autocommit=True, connect_timeout=5) as pg:
                return answer(pg.execute(query))
        with closing(sqlite3.connect(self.tmp / "satupintu.sqlite3", timeout=30)) as lite, lite:
            return answer(lite.execute(query))

    def events(self) -> int:
        return self._sql("SELECT count(*) FROM whatsapp_webhookevent")

    def clear_events(self) -> int:
        # Only the bench database's table: keeps it small and every run starting equal.
        return self._sql("DELETE FROM whatsapp_webhookevent")

    def queued(self) -> int:
        if self.broker == "redis":
            import redis

            client = redis.Redis.from_url(BROKER_URL)
            # Celery's Redis transport keeps a queue (and its priority levels) as lists.
            return sum(int(client.llen(k)) for k in client.scan_iter() if client.type(k) == b"list")
        queue = self.tmp / "broker" / "queue"
        return sum(1 for _ in queue.iterdir()) if queue.is_dir() else 0

    def flush_broker(self) -> None:
        if self.broker == "redis":
            import redis

            redis.Redis.from_url(BROKER_URL).flushdb()


def webhook_env(ns: argparse.Namespace, tmp: str) -> dict[str, str]:
    env = bench_env(tmp, ns.db, ns.fresh_db)
    for key in [k for k in env if k.startswith(("WHATSAPP_", "CELERY_"))]:
        del env[key]
    env.update({
        "WEB_THREADS": str(ns.threads),  # one core: `serve --workers 1` with one thread (by default)
        "WHATSAPP_SIMULATOR": "0",
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
    })
    if ns.broker == "redis":
        env["CELERY_BROKER_URL"] = BROKER_URL
    return env


def pinning() -> tuple[list[str], list[str], str]:
    """taskset prefixes for the server and for wrk, and what they mean."""
    cpus = sorted(os.sched_getaffinity(0))
    if shutil.which("taskset") is None or len(cpus) < 2:
        return [], [], "not pinned (taskset missing or fewer than 2 CPUs)"
    return (["taskset", "-c", str(cpus[0])], ["taskset", "-c", str(cpus[1])],
            f"server pinned to CPU {cpus[0]}, wrk to CPU {cpus[1]} (taskset)")


def check_webhook(base: str, body: bytes) -> tuple[dict[str, object], list[str]]:
    """The webhook must refuse unsigned and badly signed deliveries and take a signed one."""
    url = base + WEBHOOK_PATH
    json_type = {"Content-Type": "application/json"}
    cases = {
        "bare": (fetch(base + BARE_PATH), 200),
        "webhook_unsigned": (fetch(url, body, json_type), 401),
        "webhook_bad_signature": (fetch(url, body, {**json_type, "X-Hub-Signature-256": "sha256=" + "0" * 64}), 403),
        "webhook_signed": (fetch(url, body, {**json_type, "X-Hub-Signature-256": signature(body)}), 200),
    }
    checks: dict[str, object] = {}
    problems = []
    for name, ((status, _headers, answer), expected) in cases.items():
        checks[name] = {"status": status, "expected": expected, "body": answer[:40].decode(errors="replace")}
        if status != expected:
            problems.append(f"check {name}: answered {status}, expected {expected}")
    return checks, problems


# ------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_args(p, connections=CONNECTIONS, output=RESULTS_DIR / "whatsapp_webhook.json")
    p.add_argument("--broker", choices=("redis", "filesystem"), default="redis",
                   help=f"Celery broker: Redis db {BROKER_DB} (default; flushed before and after) or the embedded "
                        "file-system broker in the temporary dir")
    p.add_argument("--threads", type=int, default=4,
                   help="WEB_THREADS of the one gunicorn worker (default 4, the production default; the threads "
                        "overlap the waits for PostgreSQL and Redis on the same core)")
    p.add_argument("--quick", action="store_true",
                   help="smoke check: 1 round of 1 s runs after 1 s warm-ups (overrides --rounds/--duration/--warmup); "
                        "results to bench/results/whatsapp_webhook-quick.json unless --output is given")
    ns = p.parse_args(argv)
    if ns.quick:
        # The warm-up stays: after a webhook run the one thread first finishes the deliveries
        # wrk left in flight, which would otherwise eat the next (1 s) bare run.
        ns.rounds, ns.duration, ns.warmup = 1, 1, 1
        if "--output" not in (argv if argv is not None else sys.argv[1:]):
            ns.output = RESULTS_DIR / "whatsapp_webhook-quick.json"
    check_common_args(p, ns)
    if ns.threads <= 0:
        p.error("--threads must be positive")
    return run_guarded(ns, _bench)


def _bench(ns: argparse.Namespace, tmp: str) -> int:
    env = webhook_env(ns, tmp)
    store = Store(ns.db, ns.broker, tmp)
    if ns.broker == "redis":
        try:
            store.flush_broker()
        except Exception as exc:  # redis.ConnectionError and friends
            raise SetupError(f"Redis is not reachable at {BROKER_URL}: {exc}") from exc
    body = meta_payload()
    body_file = Path(tmp) / "webhook-body.json"
    body_file.write_bytes(body)

    log(f"data dir {tmp}; db {ns.db}; broker {ns.broker}; migrating")
    t0 = time.monotonic()
    run_checked([str(SATUPINTU), "manage", "migrate", "--noinput", "--verbosity", "0"], env, tmp, "migrate")
    log(f"migrated ({time.monotonic() - t0:.1f} s); cleared {store.clear_events()} old webhook events")

    try:
        return _measure(ns, tmp, env, store, body, body_file)
    finally:  # also on errors and Ctrl+C: the bench database and the broker are left empty
        try:
            store.clear_events()
            store.flush_broker()
        except Exception as exc:  # the table may not exist yet, Redis may be gone
            log(f"cleanup: {type(exc).__name__}: {exc}")


def _measure(ns: argparse.Namespace, tmp: str, env: dict[str, str], store: Store, body: bytes,
             body_file: Path) -> int:
    server_pin, wrk_pin, pinned = pinning()
    port = free_port()
    base = f"http://{HOST}:{port}"
    # `satupintu serve` collects the static files itself before gunicorn starts.
    server = start_server(env, tmp, port, 1, base + BARE_PATH, prefix=server_pin)
    checks, problems = check_webhook(base, body)
    for msg in problems:
        log(f"PROBLEM: {msg}")

    m = Measurer(ns, base, server, scripts={"webhook": (LUA_POST, [str(body_file), signature(body)])},
                 wrk_prefix=wrk_pin, settle_path=BARE_PATH)
    m.problems.extend(problems)
    problems = m.problems
    endpoints = [("bare", BARE_PATH), ("webhook", WEBHOOK_PATH)]
    load_before = os.getloadavg()
    rounds = m.rounds(BARE_PATH, endpoints[1:])
    load_after = os.getloadavg()
    server_log_tail = stop_and_check(server, problems)  # graceful: requests in flight finish first

    # Every acknowledged delivery must be stored, and the worker woken: one queued drain serves
    # any number of deliveries (whatsapp/webhook.py), so with no worker running exactly one
    # task waits on the broker. A few more may be stored than wrk counted: requests in flight
    # when a run ends are answered to no one.
    hooks = [r for r in [*m.runs, *m.warmup_runs] if r.name == "webhook"]
    acknowledged = 1 + sum(r.status.get("2xx", 0) for r in hooks)  # 1: the signed check
    in_flight_max = ns.connections * len(hooks)
    stored, queued = store.events(), store.queued()
    deliveries = {"acknowledged": acknowledged, "stored": stored, "queued_tasks": queued,
                  "in_flight_at_run_ends_max": in_flight_max}
    if stored < acknowledged:
        problems.append(f"{acknowledged - stored} deliveries answered 200 but not stored")
    elif stored > acknowledged + in_flight_max:
        problems.append(f"{stored} events stored for {acknowledged} acknowledged deliveries")
    if queued != 1:
        problems.append(f"{stored} events stored and {queued} drain tasks on the broker (expected one)")

    summary = summarize(endpoints, m.runs, rounds)
    hook, bare = summary["webhook"], summary["bare"]
    ratio = float(hook["ratio"])  # type: ignore[arg-type]
    target_met = ratio >= TARGET_RATIO
    verdict = "PASS" if target_met and not problems else "FAIL"

    # ------------------------------------------------------------------ report
    out = sys.stdout
    threads = env["WEB_THREADS"]
    print(f"\nSatu Pintu WhatsApp webhook benchmark: {ns.db}, broker {ns.broker}"
          f"{f' ({BROKER_URL}, no worker: the tasks are flushed)' if ns.broker == 'redis' else ''}", file=out)
    print(f"one core: satupintu serve --workers 1, WEB_THREADS={threads} (gunicorn 1 worker x {threads} thread(s)); "
          f"{pinned}", file=out)
    print(f"wrk {ns.wrk_threads} thread(s), {ns.connections} connections; {ns.rounds} round(s) x {ns.duration:g} s "
          f"per run (+{ns.warmup:g} s warm-up); payload {len(body)} bytes; {os.cpu_count()} CPUs\n", file=out)
    print_table(summary, [
        ("per s", "rps", 9, ".1f", ""), ("p50 ms", "p50_ms", 9, ".1f", ""), ("p95 ms", "p95_ms", 9, ".1f", ""),
        ("p99 ms", "p99_ms", 9, ".1f", ""), ("vs bare", "ratio", 9, ".2f", "x"), ("min-max", "range", 12, "", ""),
        ("cpu ms/req", "server_cpu_ms_per_req", 12, ".2f", ""), ("cpu ratio", "cpu_ratio", 11, ".2f", "x"),
        ("db ms/req", "db_cpu_ms_per_req", 11, ".2f", ""), ("non-2xx", "non_2xx", 9, "d", ""),
        ("errors", "socket_errors", 8, "d", ""),
    ], out, name_width=9)
    print(f"Medians over {ns.rounds} round(s) (bare: over all its runs); vs bare = per round, events/s / mean req/s "
          "of the bare runs just before and after;\ncpu ms/req: the server's processes, cpu ratio: bare cpu ms/req / "
          "the webhook's (less disturbed by other load than events/s)"
          + (", db ms/req: the PostgreSQL backends" if ns.db == "postgres" else "") + ".", file=out)
    spread = bare_spread(m.runs, out)
    print(f"load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f}", file=out)
    print(f"deliveries: {acknowledged} acknowledged (200), {stored} stored, {queued} drain task(s) on the broker", file=out)
    for msg in problems:
        print(f"!!! PROBLEM: {msg}", file=out)
    print(f"\nwebhook {hook['rps']:.1f} events/s, bare view {bare['rps']:.1f} req/s: {ratio:.2f}x "
          f"(target >= {TARGET_RATIO:.2f}x: {'met' if target_met else 'NOT met'})", file=out)
    print(f"p95 at {ns.connections} concurrent: webhook {fmt(hook['p95_ms'], '.1f')} ms, "
          f"bare view {fmt(bare['p95_ms'], '.1f')} ms", file=out)
    print(f"{verdict}" + ("" if not problems else f" ({len(problems)} problem(s) above count as FAIL)"), file=out)

    result = {
        "verdict": verdict,
        "target": {"endpoint": "webhook", "min_ratio_vs_bare": TARGET_RATIO, "ratio": round(ratio, 4),
                   "ratio_is": "median over rounds", "ratios_per_round": hook["ratios_per_round"], "met": target_met},
        "events_per_s": hook["rps"],
        "bare_rps": bare["rps"],
        "ratio": round(ratio, 4),
        "p95_ms": {"webhook": hook["p95_ms"], "bare": bare["p95_ms"]},
        "deliveries": deliveries,
        "problems": problems,
        "bare_spread": spread,
        "summary": {k: rounded(s) for k, s in summary.items()},
        "rounds": rounds,
        "results": run_records(m.runs, rounds),
        "warmups": m.warmups,
        "checks": checks,
        "config": {
            "db": ns.db, "broker": BROKER_URL if ns.broker == "redis" else "filesystem://", "rounds": ns.rounds,
            "duration_s": ns.duration, "warmup_s": ns.warmup, "connections": ns.connections,
            "wrk_threads": ns.wrk_threads, "workers": 1, "threads": int(threads), "pinning": pinned,
            "server": "satupintu serve (gunicorn gthread)", "settings": "bench_site.settings",
            "payload_bytes": len(body), "quick": ns.quick,
        },
    }
    return finish(ns, result, m.runs, server_log_tail, (load_before, load_after))


if __name__ == "__main__":
    sys.exit(main())
