"""The machinery of the wrk benchmarks (bench/run_bench.py, bench/whatsapp_webhook.py): the
production server started on a free loopback port in its own process group, wrk with a Lua
script that counts status classes, CPU time per request, and rounds in which every endpoint is
measured directly between two runs of the bare view (bench/bench_site/), with medians.

Machines are noisy, so only ratios within one run mean anything. See bench/README.md.
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
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from common import Interrupted, SetupError, admin_connect, raise_on_signals

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
VENV_BIN = ROOT / ".venv" / "bin"
SATUPINTU = VENV_BIN / "satupintu"
PYTHON = VENV_BIN / "python"
LUA = BENCH_DIR / "status_count.lua"
RESULTS_DIR = BENCH_DIR / "results"
HOST = "127.0.0.1"  # the only host these benchmarks ever send load to
PG_URL_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "satupintu_bench"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
BARE_SPREAD_WARN = 1.25  # warn when max/min of the bare runs' req/s exceeds this


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
    latency_ms: dict[str, float] = field(default_factory=dict)  # p50, p75, p90, p95, p99, p99.9, avg, max
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
    # Percentiles wrk --latency does not print, written by the Lua script's done().
    for key, tag in (("p95", "BENCH_P95_US"), ("p99.9", "BENCH_P999_US")):
        m = re.search(tag + r" (\d+)", out)
        if m:
            r.latency_ms[key] = int(m.group(1)) / 1000.0
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


def run_wrk(name: str, url: str, path: str, seconds: int, connections: int, threads: int, *,
            script: Path = LUA, script_args: Sequence[str] = (), prefix: Sequence[str] = ()) -> WrkResult:
    """wrk with a Lua script that counts status classes (`script` may add to it, as
    webhook_post.lua does; `script_args` go to its init()); `prefix` e.g. taskset."""
    cmd = [
        *prefix, "wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
        "--timeout", "5s", "-s", str(script), url, *(["--", *script_args] if script_args else []),
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




class Server:
    def __init__(self, env: dict[str, str], cwd: str, port: int, workers: int, log_path: Path,
                 prefix: Sequence[str] = ()) -> None:
        self.env, self.cwd, self.port, self.workers, self.log_path = env, cwd, port, workers, log_path
        self.prefix = list(prefix)  # e.g. ["taskset", "-c", "0"]: gunicorn's workers inherit it
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = [*self.prefix, str(SATUPINTU), "serve", "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers)]
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


def round_or_none(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(x, digits)


ACTIVE_SERVERS: list[Server] = []  # started servers, stopped in run_guarded()'s finally


def start_server(env: dict[str, str], cwd: str, port: int, workers: int, ready_url: str,
                 prefix: Sequence[str] = ()) -> Server:
    """`satupintu serve` in `cwd` (its log there too), stopped by run_guarded() whatever happens."""
    server = Server(env, cwd, port, workers, Path(cwd) / "server.log", prefix)
    ACTIVE_SERVERS.append(server)
    server.start()
    server.wait_ready(ready_url)
    log(f"server ready at {ready_url} (process group {server.proc.pid if server.proc else '?'}: "
        f"{len(server.pids())} processes)")
    return server


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET (or POST `data`) without following redirects: status, headers, body."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=data, headers=headers or {}), timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


# ------------------------------------------------------- pieces the benchmarks share

def add_common_args(p: argparse.ArgumentParser, *, connections: int, output: Path) -> None:
    """The options every wrk benchmark here has (bench/whatsapp_webhook.py too)."""
    p.add_argument("--rounds", type=int, default=3,
                   help="rounds; each measures every endpoint between two bare runs; medians reported (default 3)")
    p.add_argument("--duration", type=int, default=5, help="whole seconds measured per run (default 5)")
    p.add_argument("--connections", type=int, default=connections,
                   help=f"concurrent keep-alive connections (default {connections})")
    p.add_argument("--db", choices=("postgres", "sqlite"), default="postgres", help="database (default postgres)")
    p.add_argument("--wrk-threads", type=int, default=1,
                   help="wrk threads (default 1: wrk shares the CPUs with the server; one thread is plenty)")
    p.add_argument("--warmup", type=int, default=1, help="whole warm-up seconds before each run, discarded (default 1)")
    p.add_argument("--fresh-db", action="store_true", help="postgres: drop and recreate the bench database first")
    p.add_argument("--strict", action="store_true", help="exit 1 when the target is missed (FAIL)")
    p.add_argument("--keep-tmp", action="store_true", help="keep the temporary data dir (server log, SQLite file)")
    p.add_argument("--output", type=Path, default=output, help=f"JSON results file (default {output})")


def check_common_args(p: argparse.ArgumentParser, ns: argparse.Namespace) -> None:
    if ns.warmup < 0:
        p.error("--warmup cannot be negative")
    if ns.rounds <= 0 or ns.duration <= 0 or ns.connections <= 0 or ns.wrk_threads <= 0:
        p.error("--rounds, --duration, --connections and --wrk-threads must be positive")
    if ns.wrk_threads > ns.connections:
        p.error("--wrk-threads cannot exceed --connections")


def run_guarded(ns: argparse.Namespace, bench: Callable[[argparse.Namespace, str], int]) -> int:
    """Runs bench(ns, tmp) in a fresh temporary dir and turns what can go wrong into exit codes
    (2 = could not run, 130 = interrupted); the servers and the dir never outlive it."""
    raise_on_signals()

    tmp = tempfile.mkdtemp(prefix="satupintu-bench-")
    try:
        return bench(ns, tmp)
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
        while ACTIVE_SERVERS:
            ACTIVE_SERVERS.pop().stop()
        if not ns.keep_tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            log(f"temporary data dir kept: {tmp}")


def bench_env(tmp: str, db: str, fresh_db: bool) -> dict[str, str]:
    """The environment of the server and every other child: production settings plus the bench
    URLs, data in `tmp`, and for PostgreSQL the bench database and a Redis cache (flushed)."""
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
    if db == "postgres":
        ensure_postgres(fresh_db)
        env["DATABASE_URL"] = PG_URL
        # The production setup: a shared Redis cache (db 14, flushed below so runs start equal).
        env["CACHE_URL"] = "redis://127.0.0.1:6379/14"
        subprocess.run(["redis-cli", "-n", "14", "flushdb"], check=False, capture_output=True)
    return env


class Measurer:
    """wrk runs against one server: each after a discarded warm-up, with the CPU time of the
    server's processes (and of the PostgreSQL backends) around it. Keeps every run, every
    warm-up and every problem (non-2xx, socket errors)."""

    def __init__(self, ns: argparse.Namespace, base: str, server: Server, *,
                 scripts: dict[str, tuple[Path, Sequence[str]]] | None = None, wrk_prefix: Sequence[str] = (),
                 settle_path: str | None = None) -> None:
        self.ns, self.base, self.server = ns, base, server
        # Fetched after every wrk run when set. wrk stops with requests in flight, which the server
        # still answers (to no one); a request sent after them returns once they are done (on a
        # server with few threads they are served in order), so the next run does not pay for them.
        self.settle_path = settle_path
        self.pg = ns.db == "postgres"
        self.scripts = scripts or {}  # endpoint name -> (Lua script, its arguments); default LUA
        self.wrk_prefix = list(wrk_prefix)
        self.runs: list[WrkResult] = []
        self.warmups: list[dict[str, object]] = []  # for the JSON
        self.warmup_runs: list[WrkResult] = []
        self.problems: list[str] = []

    def _wrk(self, name: str, path: str, seconds: int) -> WrkResult:
        script, args = self.scripts.get(name, (LUA, ()))
        r = run_wrk(name, self.base + path, path, seconds, self.ns.connections, self.ns.wrk_threads,
                    script=script, script_args=args, prefix=self.wrk_prefix)
        if self.settle_path is not None:
            fetch(self.base + self.settle_path)
        return r

    def measure(self, rnd: int, name: str, label: str, path: str) -> WrkResult:
        ns, tag = self.ns, f"r{rnd} {label}"
        if ns.warmup > 0:
            w = self._wrk(name, path, ns.warmup)
            self.warmup_runs.append(w)
            self.warmups.append({"round": rnd, "endpoint": label, "rps": w.rps, "status": w.status,
                                 "socket_errors": w.socket_errors})
            if w.bad_responses or w.errors:
                self.problems.append(f"{tag} warm-up: {w.bad_responses} non-2xx responses, {w.errors} socket errors "
                                     f"(status {w.status}, errors {w.socket_errors})")
        log(f"round {rnd}/{ns.rounds}: measuring {label:<17} {path}  ({ns.duration:g} s, {ns.connections} connections)")
        srv0 = cpu_ticks(self.server.pids())
        db0 = cpu_ticks(db_backend_pids()) if self.pg else {}
        r = self._wrk(name, path, ns.duration)
        srv1 = cpu_ticks(self.server.pids())
        db1 = cpu_ticks(db_backend_pids()) if self.pg else {}
        r.round, r.label = rnd, label
        if r.requests:
            r.server_cpu_ms_per_req = cpu_delta_ms(srv0, srv1) / r.requests
            # SQLite runs inside the server processes, so its cost is in the server column.
            r.db_cpu_ms_per_req = cpu_delta_ms(db0, db1) / r.requests if self.pg else None
        self.runs.append(r)
        if r.bad_responses or r.errors:
            self.problems.append(f"{tag}: {r.bad_responses} non-2xx responses {r.status}, "
                                 f"{r.errors} socket errors {r.socket_errors}")
        return r

    def rounds(self, bare_path: str, others: list[tuple[str, str]]) -> list[dict[str, object]]:
        """In each round every other endpoint is measured directly between two bare-view runs
        (bare, a, bare, b, ..., bare; each bare run shared by its neighbours), and its ratio for the
        round is req/s / mean(req/s of the bare runs just before and after). Reported later: the
        median over the rounds, so one disturbed run does not decide the result."""
        rounds: list[dict[str, object]] = []
        for rnd in range(1, self.ns.rounds + 1):
            bares = [self.measure(rnd, "bare", "bare#1", bare_path)]
            round_ratios: dict[str, float] = {}
            bare_pairs: dict[str, list[float]] = {}
            for i, (name, path) in enumerate(others, start=2):
                r = self.measure(rnd, name, name, path)
                bares.append(self.measure(rnd, "bare", f"bare#{i}", bare_path))
                around = (bares[-2].rps + bares[-1].rps) / 2
                round_ratios[name] = r.rps / around if around else 0.0
                bare_pairs[name] = [round(bares[-2].rps, 2), round(bares[-1].rps, 2)]
            rounds.append({"round": rnd, "ratios": {k: round(v, 4) for k, v in round_ratios.items()},
                           "bare_rps_around": bare_pairs, "bare_rps": [round(b.rps, 2) for b in bares]})
            log(f"round {rnd}/{self.ns.rounds} vs bare: " + ", ".join(f"{k} {v:.2f}x" for k, v in round_ratios.items()))
        return rounds


def stop_and_check(server: Server, problems: list[str]) -> str:
    """Stops the server; returns its log's tail, a problem if it holds an error."""
    server.stop()
    ACTIVE_SERVERS.remove(server)
    tail = server.log_tail(60)
    if re.search(r"\b(ERROR|CRITICAL|Traceback|WORKER TIMEOUT)\b", tail):
        problems.append("server log has errors (see 'server_log_tail' in the JSON):\n" + tail)
    return tail


