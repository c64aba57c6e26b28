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
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from common import Interrupted, SetupError, admin_connect, raise_on_signals

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
VENV_BIN = ROOT / ".venv" / "bin"
SATUPINTU = VENV_BIN / "satupintu"
PYTHON = VENV_BIN / "python"
LUA = BENCH_DIR / "status_count.lua"
RESULTS_DIR = BENCH_DIR / "results"
HOST = "127.0.0.1"  # the only host this script ever sends load to
PG_URL_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "satupintu_bench"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
TARGET_RATIO = 0.5  # the issue's target: tracking API >= half the bare view's throughput
BARE_SPREAD_WARN = 1.25  # warn when max/min of the bare runs' req/s exceeds this
SEARCH_QUERY = "legalisr+ijasah"  # two typos on purpose: exercises the fuzzy search


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- wrk

@dataclass
class WrkResult:
    name: str
    path: str
    requests: int = 0
    duration_s: float = 0.0
    rps: float = 0.0
    latency_ms: dict[str, float] = field(default_factory=dict)  # p50, p75, p90, p99, p99.9, avg, max
    status: dict[str, int] = field(default_factory=dict)  # 2xx, 3xx, 4xx, 5xx, other
    socket_errors: dict[str, int] = field(default_factory=dict)  # connect, read, write, timeout
    wrk_non2xx3xx: int = 0
    # CPU seconds used while wrk ran, per request: by the server's processes (gunicorn master
    # and workers) and by the PostgreSQL backends serving the bench database. Less sensitive
    # to other load on the machine than req/s (but not immune: cache misses, steal time).
    server_cpu_ms_per_req: float | None = None
    db_cpu_ms_per_req: float | None = None
    round: int = 0  # 1-based round the run belongs to
    label: str = ""  # e.g. "bare#2" (the bare run after catalog) or the endpoint name
    raw: str = ""

    @property
    def bad_responses(self) -> int:
        return sum(v for k, v in self.status.items() if k != "2xx")

    @property
    def errors(self) -> int:
        return sum(self.socket_errors.values())


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _to_ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not m:
        raise ValueError(f"unparsable wrk latency {text!r}")
    return float(m.group(1)) * _UNITS_MS[m.group(2)]


def parse_wrk(name: str, path: str, out: str) -> WrkResult:
    r = WrkResult(name=name, path=path, raw=out)
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not m:
        raise SetupError(f"wrk output for {name} has no Requests/sec line:\n{out}")
    r.rps = float(m.group(1))
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h)", out)
    if m:
        r.requests = int(m.group(1))
        r.duration_s = _to_ms(m.group(2) + m.group(3)) / 1000.0
    m = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", out)
    if m:
        r.latency_ms["avg"] = _to_ms(m.group(1))
        r.latency_ms["max"] = _to_ms(m.group(3))
    dist = re.search(r"Latency Distribution\s*\n((?:\s+\d+%\s+\S+\s*\n)+)", out)
    if not dist:
        raise SetupError(f"wrk output for {name} has no latency distribution (--latency):\n{out}")
    for pct, value in re.findall(r"(\d+)%\s+(\S+)", dist.group(1)):
        r.latency_ms[f"p{pct}"] = _to_ms(value)
    m = re.search(r"BENCH_P999_US (\d+)", out)
    if m:
        r.latency_ms["p99.9"] = int(m.group(1)) / 1000.0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    r.socket_errors = dict(zip(("connect", "read", "write", "timeout"), map(int, m.groups()), strict=True)) if m else {
        "connect": 0, "read": 0, "write": 0, "timeout": 0}
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    r.wrk_non2xx3xx = int(m.group(1)) if m else 0
    m = re.search(r"BENCH_STATUS 2xx=(\d+) 3xx=(\d+) 4xx=(\d+) 5xx=(\d+) other=(\d+)", out)
    if not m:
        raise SetupError(f"wrk output for {name} has no BENCH_STATUS line (Lua script not run?):\n{out}")
    r.status = dict(zip(("2xx", "3xx", "4xx", "5xx", "other"), map(int, m.groups()), strict=True))
    return r


