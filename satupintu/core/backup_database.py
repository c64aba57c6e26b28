"""The database half of `satupintu backup` and `satupintu restore`, per vendor: a consistent
copy out (with the row counts and migration state read from that same copy), the checks of a
copy taken from an archive, and the copy back in. The archive around it (members, checksums,
uploads) is `backup.py`; these are apart because each vendor's copy has its own tools and its
own way to wait on other processes' locks.

SQLite: the online backup API, in one step both ways, so a live WAL database is never copied
as files and a restore is one write transaction. PostgreSQL: ``pg_dump -Fc`` of one exported
snapshot, and ``pg_restore --clean --if-exists --no-owner --single-transaction``, with the
password passed in the environment only.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from django.db import connection, connections

from satupintu.core.backup_contents import BackupError

# How long a copy waits for a lock another process holds (a worker in a long write) before
# it gives up, changing nothing: pg_restore's lock_timeout, SQLite's backup retries.
LOCK_TIMEOUT_SECONDS = 60
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


def _migration_state(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in rows:
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


# --- SQLite ------------------------------------------------------------------------------------


class _LockWait(Exception):
    pass


def _sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """The online backup API in one step (one read transaction on the source, one write
    transaction on the target: consistent, and all or nothing), waiting at most
    LOCK_TIMEOUT_SECONDS for locks; Python's own loop would retry forever."""
    deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS

    def give_up_when_stuck(status: int, remaining: int, total: int) -> None:
        if status in (_SQLITE_BUSY, _SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _LockWait

    # Each try would otherwise wait out the connections' own busy timeout (Django's is 20 s) before
    # the deadline is looked at: short ones while copying, so LOCK_TIMEOUT_SECONDS is the bound.
    saved = [c.execute("PRAGMA busy_timeout").fetchone()[0] for c in (source, target)]
    try:
        for c in (source, target):
            c.execute("PRAGMA busy_timeout = 100")
        source.backup(target, pages=-1, progress=give_up_when_stuck, sleep=0.1)
    except _LockWait:
        raise BackupError(f"Basis data SQLite masih dikunci proses lain setelah {LOCK_TIMEOUT_SECONDS} detik; "
                          "hentikan layanan web dan worker lalu coba lagi.") from None
    except sqlite3.OperationalError as e:
        if "locked" not in str(e):
            raise
        raise BackupError(f"Basis data SQLite dikunci proses lain ({e}); hentikan layanan web dan worker "
                          "lalu coba lagi.") from e
    finally:
        for c, ms in zip((source, target), saved, strict=True):
            c.execute(f"PRAGMA busy_timeout = {int(ms)}")


def sqlite_snapshot(path: Path) -> dict:
    """The live database copied to `path`; returns the copy's rows per table and migrations."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        # One step: the whole database is copied under one read transaction, so a write by
        # another process during the copy cannot tear it.
        _sqlite_copy(connection.connection, target)
        # A self-contained file: no -wal beside it, whatever mode the live database uses.
        target.execute("PRAGMA journal_mode=DELETE")
        return _sqlite_facts(target)
    except sqlite3.Error as e:
        raise BackupError(f"Salinan basis data SQLite gagal: {e}") from e
    finally:
        target.close()


def _sqlite_facts(db: sqlite3.Connection) -> dict:
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    counts = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    migrations = (db.execute("SELECT app, name FROM django_migrations").fetchall()
                  if "django_migrations" in counts else [])
    return {"tables": counts, "migrations": _migration_state(migrations)}


def verify_sqlite_copy(db_file: Path, database: dict) -> None:
    """The copy from an archive is intact and holds the rows its manifest says (`database`)."""
    try:
        db = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        try:
            check = db.execute("PRAGMA integrity_check").fetchone()[0]
            facts = _sqlite_facts(db)
        finally:
            db.close()
    except sqlite3.Error as e:
        raise BackupError(f"Salinan basis data dalam arsip tidak dapat dibuka: {e}") from e
    if check != "ok":
        raise BackupError(f"Salinan basis data dalam arsip rusak: {check}")
    if facts["tables"] != database.get("tables"):
        raise BackupError("Jumlah baris salinan basis data tidak sesuai manifest.")


def restore_sqlite(db_file: Path) -> None:
    """The verified copy replaces the live database."""
    connections.close_all()
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("Pemulihan tidak dapat berjalan di dalam transaksi.")
    source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        # One step into the live database: a single write transaction, so it is all or nothing
        # and other connections (other processes too) see the restored database afterwards.
        _sqlite_copy(source, connection.connection)
    finally:
        source.close()


# --- PostgreSQL --------------------------------------------------------------------------------


_LIBPQ_OPTIONS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "connect_timeout", "service",
                  "target_session_attrs", "application_name", "options", "passfile"}


def _pg_params() -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and an environment with it (so it
    never shows in `ps`)."""
    from psycopg.conninfo import make_conninfo

    db = connections["default"].settings_dict
    params = {"dbname": db.get("NAME") or "", "host": db.get("HOST") or "", "port": str(db.get("PORT") or ""),
              "user": db.get("USER") or ""}
    params.update({k: str(v) for k, v in (db.get("OPTIONS") or {}).items() if k in _LIBPQ_OPTIONS})
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return make_conninfo(**{k: v for k, v in params.items() if v}), env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise BackupError(f"Program {name} tidak ditemukan: pasang klien PostgreSQL (paket postgresql-client).")


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True)
    except OSError as e:
        raise BackupError(f"{what} tidak dapat dijalankan: {e}") from e
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{what} gagal (kode {result.returncode}): " + " | ".join(detail))


