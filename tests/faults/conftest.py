"""Fault tests: storage that is full or gone (in-process), and drills that start their own
PostgreSQL, Redis, SMTP server, web server and workers (tests marked ``drill``)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def _tmpfs(where: Path, options: str) -> Iterator[Path]:
    """A real small file system mounted at ``where`` for the block, unmounted after."""
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                          capture_output=True, text=True, timeout=10)
    if done.returncode != 0:
        pytest.skip(f"a real full/read-only disk needs `mount -t tmpfs` (root): {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=10)


def _point_uploads_at(settings, location: Path) -> None:  # type: ignore[no-untyped-def]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}},
    }


@pytest.fixture
def full_disk(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploads on a real 256 KiB file system that has only ``free`` bytes left (default 48 KiB):
    small files still fit, a larger one hits ENOSPC halfway through its write."""
    with _tmpfs(tmp_path / "penuh", "size=256k,mode=0755") as where:
        filler = where / "isi-lain.bin"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
        try:  # fill it up for real, then give back a little room
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        os.truncate(filler, max(0, filler.stat().st_size - 48 * 1024))
        _point_uploads_at(settings, where)
        yield where


@pytest.fixture
def read_only_disk(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploads on a file system mounted read-only (EROFS on every write)."""
    with _tmpfs(tmp_path / "hanya-baca", "ro,size=64k") as where:
        _point_uploads_at(settings, where)
        yield where


@pytest.fixture
def storage_is_a_file(settings, tmp_path):  # type: ignore[no-untyped-def]
    """The upload directory was replaced by a plain file (a broken mount point, a bad deploy)."""
    where = tmp_path / "bukan-folder"
    where.write_bytes(b"")
    _point_uploads_at(settings, where)
    return where


def files_under(root: Path, *, ignore: tuple[str, ...] = ("isi-lain.bin",)) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name not in ignore)


# --- drills: private services -----------------------------------------------------------------


@pytest.fixture(scope="session")
def private_pg():  # type: ignore[no-untyped-def]
    """A private PostgreSQL cluster for the drills, with the schema migrated once into a template."""
    from tests.faults import drill

    if not (drill.PG_BIN / "initdb").exists():
        pytest.skip("the drills need PostgreSQL 15 server binaries in /usr/lib/postgresql/15/bin")
    pg = drill.PrivatePostgres()
    try:
        pg.sql('CREATE DATABASE "drill_template"')
        with __import__("tempfile").TemporaryDirectory(prefix="satupintu-drill-migrate-") as data:
            drill.migrate(drill.app_env(data_dir=Path(data), database_url=pg.url("drill_template")))
        yield pg
    finally:
        pg.close()


@pytest.fixture
def drill_env(private_pg, tmp_path):  # type: ignore[no-untyped-def]
    """A fresh database (copy of the migrated template) and a data dir for one drill; the
    processes it starts are stopped at the end, whatever happened."""
    from tests.faults import drill

    private_pg.ensure_running()
    database = private_pg.fresh_database("drill_template")
    started: list = []  # type: ignore[type-arg]

    class Env:
        pg = private_pg
        db = database
        data_dir = tmp_path / "data"
        logs = tmp_path / "logs"

        def track(self, thing):  # type: ignore[no-untyped-def]
            started.append(thing)
            return thing

        def sql(self, statement: str, params: tuple = ()):  # type: ignore[no-untyped-def, type-arg]
            return private_pg.sql(statement, db=database, params=params)

    Env.data_dir.mkdir()
    Env.logs.mkdir()
    try:
        yield Env()
    finally:
        failed_logs = []
        for thing in reversed(started):
            try:
                thing.stop() if hasattr(thing, "stop") and isinstance(thing, drill.AppProcess) else thing.close()
            except Exception as exc:  # keep stopping the others
                failed_logs.append(f"{thing!r}: {exc}")
        private_pg.ensure_running()
        if keep := os.environ.get("DRILL_KEEP_LOGS"):  # a folder to copy each drill's logs into
            import shutil

            shutil.copytree(Env.logs, Path(keep) / tmp_path.name, dirs_exist_ok=True)
        if os.environ.get("DRILL_SHOW_LOGS"):
            for log in sorted(Env.logs.glob("*.log")):
                print(f"----- {log.name} -----\n{log.read_text(errors='replace')[-4000:]}")
        assert not failed_logs, failed_logs