def run_wrk(name: str, url: str, path: str, seconds: int, connections: int, threads: int) -> WrkResult:
    cmd = [
        "wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
        "--timeout", "5s", "-s", str(LUA), url,
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    except subprocess.TimeoutExpired as exc:
        raise SetupError(f"wrk did not finish within {seconds + 60:g}s for {name}") from exc
    if proc.returncode != 0:
        raise SetupError(f"wrk failed for {name} (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return parse_wrk(name, path, proc.stdout)


# ------------------------------------------------------------------------ set-up

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


_CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    """utime + stime of each process, in clock ticks (processes that are gone are skipped)."""
    ticks = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks[pid] = int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)
        except (OSError, IndexError, ValueError):
            pass
    return ticks


def cpu_delta_ms(before: dict[int, int], after: dict[int, int]) -> float:
    return sum(t - before.get(pid, 0) for pid, t in after.items()) * 1000.0 / _CLK_TCK


def db_backend_pids() -> list[int]:
    import psycopg

    try:
        with psycopg.connect(PG_URL_ADMIN, autocommit=True, connect_timeout=3) as conn:
            rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (PG_DB,)).fetchall()
    except psycopg.Error:
        return []
    return [r[0] for r in rows]


def ensure_postgres(fresh: bool) -> None:
    conn = admin_connect(PG_URL_ADMIN)
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DB,)).fetchone()
        if exists and fresh:
            log(f"dropping database {PG_DB} (--fresh-db)")
            conn.execute(f'DROP DATABASE "{PG_DB}" WITH (FORCE)')
            exists = None
        if not exists:
            log(f"creating database {PG_DB}")
            conn.execute(f'CREATE DATABASE "{PG_DB}"')


