#!/usr/bin/env python3
"""Benchmark the catalog page and the tracking API against a bare Django view.

Everything runs on the production server setup (`satupintu serve`: gunicorn, gthread,
DEBUG off, collected static files) with the production settings, plus bench-only URLs
(bench/bench_site/), among them /bench/bare/, which returns HttpResponse("ok"). Machines
are noisy, so only ratios within one run mean anything. The run is split into rounds; in
each, every endpoint is measured directly between two bare-view runs and its ratio for the
round is its req/s / the mean req/s of those two. The reported ratio is the median over the
rounds, next to a CPU-based ratio (bare CPU ms per request / the endpoint's).

    .venv/bin/python bench/run_bench.py [--rounds 3] [--duration 5] [--db postgres|sqlite] [--strict]

See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from wrk_bench import (
    HOST,
    PYTHON,
    RESULTS_DIR,
    SATUPINTU,
    Measurer,
    add_common_args,
    bare_spread,
    bench_env,
    check_common_args,
    fetch,
    finish,
    free_port,
    log,
    print_table,
    round_or_none,
    rounded,
    run_checked,
    run_guarded,
    run_records,
    start_server,
    stop_and_check,
    summarize,
)

TARGET_RATIO = 0.5  # the target: tracking API >= half the bare view's throughput
SEARCH_QUERY = "legalisr+ijasah"  # two typos on purpose: exercises the fuzzy search


PICK_CODE = """
import django; django.setup()
from django.db.models import Count, Q
from satupintu.services.models import Application
app = (Application.objects.annotate(n=Count("events", filter=Q(events__public=True)))
       .order_by("-n", "tracking_code").first())
if app is None:
    raise SystemExit("no applications in the database")
