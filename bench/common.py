"""What every benchmark here needs: its two ways to stop (could not run, interrupted), signals
turned into a clean stop, and a PostgreSQL that is up (started when it is down)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


class SetupError(RuntimeError):
    """The benchmark could not run at all (not a miss of a target)."""


class Interrupted(BaseException):
    """SIGTERM, SIGHUP or SIGINT: stop, clean up (servers, databases, temp dirs), exit 130."""


def raise_on_signals() -> None:
    def on_signal(signum: int, _frame: object) -> None:
        raise Interrupted(signal.Signals(signum).name)

    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, on_signal)


def admin_connect(url: str = PG_ADMIN_URL, prefix: str = "bench"):  # type: ignore[no-untyped-def]
    """An autocommit connection to the local PostgreSQL, starting its cluster if it is down."""
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pass
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not versions:
        raise SetupError("PostgreSQL is not reachable at 127.0.0.1:5432 and no /etc/postgresql cluster found")
    for version in versions:
        print(f"[{prefix}] PostgreSQL is down; starting cluster {version}/main", file=sys.stderr, flush=True)
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
    deadline = time.monotonic() + 30
    while True:
        try:
            return psycopg.connect(url, autocommit=True, connect_timeout=3)
        except psycopg.OperationalError as exc:
            if time.monotonic() > deadline:
                raise SetupError(f"PostgreSQL did not come up: {exc}") from exc
            time.sleep(0.5)