def run_checked(cmd: list[str], env: dict[str, str], cwd: str, what: str, timeout: int = 600) -> str:
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise SetupError(f"{what} failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


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


class Server:
    def __init__(self, env: dict[str, str], cwd: str, port: int, workers: int, log_path: Path) -> None:
        self.env, self.cwd, self.port, self.workers, self.log_path = env, cwd, port, workers, log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = [str(SATUPINTU), "serve", "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers)]
        log(f"starting: {' '.join(cmd)}")
        self._log = open(self.log_path, "wb")  # noqa: SIM115
        # Own process group, so stop() reaches the gunicorn master and all its workers.
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=self.cwd, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_ready(self, url: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise SetupError(f"server exited with code {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.25)
        raise SetupError(f"server did not answer {url} within {timeout:g}s:\n{self.log_tail()}")

    def pids(self) -> list[int]:
        if self.proc is None:
            return []
        out = subprocess.run(["pgrep", "-g", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def stop(self) -> None:
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            log(f"stopping server (pid {proc.pid})")
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                log("server did not stop on SIGTERM within 30 s; SIGKILL")
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=10)
        # Workers left behind by a dead master would keep the port: make sure the group is gone.
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            pass
        else:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._log.close()


def _round(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(x, digits)


_ACTIVE: list[Server] = []  # started servers, stopped in main()'s finally


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


# ------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3,
                   help="rounds; each measures every endpoint between two bare runs; medians reported (default 3)")
    p.add_argument("--duration", type=int, default=5, help="whole seconds measured per run (default 5)")
    p.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections (default 16)")
    p.add_argument("--db", choices=("postgres", "sqlite"), default="postgres", help="database (default postgres)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as `satupintu serve`)")
    p.add_argument("--wrk-threads", type=int, default=1,
                   help="wrk threads (default 1: wrk shares the CPUs with the server; one thread is plenty)")
    p.add_argument("--warmup", type=int, default=1, help="whole warm-up seconds before each run, discarded (default 1)")
    p.add_argument("--fresh-db", action="store_true", help="postgres: drop and recreate the bench database first")
    p.add_argument("--strict", action="store_true", help="exit 1 when the target is missed (FAIL)")
    p.add_argument("--keep-tmp", action="store_true", help="keep the temporary data dir (server log, SQLite file)")
    p.add_argument("--output", type=Path, default=RESULTS_DIR / "latest.json", help="JSON results file")
    ns = p.parse_args(argv)
    if ns.warmup < 0:
        p.error("--warmup cannot be negative")
    if ns.rounds <= 0 or ns.duration <= 0 or ns.connections <= 0 or ns.workers <= 0 or ns.wrk_threads <= 0:
        p.error("--rounds, --duration, --connections, --workers and --wrk-threads must be positive")
    if ns.wrk_threads > ns.connections:
        p.error("--wrk-threads cannot exceed --connections")

    raise_on_signals()

    tmp = tempfile.mkdtemp(prefix="satupintu-bench-")
    try:
        return _bench(ns, tmp)
    except SetupError as exc:
        log(f"ERROR: {exc}")
        return 2
    except Interrupted as exc:
        log(f"interrupted ({exc})")
        return 130
    except Exception:  # a bug or an unexpected answer: still "could not run", not a FAIL
        import traceback

        log("ERROR: unexpected exception:\n" + traceback.format_exc())
        return 2
    finally:
        # Whatever happened (error, Ctrl+C, SIGTERM), the server does not outlive the script.
        while _ACTIVE:
            _ACTIVE.pop().stop()
        if not ns.keep_tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            log(f"temporary data dir kept: {tmp}")


def _bench(ns: argparse.Namespace, tmp: str) -> int:
    if shutil.which("wrk") is None:
        raise SetupError("wrk not found; install it with: apt-get install -y wrk")
    if not SATUPINTU.exists():
        raise SetupError(f"{SATUPINTU} not found; create the venv first (pip install -e .)")

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench_site.settings",
        "PYTHONPATH": os.pathsep.join([str(BENCH_DIR), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "SATUPINTU_DATA_DIR": tmp,  # never ./var
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    for var in ("WEB_CONCURRENCY", "WEB_THREADS", "DB_CONN_MAX_AGE", "CELERY_TASK_ALWAYS_EAGER"):
        if var in env:
            log(f"note: {var}={env[var]} is set in the environment and applies to this run")
    if ns.db == "postgres":
        ensure_postgres(ns.fresh_db)
        env["DATABASE_URL"] = PG_URL
        # The production setup: a shared Redis cache (db 14, flushed below so runs start equal).
        env["CACHE_URL"] = "redis://127.0.0.1:6379/14"
        subprocess.run(["redis-cli", "-n", "14", "flushdb"], check=False, capture_output=True)
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
    server = Server(env, cwd, port, ns.workers, Path(tmp) / "server.log")
    _ACTIVE.append(server)
    server.start()
    server.wait_ready(base + "/bench/bare/")
    log(f"server ready at {base} (process group {server.proc.pid}: {len(server.pids())} processes)")

    # Every endpoint must answer 200 with the right content before it is worth timing.
    checks: dict[str, dict[str, object]] = {}
    problems: list[str] = []
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

    # Rounds: in each, every other endpoint is measured directly between two bare-view runs
    # (bare, catalog, bare, search, bare, ..., bare; each bare run shared by its neighbours),
    # and its ratio for the round is req/s / mean(req/s of the bare runs just before and after).
    # Reported: the median over the rounds, so one disturbed run does not decide the result.
    bare_path = endpoints[0][1]
    others = endpoints[1:]
    runs: list[WrkResult] = []
    warmups: list[dict[str, object]] = []
    rounds: list[dict[str, object]] = []

    def measure(rnd: int, name: str, label: str, path: str) -> WrkResult:
        tag = f"r{rnd} {label}"
        if ns.warmup > 0:
            w = run_wrk(name, base + path, path, ns.warmup, ns.connections, ns.wrk_threads)
            warmups.append({"round": rnd, "endpoint": label, "rps": w.rps, "status": w.status,
                            "socket_errors": w.socket_errors})
            if w.bad_responses or w.errors:
                problems.append(f"{tag} warm-up: {w.bad_responses} non-2xx responses, {w.errors} socket errors "
                                f"(status {w.status}, errors {w.socket_errors})")
        log(f"round {rnd}/{ns.rounds}: measuring {label:<17} {path}  ({ns.duration:g} s, {ns.connections} connections)")
        srv0 = cpu_ticks(server.pids())
        db0 = cpu_ticks(db_backend_pids()) if ns.db == "postgres" else {}
        r = run_wrk(name, base + path, path, ns.duration, ns.connections, ns.wrk_threads)
        srv1 = cpu_ticks(server.pids())
        db1 = cpu_ticks(db_backend_pids()) if ns.db == "postgres" else {}
        r.round, r.label = rnd, label
        if r.requests:
            r.server_cpu_ms_per_req = cpu_delta_ms(srv0, srv1) / r.requests
            # SQLite runs inside the server processes, so its cost is in the server column.
            r.db_cpu_ms_per_req = cpu_delta_ms(db0, db1) / r.requests if ns.db == "postgres" else None
        runs.append(r)
        if r.bad_responses or r.errors:
            problems.append(f"{tag}: {r.bad_responses} non-2xx responses {r.status}, "
                            f"{r.errors} socket errors {r.socket_errors}")
        return r

    load_before = os.getloadavg()
    for rnd in range(1, ns.rounds + 1):
        bares = [measure(rnd, "bare", "bare#1", bare_path)]
        round_ratios: dict[str, float] = {}
        bare_pairs: dict[str, list[float]] = {}
        for i, (name, path) in enumerate(others, start=2):
            r = measure(rnd, name, name, path)
            bares.append(measure(rnd, "bare", f"bare#{i}", bare_path))
            around = (bares[-2].rps + bares[-1].rps) / 2
            round_ratios[name] = r.rps / around if around else 0.0
            bare_pairs[name] = [round(bares[-2].rps, 2), round(bares[-1].rps, 2)]
        rounds.append({"round": rnd, "ratios": {k: round(v, 4) for k, v in round_ratios.items()},
                       "bare_rps_around": bare_pairs, "bare_rps": [round(b.rps, 2) for b in bares]})
        log(f"round {rnd}/{ns.rounds} vs bare: " + ", ".join(f"{k} {v:.2f}x" for k, v in round_ratios.items()))
    load_after = os.getloadavg()
    server.stop()
    _ACTIVE.remove(server)
    server_log_tail = server.log_tail(60)
    if re.search(r"\b(ERROR|CRITICAL|Traceback|WORKER TIMEOUT)\b", server_log_tail):
        problems.append("server log has errors (see 'server_log_tail' in the JSON):\n" + server_log_tail)

    def med(values: list[float | None]) -> float | None:
        vals = [v for v in values if v is not None]
        return statistics.median(vals) if vals else None

    # Per endpoint: medians over its runs (bare: over all bare runs), ratios over the rounds.
    summary: dict[str, dict[str, object]] = {}
    for name, path in endpoints:
        rs = [r for r in runs if r.name == name]
        per_round = [float(rd["ratios"][name]) for rd in rounds] if name != "bare" else []  # type: ignore[index]
        summary[name] = {
            "path": path,
            "runs": len(rs),
            "rps": med([r.rps for r in rs]),
            "p50_ms": med([r.latency_ms.get("p50") for r in rs]),
            "p99_ms": med([r.latency_ms.get("p99") for r in rs]),
            "ratio": med(per_round) if per_round else 1.0,
            "ratio_min": min(per_round) if per_round else None,
            "ratio_max": max(per_round) if per_round else None,
            "ratios_per_round": per_round,
            "server_cpu_ms_per_req": med([r.server_cpu_ms_per_req for r in rs]),
            "db_cpu_ms_per_req": med([r.db_cpu_ms_per_req for r in rs]),
            "non_2xx": sum(r.bad_responses for r in rs),
            "socket_errors": sum(r.errors for r in rs),
        }
    bare_cpu = summary["bare"]["server_cpu_ms_per_req"]
    for s in summary.values():
        cpu = s["server_cpu_ms_per_req"]
        s["cpu_ratio"] = bare_cpu / cpu if bare_cpu is not None and cpu else None  # type: ignore[operator]

    bare_rps = [r.rps for r in runs if r.name == "bare"]
    baseline = summary["bare"]["rps"] or 0.0
    bare_spread = max(bare_rps) / min(bare_rps) if min(bare_rps) else float("inf")
    tracking_ratio = float(summary["tracking_api"]["ratio"])  # type: ignore[arg-type]
    target_met = tracking_ratio >= TARGET_RATIO
    verdict = "PASS" if target_met and not problems else "FAIL"

    # ------------------------------------------------------------------ report
    def fmt(x: object, spec: str, suffix: str = "") -> str:
        return "-" if x is None else f"{x:{spec}}{suffix}"

    out = sys.stdout
    print(f"\nSatu Pintu benchmark: {ns.db}, gunicorn {ns.workers} workers x {env.get('WEB_THREADS', '4')} threads, "
          f"wrk {ns.wrk_threads} thread(s) / {ns.connections} connections, {ns.rounds} round(s) x "
          f"{ns.duration:g} s per run (+{ns.warmup:g} s warm-up), {os.cpu_count()} CPUs", file=out)
    print(f"tracking code {code} ({checks['tracking_api'].get('timeline_events', '?')} timeline events)\n", file=out)
    header = (f"{'endpoint':<18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'vs bare':>9}{'min-max':>12}"
              f"{'cpu ms/req':>12}{'cpu ratio':>11}{'db ms/req':>11}{'non-2xx':>9}{'errors':>8}  path")
    rule = "-" * (len(header) + 34)
    print(header, file=out)
    print(rule, file=out)
    for name, s in summary.items():
        rng = "-" if s["ratio_min"] is None else f"{s['ratio_min']:.2f}-{s['ratio_max']:.2f}"
        print(f"{name:<18}{s['rps']:>9.1f}{fmt(s['p50_ms'], '.2f'):>9}{fmt(s['p99_ms'], '.2f'):>9}"
              f"{s['ratio']:>8.2f}x{rng:>12}{fmt(s['server_cpu_ms_per_req'], '.2f'):>12}"
              f"{fmt(s['cpu_ratio'], '.2f', 'x'):>11}{fmt(s['db_cpu_ms_per_req'], '.2f'):>11}"
              f"{s['non_2xx']:>9}{s['socket_errors']:>8}  {s['path']}", file=out)
    print(rule, file=out)
    print(f"Medians over {ns.rounds} round(s) (bare: over all {len(bare_rps)} bare runs); non-2xx, errors: totals.\n"
          "vs bare = median over the rounds of req/s / mean req/s of the bare runs just before and after it; "
          "min-max = its range over the rounds.\n"
          "cpu ms/req = CPU time of the server's processes per request"
          + (", db ms/req = of the PostgreSQL backends (not in the cpu ratio)" if ns.db == "postgres" else
             " (SQLite runs inside them)")
          + ";\ncpu ratio = bare cpu ms/req / endpoint cpu ms/req: a cross-check that other load on the machine "
          "disturbs less than req/s.", file=out)
    print(f"bare view: median {baseline:.1f} req/s, range {min(bare_rps):.1f}-{max(bare_rps):.1f} "
          f"(max/min {bare_spread:.2f})", file=out)
    if bare_spread > BARE_SPREAD_WARN:
        print(f"WARNING: the bare view's throughput varied by more than {BARE_SPREAD_WARN - 1:.0%} (max/min) "
              "during the run; the machine is noisy: trust the medians and the cpu ratio more than any "
              "single round (or run again with more --rounds).", file=out)
    print(f"load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f}", file=out)
    for msg in problems:
        print(f"!!! PROBLEM: {msg}", file=out)
    print(f"\ntarget: tracking API >= {TARGET_RATIO:.2f}x bare view throughput -> median "
          f"{tracking_ratio:.2f}x: {'met' if target_met else 'NOT met'}", file=out)
    print(f"{verdict}" + ("" if not problems else f" ({len(problems)} problem(s) above count as FAIL)"), file=out)

    def rounded(d: dict[str, object]) -> dict[str, object]:
        return {k: (round(v, 4) if isinstance(v, float) else [round(x, 4) for x in v] if isinstance(v, list) else v)
                for k, v in d.items()}

    result = {
        "verdict": verdict,
        "target": {"endpoint": "tracking_api", "min_ratio_vs_bare": TARGET_RATIO, "ratio": round(tracking_ratio, 4),
                   "ratio_is": "median over rounds", "ratios_per_round": summary["tracking_api"]["ratios_per_round"],
                   "met": target_met},
        "problems": problems,
        "baseline_rps": round(baseline, 2),
        "bare_spread": {"min_rps": round(min(bare_rps), 2), "max_rps": round(max(bare_rps), 2),
                        "max_over_min": round(bare_spread, 4), "warn_above": BARE_SPREAD_WARN},
        "ratios": {k: round(float(s["ratio"]), 4) for k, s in summary.items()},  # type: ignore[arg-type]
        "cpu_ratios": {k: _round(s["cpu_ratio"], 4) for k, s in summary.items()},  # type: ignore[arg-type]
        "cpu_ms_per_req": {k: {"server": _round(s["server_cpu_ms_per_req"]),  # type: ignore[arg-type]
                               "db": _round(s["db_cpu_ms_per_req"])} for k, s in summary.items()},  # type: ignore[arg-type]
        "summary": {k: rounded(s) for k, s in summary.items()},
        "rounds": rounds,
        "results": [
            {**{k: v for k, v in asdict(r).items() if k != "raw"}, "rps": round(r.rps, 2),
             "ratio_vs_bare": rounds[r.round - 1]["ratios"].get(r.name)}  # type: ignore[attr-defined]
            for r in runs
        ],
        "warmups": warmups,
        "checks": checks,
        "config": {
            "db": ns.db, "rounds": ns.rounds, "duration_s": ns.duration, "warmup_s": ns.warmup,
            "connections": ns.connections,
            "wrk_threads": ns.wrk_threads, "workers": ns.workers, "threads": int(env.get("WEB_THREADS", "4")),
            "server": "satupintu serve (gunicorn gthread)", "settings": "bench_site.settings", "tracking_code": code,
            "search_query": SEARCH_QUERY,
        },
        "machine": {
            "cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "wrk": (subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines() or [""])[0].strip(),
            "loadavg_before": load_before, "loadavg_after": load_after,
        },
        "git_commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                                     text=True).stdout.strip(),
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "server_log_tail": server_log_tail,
        "wrk_output": {f"r{r.round} {r.label}": r.raw for r in runs},
    }
    ns.output.parent.mkdir(parents=True, exist_ok=True)
    ns.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {ns.output}", file=out)
    if verdict == "FAIL" and ns.strict:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