def med(values: Sequence[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def summarize(endpoints: list[tuple[str, str]], runs: list[WrkResult],
              rounds: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    """Per endpoint: medians over its runs (bare: over all bare runs), ratios over the rounds."""
    summary: dict[str, dict[str, object]] = {}
    for name, path in endpoints:
        rs = [r for r in runs if r.name == name]
        per_round = [float(rd["ratios"][name]) for rd in rounds] if name != "bare" else []  # type: ignore[index]
        summary[name] = {
            "path": path,
            "runs": len(rs),
            "rps": med([r.rps for r in rs]),
            "p50_ms": med([r.latency_ms.get("p50") for r in rs]),
            "p95_ms": med([r.latency_ms.get("p95") for r in rs]),
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
    return summary


def bare_spread(runs: list[WrkResult], out: TextIO) -> dict[str, float]:
    """The bare view's range over the run; printed (with a warning when the machine was noisy)."""
    rps = [r.rps for r in runs if r.name == "bare"]
    spread = max(rps) / min(rps) if min(rps) else float("inf")
    print(f"bare view: median {statistics.median(rps):.1f} req/s, range {min(rps):.1f}-{max(rps):.1f} "
          f"(max/min {spread:.2f})", file=out)
    if spread > BARE_SPREAD_WARN:
        print(f"WARNING: the bare view's throughput varied by more than {BARE_SPREAD_WARN - 1:.0%} (max/min) "
              "during the run; the machine is noisy: trust the medians and the cpu ratio more than any "
              "single round (or run again with more --rounds).", file=out)
    return {"min_rps": round(min(rps), 2), "max_rps": round(max(rps), 2), "max_over_min": round(spread, 4),
            "warn_above": BARE_SPREAD_WARN}


def rounded(d: dict[str, object]) -> dict[str, object]:
    return {k: (round(v, 4) if isinstance(v, float) else [round(x, 4) for x in v] if isinstance(v, list) else v)
            for k, v in d.items()}


def run_records(runs: list[WrkResult], rounds: list[dict[str, object]]) -> list[dict[str, object]]:
    """Every measured run for the JSON (without wrk's raw output, which goes apart)."""
    return [
        {**{k: v for k, v in asdict(r).items() if k != "raw"}, "rps": round(r.rps, 2),
         "ratio_vs_bare": rounds[r.round - 1]["ratios"].get(r.name)}  # type: ignore[attr-defined]
        for r in runs
    ]


def machine_info(load_before: tuple[float, float, float], load_after: tuple[float, float, float]) -> dict[str, object]:
    return {
        "cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
        "wrk": (subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines() or [""])[0].strip(),
        "loadavg_before": load_before, "loadavg_after": load_after,
    }


def git_commit() -> str:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()


def finish(ns: argparse.Namespace, result: dict[str, object], runs: list[WrkResult], server_log_tail: str,
           loads: tuple[tuple[float, float, float], tuple[float, float, float]]) -> int:
    """Writes the JSON results (with the machine, the commit, the server log's tail and wrk's
    output added) to --output; the exit code: 1 for a FAIL with --strict, else 0."""
    result.update({
        "machine": machine_info(*loads),
        "git_commit": git_commit(),
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "server_log_tail": server_log_tail,
        "wrk_output": {f"r{r.round} {r.label}": r.raw for r in runs},
    })
    ns.output.parent.mkdir(parents=True, exist_ok=True)
    ns.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {ns.output}")
    return 1 if result["verdict"] == "FAIL" and ns.strict else 0


def fmt(x: object, spec: str, suffix: str = "") -> str:
    return "-" if x is None else f"{x:{spec}}{suffix}"


# A column of the results table: title, key in an endpoint's summary ("range": the ratio's
# min-max over the rounds), width, format spec, suffix.
Column = tuple[str, str, int, str, str]


def print_table(summary: dict[str, dict[str, object]], columns: Sequence[Column], out: TextIO,
                name_width: int = 18) -> None:
    """One row per endpoint, then its path."""
    header = f"{'endpoint':<{name_width}}" + "".join(f"{c[0]:>{c[2]}}" for c in columns) + "  path"
    rule = "-" * (len(header) + 30)
    print(header, file=out)
    print(rule, file=out)
    for name, s in summary.items():
        cells = []
        for _title, key, width, spec, suffix in columns:
            if key == "range":
                cell = "-" if s["ratio_min"] is None else f"{s['ratio_min']:.2f}-{s['ratio_max']:.2f}"
            else:
                cell = fmt(s[key], spec, suffix)
            cells.append(f"{cell:>{width}}")
        print(f"{name:<{name_width}}" + "".join(cells) + f"  {s['path']}", file=out)
    print(rule, file=out)
