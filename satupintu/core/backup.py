"""`satupintu backup` and `satupintu restore`: one consistent, checksummed archive of the
database and the uploads.

The archive is a plain tar (PDFs and JPEGs do not compress; a PostgreSQL custom dump is
already compressed):

- ``database.sqlite3`` (SQLite: made with the online backup API, so never a copy of a live
  WAL file) or ``database.pgdump`` (PostgreSQL: ``pg_dump -Fc`` of one exported snapshot; the
  row counts and migration state in the manifest are read in that same snapshot);
- ``uploads/<name>`` for every file in the upload storage, read through the storage API, so
  the local disk and an S3 bucket are backed up the same way;
- ``manifest.json`` last: format and version, time, database vendor, applied migrations per
  app, rows per table, size and sha256 of every other member, and a checksum of the manifest
  itself. Being last, a truncated archive has no manifest and is refused.

Next to the archive, ``<archive>.sha256`` in ``sha256sum`` format; restore checks it too
when it is there.

The database is read first and the uploads after, so every file the database refers to
is in the archive (uploads are never changed in place, only added).

Restore checks everything before it touches anything: the archive, every checksum, the
vendor, that this code knows every migration in it (SQLite: also the integrity and row
counts of the copy). Then the database (SQLite: the backup API copies the verified copy
into the live database in one transaction, so every connection, here or in another process,
sees either the old or the restored database; PostgreSQL: ``pg_restore --clean --if-exists
--no-owner --single-transaction``), then the row counts are compared, then the uploads are
replaced (files that are not in the archive are removed). If the database step fails, the
uploads are not touched. Stop the web processes and workers during a restore: what they
write meanwhile is lost.

With ``BACKUP_RECIPIENTS`` the tar stream is encrypted (age) as it is written, and restore
decrypts it into its work folder before any of the checks (`backup_crypto.py`).

The database copies themselves, per vendor, are in `backup_database.py`; the manifest and
BackupError in `backup_contents.py`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import posixpath
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import connection

from satupintu.core.backup_contents import (
    FORMAT,
    MANIFEST,
    VERSION,
    BackupError,
    manifest_checksum,
    read_manifest,
)
from satupintu.core.backup_crypto import EncryptingWriter, decrypt_to, is_encrypted, parse_recipients

# backup._sqlite_copy stays reachable (the tests call it). LOCK_TIMEOUT_SECONDS is not brought
# here on purpose: backup_database reads its own, so a patched copy here would change nothing;
# with no copy, a patch aimed here fails loudly instead.
from satupintu.core.backup_database import _sqlite_copy as _sqlite_copy
from satupintu.core.backup_database import (
    current_counts,
    pg_snapshot,
    restore_postgresql,
    restore_sqlite,
    sqlite_snapshot,
    verify_pg_dump,
    verify_sqlite_copy,
)

__all__ = ["FORMAT", "MANIFEST", "VERSION", "BackupError", "create_backup", "restore_backup"]

UPLOADS = "uploads/"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024


# --- small helpers ---------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _bar(progress: bool, **kwargs: Any):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    return tqdm(file=sys.stderr, disable=not progress, leave=False, **kwargs)


def _safe_upload_name(name: str) -> bool:
    parts = name.split("/")
    return (bool(name) and len(name) <= 1024 and "\\" not in name and "\x00" not in name
            and not name.startswith("/") and all(p not in ("", ".", "..") for p in parts))


def _walk(storage, prefix: str = "") -> Iterator[str]:  # type: ignore[no-untyped-def]
    try:
        dirs, files = storage.listdir(prefix)
    except FileNotFoundError:  # a fresh local storage has no folder yet
        return
    for f in sorted(files):
        if f:  # S3 "folder" marker objects list as an empty name
            yield posixpath.join(prefix, f) if prefix else f
    for d in sorted(dirs):
        yield from _walk(storage, posixpath.join(prefix, d) if prefix else d)


def _upload_names(storage) -> list[str]:  # type: ignore[no-untyped-def]
    try:
        return list(_walk(storage))
    except Exception as e:  # noqa: BLE001 - any storage failure is reported the same way
        raise BackupError(f"Penyimpanan unggahan tidak dapat dibaca: {type(e).__name__}: {e}") from e


class _HashingWriter:
    """The archive file, hashed and counted as tarfile writes it (no second read)."""

    def __init__(self, f: IO[bytes]) -> None:
        self.f, self.digest, self.size = f, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.f.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        self.f.flush()


# --- create ----------------------------------------------------------------------------------


def _default_dest(now: datetime) -> Path:
    suffix = ".tar.age" if settings.BACKUP_RECIPIENTS else ".tar"
    return Path(settings.DATA_DIR) / "backups" / f"satupintu-{now:%Y%m%dT%H%M%SZ}{suffix}"


def _add_member(tar: tarfile.TarFile, name: str, f: IO[bytes], size: int, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o600
    tar.addfile(info, f)


def _stage(src: IO[bytes], staged: IO[bytes]) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    while chunk := src.read(CHUNK):
        staged.write(chunk)
        digest.update(chunk)
        size += len(chunk)
    staged.seek(0)
    return size, digest.hexdigest()


def _write_tar(sink: IO[bytes], db_file: Path, names: list[str], storage: Any, facts: dict, work: str,
               now: datetime, progress: bool) -> None:
    """The archive's members into ``sink``: the database, each upload, the manifest last."""
    vendor, mtime = connection.vendor, now.timestamp()
    db_member = DB_MEMBER[vendor]
    members: dict[str, dict] = {}
    with tarfile.open(fileobj=sink, mode="w", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
        with db_file.open("rb") as f:
            size, digest = db_file.stat().st_size, _sha256_file(db_file)
            members[db_member] = {"size": size, "sha256": digest}
            _add_member(tar, db_member, f, size, mtime)
        uploaded = 0
        with _bar(progress, total=len(names), desc="Unggahan", unit="berkas") as bar:
            for name in names:
                if not _safe_upload_name(name):
                    raise BackupError(f"Nama berkas unggahan tidak aman, tidak dicadangkan: {name!r}")
                with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK, dir=work) as staged:
                    try:
                        with storage.open(name, "rb") as src:
                            size, digest = _stage(src, staged)
                    except Exception as e:  # noqa: BLE001
                        raise BackupError(f"Berkas unggahan {name} tidak dapat dibaca: "
                                          f"{type(e).__name__}: {e}") from e
                    members[UPLOADS + name] = {"size": size, "sha256": digest}
                    _add_member(tar, UPLOADS + name, staged, size, mtime)  # type: ignore[arg-type]
                uploaded += size
                bar.update(1)
        manifest = {
            "format": FORMAT, "version": VERSION, "created_at": now.isoformat().replace("+00:00", "Z"),
            "satupintu_version": _version(),
            "database": {"vendor": vendor, "member": db_member, **facts},
            "uploads": {"storage": f"{type(storage).__module__}.{type(storage).__name__}",
                        "files": len(names), "bytes": uploaded},
            "members": members,
        }
        manifest["checksum"] = manifest_checksum(manifest)
        body = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
        _add_member(tar, MANIFEST, io.BytesIO(body), len(body), mtime)


