"""Private services for the fault drills: each drill starts its own, on loopback ports in
19000-19999, and stops everything it started. Nothing here touches the shared PostgreSQL
(5432) or Redis (6379).

- ``PrivatePostgres``: a throw-away cluster (initdb as the ``postgres`` user into a temp dir),
  one migrated template database, one fresh copy per drill.
- ``PrivateRedis``: ``redis-server`` without persistence, stopped and started by the drill.
- ``FakeSMTP``: a small SMTP server (the only fake, at the outside boundary) that counts the
  messages it accepted by Message-ID and can be slow on purpose for chosen recipients.
- ``AppProcess``: ``satupintu serve`` / ``worker`` / ``scheduler`` as real subprocesses, each
  in its own process group so a drill can ``kill -9`` a whole worker.
"""

from __future__ import annotations

import logging
import os
import pwd
import random
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path

import httpx

logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request otherwise

PG_BIN = Path("/usr/lib/postgresql/15/bin")
ROOT = Path(__file__).resolve().parents[2]
SATUPINTU = [sys.executable, "-m", "satupintu.cli"]
_taken: set[int] = set()


def free_port() -> int:
    """A free loopback port in 19000-19999 (the range the drills may use)."""
    ports = list(range(19000, 20000))
    random.shuffle(ports)
    for port in ports:
        if port in _taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _taken.add(port)
        return port
    raise RuntimeError("no free port in 19000-19999")


def wait_for(what: str, check, timeout: float, interval: float = 0.1):  # type: ignore[no-untyped-def]
    """Poll ``check()`` until it returns something truthy; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except Exception as exc:  # the thing is not up yet
            last = exc
        else:
            if last:
                return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


def _run(argv: list[str], *, user: str | None = None, timeout: float = 60, check: bool = True, **kw):  # type: ignore[no-untyped-def]
    if user and os.geteuid() == 0:
        argv = ["runuser", "-u", user, "--", *argv]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kw)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    return done


# --- PostgreSQL -----------------------------------------------------------------------------


class PrivatePostgres:
    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="satupintu-drill-pg-"))
        self.data = self.base / "data"
        self.log = self.base / "postgres.log"
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            pw = pwd.getpwnam(self.user)
            os.chown(self.base, pw.pw_uid, pw.pw_gid)
        _run([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
              "--locale=C", "--no-sync"], user=self.user)
        # Loopback only, socket in our own dir; fsync off: the drills test the app, not the disk.
        # Always passed: a bare `pg_ctl start` would fall back to port 5432, the shared server's.
        self.opts = (f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
                     f"-c full_page_writes=off -c max_connections=100")
        self._ctl("start", "-o", self.opts)
        self._copies = 0

    def _ctl(self, *args: str, timeout: float = 60) -> None:
        _run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "30", *args],
             user=self.user, timeout=timeout)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def sql(self, statement: str, db: str = "postgres", params: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=db, autocommit=True,
                             connect_timeout=5) as conn:
            cur = conn.execute(statement, params)
            return cur.fetchall() if cur.description else []

    def is_up(self) -> bool:
        return _run([str(PG_BIN / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)],
                    check=False, timeout=10).returncode == 0

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast", "-o", self.opts)

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def start(self) -> None:
        self._ctl("start", "-o", self.opts)

    def ensure_running(self) -> None:
        if not self.is_up():
            try:
                self.start()
            except RuntimeError:
                pass

    def fresh_database(self, template: str) -> str:
        self._copies += 1
        name = f"drill_{self._copies}_{os.getpid()}"
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def close(self) -> None:
        try:
            self._ctl("stop", "-m", "immediate", timeout=30)
        except Exception:
            pass
        shutil.rmtree(self.base, ignore_errors=True)


# --- Redis ----------------------------------------------------------------------------------


class PrivateRedis:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.dir = workdir / f"redis-{self.port}"
        self.dir.mkdir(parents=True)
        self.proc: subprocess.Popen | None = None  # type: ignore[type-arg]
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir), "--logfile", str(self.dir / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        wait_for("private Redis", self.ping, 10)

    def stop(self) -> None:
        """Gone at once, like a crashed or unreachable Redis (no save: the data is lost)."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def close(self) -> None:
        self.stop()


# --- SMTP -----------------------------------------------------------------------------------


@dataclass
class Received:
    message_id: str
    recipients: list[str]
    subject: str
    at: float