def _pg_table_names(cursor) -> list[str]:  # type: ignore[no-untyped-def]
    cursor.execute("SELECT schemaname, tablename FROM pg_tables "
                   "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2")
    return [t if s == "public" else f"{s}.{t}" for s, t in cursor.fetchall()]


def _pg_quote(table: str) -> str:
    schema, _, name = table.rpartition(".")
    quote = connection.ops.quote_name
    return f"{quote(schema)}.{quote(name)}" if schema else quote(name)


def pg_snapshot(path: Path) -> dict:
    """A custom-format dump to `path`; returns rows per table and migrations read in the same snapshot."""
    import psycopg

    conninfo, env = _pg_params()
    try:
        with psycopg.connect(conninfo, password=env.get("PGPASSWORD"), autocommit=False) as conn:
            cur = conn.cursor()
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]  # type: ignore[index]
            # pg_dump reads exactly what this transaction sees; so do the counts below.
            _run([_pg_tool("pg_dump"), "--format=custom", "--no-password", f"--snapshot={snapshot}",
                  f"--file={path}", f"--dbname={conninfo}"], env, "pg_dump")
            tables = _pg_table_names(cur)
            counts = {}
            for t in tables:
                schema, _, name = t.rpartition(".")
                ident = psycopg.sql.Identifier(*(p for p in (schema, name) if p))
                cur.execute(psycopg.sql.SQL("SELECT count(*) FROM {}").format(ident))
                counts[t] = cur.fetchone()[0]  # type: ignore[index]
            migrations = []
            if "django_migrations" in counts:
                cur.execute("SELECT app, name FROM django_migrations")
                migrations = cur.fetchall()
            conn.rollback()
    except psycopg.Error as e:
        raise BackupError(f"Basis data PostgreSQL tidak dapat dibaca: {e}") from e
    return {"tables": counts, "migrations": _migration_state(migrations)}


def verify_pg_dump(db_file: Path) -> None:
    """pg_restore can read the dump's table of contents, before anything is changed."""
    _run([_pg_tool("pg_restore"), "--list", str(db_file)], {**os.environ}, "Pemeriksaan dump (pg_restore --list)")


def restore_postgresql(db_file: Path, tables: dict[str, int]) -> None:
    """The dump replaces the live database; tables not in `tables` (the manifest's) are dropped."""
    import uuid

    conninfo, env = _pg_params()
    # pg_restore starts with "SET lock_timeout = 0", so PGOPTIONS cannot bound its waits; we
    # watch its session instead and cancel it when it has waited on a lock too long (the
    # single transaction then rolls back and nothing changes).
    env["PGAPPNAME"] = f"satupintu-restore-{uuid.uuid4().hex[:12]}"
    # Our own idle connections hold no locks, but close them so nothing here waits on itself.
    connections.close_all()
    args = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
            "--exit-on-error", "--no-password", f"--dbname={conninfo}", str(db_file)]
    try:
        process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as e:
        raise BackupError(f"pg_restore tidak dapat dijalankan: {e}") from e
    cancelled = False
    while True:
        try:
            out, err = process.communicate(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            pass
        if not cancelled:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = %s "
                               "AND wait_event_type = 'Lock' AND now() - query_start > %s * interval '1 second'",
                               [env["PGAPPNAME"], LOCK_TIMEOUT_SECONDS])
                cancelled = bool(cursor.fetchall())
    connection.close()
    if cancelled:
        raise BackupError(f"Tabel basis data masih dikunci proses lain setelah {LOCK_TIMEOUT_SECONDS} detik; "
                          "pemulihan dibatalkan tanpa perubahan. Hentikan layanan web dan worker lalu coba lagi.")
    if process.returncode != 0:
        detail = (err or out).strip().splitlines()[-5:]
        raise BackupError(f"pg_restore gagal (kode {process.returncode}): " + " | ".join(detail))
    # Tables made by migrations newer than the backup are not in the dump, so --clean leaves
    # them; they must go, or `migrate` would later fail on "already exists".
    with connection.cursor() as cursor:
        extra = [t for t in _pg_table_names(cursor) if t not in tables]
        for t in extra:
            cursor.execute(f"DROP TABLE IF EXISTS {_pg_quote(t)} CASCADE")


# --- both ----------------------------------------------------------------------------------------


def current_counts() -> dict[str, int]:
    """Rows per table in the live database, named as the manifest names them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            tables = [r[0] for r in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()]
            quote = connection.ops.quote_name
            return {t: cursor.execute(f"SELECT count(*) FROM {quote(t)}").fetchone()[0] for t in tables}
        counts = {}
        for t in _pg_table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {_pg_quote(t)}")
            counts[t] = cursor.fetchone()[0]
        return counts