def create_backup(dest: Path | None = None, *, progress: bool = False) -> dict:
    """Write the archive; returns path, bytes, sha256, tables, rows, files."""
    vendor = connection.vendor
    if vendor not in DB_MEMBER:
        raise BackupError(f"Basis data {vendor} tidak didukung untuk pencadangan.")
    now = datetime.now(UTC).replace(microsecond=0)
    dest = Path(dest) if dest else _default_dest(now)
    if dest.is_dir():
        dest = dest / _default_dest(now).name
    if dest.exists():
        raise BackupError(f"{dest} sudah ada; pilih nama lain (cadangan lama tidak ditimpa).")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BackupError(f"Folder {dest.parent} tidak dapat dibuat: {e}") from e

    storage = storages["default"]
    recipients = parse_recipients(settings.BACKUP_RECIPIENTS)
    partial = dest.with_name(f".{dest.name}.partial")
    try:
        with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".satupintu-backup-") as work:
            db_file = Path(work) / DB_MEMBER[vendor]
            if progress:
                print("Mencadangkan basis data...", file=sys.stderr)
            facts = sqlite_snapshot(db_file) if vendor == "sqlite" else pg_snapshot(db_file)
            # After the database: every file it refers to already exists in the storage.
            names = _upload_names(storage)
            # The owner's alone (0600), whatever the umask: it holds every personal record, TOTP and
            # webhook secret of the instance.
            with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw:
                out = _HashingWriter(raw)
                # Encrypted as it is written (BACKUP_RECIPIENTS): no plaintext archive on the disk.
                sink: Any = EncryptingWriter(out, recipients) if recipients else out
                try:
                    _write_tar(sink, db_file, names, storage, facts, work, now, progress)
                except BaseException:
                    if recipients:
                        with contextlib.suppress(OSError):
                            sink.close()
                    raise
                if recipients:
                    sink.close()
                raw.flush()
                os.fsync(raw.fileno())
            sha256 = out.digest.hexdigest()
            os.replace(partial, dest)
            Path(f"{dest}.sha256").write_text(f"{sha256}  {dest.name}\n", encoding="utf-8")
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Arsip cadangan tidak dapat ditulis ke {dest}: {e}") from e
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    tables = facts["tables"]
    return {"path": dest, "bytes": out.size, "sha256": sha256, "tables": len(tables), "rows": sum(tables.values()),
            "files": len(names), "encrypted_for": len(recipients)}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("satupintu")
    except PackageNotFoundError:
        return ""