@dataclass
class SlowRule:
    """Be slow for recipients containing ``match`` the first time they are seen: at ``stage``
    ``"rcpt"`` (before the message is sent: a client that dies there never delivered it) or
    ``"data"`` (the message is accepted and stored, then the 250 reply is late: RFC 1047's
    duplicate window)."""

    match: str
    stage: str
    seconds: float
    reached: threading.Event = field(default_factory=threading.Event)
    used: bool = False


class FakeSMTP:
    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[Received] = []
        self.rules: list[SlowRule] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 120

            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")
                self.wfile.flush()

            def slow(self, stage: str, recipients: list[str]) -> None:
                for rule in outer.rules:
                    if rule.stage == stage and not rule.used and any(rule.match in r for r in recipients):
                        rule.used = True
                        rule.reached.set()
                        time.sleep(rule.seconds)

            def handle(self) -> None:
                try:
                    self._session()
                except (OSError, ValueError):  # the client went away (a killed worker)
                    pass

            def _session(self) -> None:
                self.reply("220 fake.smtp ESMTP siap")
                recipients: list[str] = []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.wfile.write(b"250-fake.smtp\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n")
                        self.wfile.flush()
                    elif verb == "MAIL":
                        recipients = []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        recipients.append(line.decode(errors="replace").split(":", 1)[1].strip().strip("<>"))
                        self.slow("rcpt", recipients)
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 akhiri dengan <CRLF>.<CRLF>")
                        chunks = []
                        while True:
                            data = self.rfile.readline()
                            if not data:
                                return  # cut off in the middle: nothing accepted
                            if data in (b".\r\n", b".\n"):
                                break
                            chunks.append(data[1:] if data.startswith(b"..") else data)
                        msg = message_from_bytes(b"".join(chunks))
                        with outer.lock:  # accepted (queued) before the reply, as real servers do
                            outer.received.append(Received(str(msg.get("Message-ID", "")).strip(), recipients,
                                                           str(msg.get("Subject", "")), time.monotonic()))
                        self.slow("data", recipients)
                        self.reply("250 OK diterima")
                    elif verb == "RSET":
                        recipients = []
                        self.reply("250 OK")
                    elif verb == "NOOP":
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 sampai jumpa")
                        return
                    else:
                        self.reply("502 tidak dikenal")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-smtp", daemon=True)
        self.thread.start()

    def slow_for(self, match: str, stage: str, seconds: float) -> SlowRule:
        rule = SlowRule(match, stage, seconds)
        self.rules.append(rule)
        return rule

    def copies(self, message_id: str) -> int:
        with self.lock:
            return sum(1 for r in self.received if r.message_id == message_id)

    def to(self, recipient: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if recipient in r.recipients]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- the app --------------------------------------------------------------------------------