print(app.tracking_code, app.n, Application.objects.count())
"""


# ------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_args(p, connections=16, output=RESULTS_DIR / "latest.json")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as `satupintu serve`)")
    ns = p.parse_args(argv)
    check_common_args(p, ns)
    if ns.workers <= 0:
        p.error("--workers must be positive")
    return run_guarded(ns, _bench)


def _bench(ns: argparse.Namespace, tmp: str) -> int:
    env = bench_env(tmp, ns.db, ns.fresh_db)
    # Run every child in the temporary dir: the file-system Celery broker creates ./control.
    cwd = tmp

    log(f"data dir {tmp}; db {ns.db}; loading demo data (migrate + demo)")
    t0 = time.monotonic()
    demo_out = run_checked([str(SATUPINTU), "demo"], env, cwd, "satupintu demo").strip()
    log(f"demo: {demo_out} ({time.monotonic() - t0:.1f} s)")
    picked = run_checked([str(PYTHON), "-c", PICK_CODE], env, cwd, "picking a tracking code").split()
    code, n_events, n_apps = picked[0], int(picked[1]), int(picked[2])
    log(f"tracking code {code} ({n_events} public events; {n_apps} applications in the DB)")
    # Collect static files before serving, so the server starts with the hashed-name manifest
    # storage, as a production server does on every start after the first.
    run_checked([str(SATUPINTU), "manage", "collectstatic", "--noinput", "--verbosity", "0"], env, cwd, "collectstatic")

    port = free_port()
    base = f"http://{HOST}:{port}"
    endpoints = [
        ("bare", "/bench/bare/"),
        ("catalog", "/layanan/"),
        ("search", f"/layanan/?q={SEARCH_QUERY}"),
        ("tracking_api", f"/api/v1/applications/{code}"),
        # The cache-miss path of the same answer, reported beside it (no target).
        ("tracking_uncached", f"/bench/tracking-uncached/{code}/"),
    ]
    server = start_server(env, cwd, port, ns.workers, base + "/bench/bare/")

    # Every endpoint must answer 200 with the right content before it is worth timing.
    checks: dict[str, dict[str, object]] = {}
    m = Measurer(ns, base, server)
    problems = m.problems
    for name, path in endpoints:
        status, headers, body = fetch(base + path)
        checks[name] = {"status": status, "bytes": len(body), "content_type": headers.get("Content-Type", "")}
        if status != 200:
            problems.append(f"{name}: GET {path} answered {status}, not 200")
    status, _, body = fetch(base + endpoints[3][1])
    if status == 200:
        data = json.loads(body)
        if data.get("tracking_code") != code:
            problems.append(f"tracking_api: body has tracking_code {data.get('tracking_code')!r}, expected {code!r}")
        checks["tracking_api"]["timeline_events"] = len(data.get("timeline", []))
    status, _, body = fetch(base + endpoints[2][1])
    if status == 200 and b"legalisir" not in body.lower():
        problems.append("search: 'legalisr ijasah' found no 'Legalisir' service (fuzzy search broken?)")
    for msg in problems:
        log(f"PROBLEM: {msg}")

    load_before = os.getloadavg()
    rounds = m.rounds(endpoints[0][1], endpoints[1:])
    load_after = os.getloadavg()
    runs = m.runs
    server_log_tail = stop_and_check(server, problems)

    summary = summarize(endpoints, runs, rounds)
    bare_rps = [r.rps for r in runs if r.name == "bare"]
    baseline = float(summary["bare"]["rps"] or 0.0)  # type: ignore[arg-type]
    tracking_ratio = float(summary["tracking_api"]["ratio"])  # type: ignore[arg-type]
    target_met = tracking_ratio >= TARGET_RATIO
    verdict = "PASS" if target_met and not problems else "FAIL"

    # ------------------------------------------------------------------ report
    out = sys.stdout
    print(f"\nSatu Pintu benchmark: {ns.db}, gunicorn {ns.workers} workers x {env.get('WEB_THREADS', '4')} threads, "
          f"wrk {ns.wrk_threads} thread(s) / {ns.connections} connections, {ns.rounds} round(s) x "
          f"{ns.duration:g} s per run (+{ns.warmup:g} s warm-up), {os.cpu_count()} CPUs", file=out)
    print(f"tracking code {code} ({checks['tracking_api'].get('timeline_events', '?')} timeline events)\n", file=out)
    print_table(summary, [
        ("req/s", "rps", 9, ".1f", ""), ("p50 ms", "p50_ms", 9, ".2f", ""), ("p99 ms", "p99_ms", 9, ".2f", ""),
        ("vs bare", "ratio", 9, ".2f", "x"), ("min-max", "range", 12, "", ""),
        ("cpu ms/req", "server_cpu_ms_per_req", 12, ".2f", ""), ("cpu ratio", "cpu_ratio", 11, ".2f", "x"),
        ("db ms/req", "db_cpu_ms_per_req", 11, ".2f", ""), ("non-2xx", "non_2xx", 9, "d", ""),
        ("errors", "socket_errors", 8, "d", ""),
    ], out)
    print(f"Medians over {ns.rounds} round(s) (bare: over all {len(bare_rps)} bare runs); non-2xx, errors: totals.\n"
          "vs bare = median over the rounds of req/s / mean req/s of the bare runs just before and after it; "
          "min-max = its range over the rounds.\n"
          "cpu ms/req = CPU time of the server's processes per request"
          + (", db ms/req = of the PostgreSQL backends (not in the cpu ratio)" if ns.db == "postgres" else
             " (SQLite runs inside them)")
          + ";\ncpu ratio = bare cpu ms/req / endpoint cpu ms/req: a cross-check that other load on the machine "
          "disturbs less than req/s.", file=out)
    spread = bare_spread(runs, out)
    print(f"load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f}", file=out)
    for msg in problems:
        print(f"!!! PROBLEM: {msg}", file=out)
    print(f"\ntarget: tracking API >= {TARGET_RATIO:.2f}x bare view throughput -> median "
          f"{tracking_ratio:.2f}x: {'met' if target_met else 'NOT met'}", file=out)
    print(f"{verdict}" + ("" if not problems else f" ({len(problems)} problem(s) above count as FAIL)"), file=out)

    result = {
        "verdict": verdict,
        "target": {"endpoint": "tracking_api", "min_ratio_vs_bare": TARGET_RATIO, "ratio": round(tracking_ratio, 4),
                   "ratio_is": "median over rounds", "ratios_per_round": summary["tracking_api"]["ratios_per_round"],
                   "met": target_met},
        "problems": problems,
        "baseline_rps": round(baseline, 2),
        "bare_spread": spread,
        "ratios": {k: round(float(s["ratio"]), 4) for k, s in summary.items()},  # type: ignore[arg-type]
        "cpu_ratios": {k: round_or_none(s["cpu_ratio"], 4) for k, s in summary.items()},  # type: ignore[arg-type]
        "cpu_ms_per_req": {k: {"server": round_or_none(s["server_cpu_ms_per_req"]),  # type: ignore[arg-type]
                               "db": round_or_none(s["db_cpu_ms_per_req"])} for k, s in summary.items()},  # type: ignore[arg-type]
        "summary": {k: rounded(s) for k, s in summary.items()},
        "rounds": rounds,
        "results": run_records(runs, rounds),
        "warmups": m.warmups,
        "checks": checks,
        "config": {
            "db": ns.db, "rounds": ns.rounds, "duration_s": ns.duration, "warmup_s": ns.warmup,
            "connections": ns.connections,
            "wrk_threads": ns.wrk_threads, "workers": ns.workers, "threads": int(env.get("WEB_THREADS", "4")),
            "server": "satupintu serve (gunicorn gthread)", "settings": "bench_site.settings", "tracking_code": code,
            "search_query": SEARCH_QUERY,
        },
    }
    return finish(ns, result, runs, server_log_tail, (load_before, load_after))


if __name__ == "__main__":
    sys.exit(main())