# --- verify ----------------------------------------------------------------------------------


def _known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces or [])
    return known


def _check_sidecar(archive: Path) -> None:
    sidecar = Path(f"{archive}.sha256")
    if sidecar.is_file():
        expected = sidecar.read_text(encoding="utf-8").split()[:1]
        if expected and expected[0] != _sha256_file(archive):
            raise BackupError(f"sha256 arsip tidak cocok dengan {sidecar.name}: arsip rusak atau terpotong.")


def _verify(archive: Path, work: Path, progress: bool) -> tuple[dict, Path]:
    """Every check that can be made without changing anything; returns the manifest and the
    extracted database file. ``archive`` is the plain tar (decrypted first when it was not)."""
    try:
        tar = tarfile.open(archive, "r:*")
    except (tarfile.TarError, OSError, EOFError) as e:
        raise BackupError(f"{archive.name} bukan arsip cadangan yang dapat dibaca: {e}") from e
    with tar:
        try:
            listing = tar.getmembers()
        except (tarfile.TarError, OSError, EOFError) as e:
            raise BackupError(f"Arsip rusak atau terpotong: {e}") from e
        members: dict[str, tarfile.TarInfo] = {}
        for info in listing:
            if not info.isfile() or info.name in members:
                raise BackupError(f"Arsip berisi anggota yang tidak diharapkan: {info.name!r}")
            members[info.name] = info
        manifest = read_manifest(tar, members)
        expected_members: dict[str, dict] = manifest.get("members") or {}
        database = manifest.get("database") or {}
        vendor = database.get("vendor")
        if vendor != connection.vendor:
            raise BackupError(f"Cadangan ini dari basis data {vendor}, sedangkan instansi ini memakai "
                              f"{connection.vendor}; pulihkan ke basis data jenis yang sama.")
        unknown = sorted(f"{app}.{name}" for app, names in (database.get("migrations") or {}).items()
                         for name in names if (app, name) not in _known_migrations())
        if unknown:
            shown = ", ".join(unknown[:5]) + (f" dan {len(unknown) - 5} lainnya" if len(unknown) > 5 else "")
            raise BackupError(f"Cadangan memuat migrasi yang tidak dikenal program ini ({shown}): cadangan dibuat "
                              "oleh versi Satu Pintu yang lebih baru; pasang versi itu dulu.")
        missing = sorted(set(expected_members) - set(members))
        extra = sorted(set(members) - set(expected_members) - {MANIFEST})
        if missing or extra:
            raise BackupError(f"Isi arsip tidak sesuai manifest: {len(missing)} anggota hilang "
                              f"{missing[:3]}, {len(extra)} tak terdaftar {extra[:3]}.")
        db_member = database.get("member")
        if db_member != DB_MEMBER[connection.vendor] or db_member not in expected_members:
            raise BackupError("Manifest tidak menyebut berkas basis data yang benar.")
        for name in expected_members:
            if name != db_member and not (name.startswith(UPLOADS) and _safe_upload_name(name[len(UPLOADS):])):
                raise BackupError(f"Nama anggota arsip tidak aman: {name!r}")
        db_file = work / db_member
        total = sum(int(m.get("size", 0)) for m in expected_members.values())
        with _bar(progress, total=total, desc="Memeriksa", unit="B", unit_scale=True) as bar:
            for name, entry in expected_members.items():
                target = db_file.open("wb") if name == db_member else None
                digest, size = hashlib.sha256(), 0
                try:
                    f = tar.extractfile(members[name])
                    while chunk := f.read(CHUNK):  # type: ignore[union-attr]
                        digest.update(chunk)
                        size += len(chunk)
                        if target:
                            target.write(chunk)
                        bar.update(len(chunk))
                except (tarfile.TarError, OSError, EOFError) as e:
                    raise BackupError(f"Anggota {name} tidak dapat dibaca (arsip terpotong?): {e}") from e
                finally:
                    if target:
                        target.close()
                if size != entry.get("size") or digest.hexdigest() != entry.get("sha256"):
                    raise BackupError(f"Checksum {name} tidak cocok: arsip rusak. Tidak ada yang diubah.")
    if connection.vendor == "sqlite":
        verify_sqlite_copy(db_file, database)
    else:
        verify_pg_dump(db_file)
    return manifest, db_file