def app_env(*, data_dir: Path, database_url: str, broker_url: str = "filesystem://", cache_url: str = "",
            smtp: FakeSMTP | None = None, site_url: str = "http://127.0.0.1", **extra: str) -> dict[str, str]:
    """The environment of a deployment pointed at the private services only."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CELERY_", "DATABASE_", "CACHE_", "EMAIL_", "DB_", "OUTBOX_", "PYTEST_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "satupintu.settings", "SATUPINTU_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker_url, "CACHE_URL": cache_url,
        "SECRET_KEY": "drill-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1,localhost", "SITE_URL": site_url,
        "LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1", "DB_CONNECT_TIMEOUT": "3",
        # Every drill applies many times from 127.0.0.1: the application limits are not what it tests.
        "APPLICATIONS_PER_CLIENT_PER_HOUR": "100000", "APPLICATIONS_PER_EMAIL_PER_HOUR": "100000",
        "APPLICATIONS_PER_PHONE_PER_HOUR": "100000",
    })
    if smtp is not None:
        env.update({"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "EMAIL_USE_TLS": "0",
                    "EMAIL_TIMEOUT": "120"})
    env.update(extra)
    return env


@dataclass
class MailStack:
    """A deployment on the private PostgreSQL with its own Redis (broker and cache) and fake SMTP."""

    smtp: FakeSMTP
    redis: PrivateRedis
    port: int
    base: str
    env: dict[str, str]


def mail_stack(drill_env, *, lease: int) -> MailStack:  # type: ignore[no-untyped-def]
    """The SMTP server, Redis and environment of a drill; the caller starts web and workers."""
    smtp = drill_env.track(FakeSMTP())
    redis = drill_env.track(PrivateRedis(drill_env.data_dir.parent))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = app_env(data_dir=drill_env.data_dir, database_url=drill_env.pg.url(drill_env.db), broker_url=redis.url,
                  cache_url=redis.url, smtp=smtp, site_url=base, OUTBOX_CLAIM_LEASE_SECONDS=str(lease))
    return MailStack(smtp, redis, port, base, env)


class AppProcess:
    """One ``satupintu`` command in its own process group, its output in a log file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], logs: Path) -> None:
        self.name, self.args, self.env = name, args, env
        self.log_path = logs / f"{name}.log"
        self.proc: subprocess.Popen | None = None  # type: ignore[type-arg]

    def start(self) -> AppProcess:
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen([*SATUPINTU, *self.args], env=self.env, cwd=ROOT, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill_group(self) -> None:
        """kill -9 of the main process and all its children (prefork pool included)."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        try:  # whatever is left of the group (pool children, gunicorn workers)
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self._log.close()


class Supervised:
    """A process started again whenever it exits, after ``restart_sec``: what systemd's
    ``Restart=always`` / ``RestartSec=3`` does for every unit in production (deploy/systemd/).
    A Redis outage can end a Celery worker (kombu restoring unacknowledged messages over the
    lost connection); the drills check that the product recovers the way it is deployed."""

    def __init__(self, process: AppProcess, restart_sec: float = 3.0) -> None:
        self.process, self.restart_sec, self.restarts = process, restart_sec, 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stopping.wait(0.5):
            if not self.process.alive() and not self._stopping.wait(self.restart_sec):
                self.process._log.close()
                self.process.start()
                self.restarts += 1

    def alive(self) -> bool:
        return self.process.alive()

    def log(self) -> str:
        return self.process.log()

    def close(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=10)
        self.process.stop()


def start_web(env: dict[str, str], logs: Path, port: int, *, workers: int = 2) -> AppProcess:
    web = AppProcess("web", ["serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", "4"],
                     env, logs).start()
    wait_for("satupintu serve", lambda: web.alive() and httpx.get(f"http://127.0.0.1:{port}/health/live",
                                                                   timeout=2).status_code == 200, 60, 0.3)
    return web


def start_worker(env: dict[str, str], logs: Path, name: str = "worker", *, concurrency: int = 2) -> AppProcess:
    worker = AppProcess(name, ["worker", "--queues", "notifications", "--concurrency", str(concurrency),
                               "--loglevel", "INFO"], env, logs).start()
    wait_for(f"{name} ready", lambda: worker.alive() and " ready." in worker.log(), 60, 0.3)
    return worker


def migrate(env: dict[str, str]) -> None:
    done = subprocess.run([*SATUPINTU, "manage", "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=180)
    if done.returncode != 0:
        raise RuntimeError(f"migrate failed: {done.stdout}\n{done.stderr}")


# --- citizens -------------------------------------------------------------------------------

SERVICE, OFFICE = "legalisir-ijazah-madrasah", "73.22"
REQUIRED_FILES = ("ijazah_asli", "fotokopi_ijazah", "ktp")


def application_form(n: int, email: str) -> tuple[dict[str, str], dict[str, tuple[str, bytes, str]]]:
    """A valid API submission; ``n`` makes it distinct (not a duplicate of another one)."""
    from tests.conftest import VALID_NIK, VALID_PHONE, pdf_bytes

    data = {"service": SERVICE, "office": OFFICE, "name": "Andi Rahmawati", "nik": VALID_NIK, "phone": VALID_PHONE,
            "email": email, "nama_madrasah": f"MAN {n} Luwu Utara", "jenjang": "MA", "tahun_lulus": "2015",
            "jumlah_lembar": "3"}
    files = {code: (f"{code}.pdf", pdf_bytes(f"{code} {n}"), "application/pdf") for code in REQUIRED_FILES}
    return data, files


def api_apply(base: str, n: int, email: str, *, timeout: float = 15) -> httpx.Response:
    data, files = application_form(n, email)
    return httpx.post(f"{base}/api/v1/applications", data=data, files=files, timeout=timeout)


def outbox_rows(sql, recipient: str) -> list[tuple]:  # type: ignore[no-untyped-def, type-arg]
    return sql("SELECT id, status, attempts FROM notifications_outboxmessage WHERE recipient = %s ORDER BY id",
               (recipient,))