# --- restore ---------------------------------------------------------------------------------


def _restore_uploads(tar_path: Path, manifest: dict, progress: bool) -> int:
    storage = storages["default"]
    wanted = {name[len(UPLOADS):]: m for name, m in manifest["members"].items() if name.startswith(UPLOADS)}
    current = set(_upload_names(storage))
    with tarfile.open(tar_path, "r:*") as tar, \
            _bar(progress, total=len(wanted), desc="Unggahan", unit="berkas") as bar:
        for name, expected in wanted.items():
            if name in current and _same_file(storage, name, expected):
                bar.update(1)
                continue
            if name in current:
                storage.delete(name)
            f = tar.extractfile(UPLOADS + name)
            saved = storage.save(name, File(f, name=posixpath.basename(name)))  # type: ignore[arg-type]
            if saved != name:
                raise BackupError(f"Berkas {name} tersimpan sebagai {saved}: penyimpanan menolak nama aslinya.")
            bar.update(1)
    for name in sorted(current - set(wanted)):
        storage.delete(name)
    after = set(_upload_names(storage))
    if after != set(wanted):
        raise BackupError(f"Setelah pemulihan, isi penyimpanan unggahan berbeda dari cadangan "
                          f"({len(after - set(wanted))} lebih, {len(set(wanted) - after)} kurang).")
    return len(wanted)


def _same_file(storage, name: str, expected: dict) -> bool:  # type: ignore[no-untyped-def]
    if storage.size(name) != expected["size"]:
        return False
    digest = hashlib.sha256()
    with storage.open(name, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest() == expected["sha256"]


def restore_backup(archive: Path, *, identity: Path | None = None, progress: bool = False) -> dict:
    """Verify, then replace the database and the uploads; returns tables, rows, files.
    ``identity``: the age private key file for an encrypted archive."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Berkas cadangan tidak ditemukan: {archive}")
    vendor = connection.vendor
    if vendor not in DB_MEMBER:
        raise BackupError(f"Basis data {vendor} tidak didukung untuk pemulihan.")
    with tempfile.TemporaryDirectory(prefix="satupintu-restore-") as work:
        _check_sidecar(archive)
        tar_path = archive
        if is_encrypted(archive):
            if progress:
                print("Mendekripsi arsip...", file=sys.stderr)
            tar_path = Path(work) / "archive.tar"
            decrypt_to(archive, identity, tar_path)
        manifest, db_file = _verify(tar_path, Path(work), progress)
        tables: dict[str, int] = manifest["database"]["tables"]
        if progress:
            print("Memulihkan basis data...", file=sys.stderr)
        try:
            if vendor == "sqlite":
                restore_sqlite(db_file)
            else:
                restore_postgresql(db_file, tables)
        except BackupError as e:
            raise BackupError(f"{e} Berkas unggahan tidak diubah.") from e
        except Exception as e:  # noqa: BLE001
            raise BackupError(f"Pemulihan basis data gagal: {type(e).__name__}: {e}. "
                              "Berkas unggahan tidak diubah.") from e
        counts = current_counts()
        if counts != tables:
            differ = sorted(t for t in set(counts) | set(tables) if counts.get(t) != tables.get(t))
            raise BackupError(f"Jumlah baris setelah pemulihan tidak sesuai manifest pada {len(differ)} tabel "
                              f"({', '.join(differ[:5])}); berkas unggahan tidak diubah.")
        try:
            files = _restore_uploads(tar_path, manifest, progress)
        except Exception as e:  # noqa: BLE001 - whatever broke, the operator needs the same advice
            detail = str(e) if isinstance(e, BackupError) else f"{type(e).__name__}: {e}"
            raise BackupError(f"Basis data sudah dipulihkan, tetapi berkas unggahan belum lengkap ({detail}); "
                              "jalankan pemulihan ini sekali lagi.") from e
    return {"tables": len(tables), "rows": sum(tables.values()), "files": files,
            "created_at": manifest.get("created_at"), "pending_migrations": _pending_migrations()}


def _pending_migrations() -> int:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
