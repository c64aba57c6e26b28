"""`satupintu backup` / `satupintu restore`: a restore gives back exactly what was backed up
(every table's rows, every upload's bytes), a damaged or foreign archive changes nothing, and
the command works end to end. Runs on SQLite and on PostgreSQL (whichever DATABASE_URL says)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, connections

from satupintu.core import backup, backup_database
from satupintu.core.backup import BackupError, create_backup, restore_backup
from satupintu.feedback import reports
from satupintu.feedback.models import ReportAttachment
from satupintu.services.models import Application, Document
from tests.conftest import png_bytes, upload
from tests.core.test_storage import _use_bucket, s3_server  # noqa: F401 - s3_server is a fixture

# Transactional: restore replaces the database under Django's feet (pg_restore runs in its own
# session), so nothing may sit in an open test transaction. Serialized rollback puts the
# migrated offices and catalog back for the tests that follow.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# --- what "the same data" means ----------------------------------------------------------------


def _tables(cur, vendor: str) -> list[str]:  # type: ignore[no-untyped-def]
    if vendor == "sqlite":
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return sorted(r[0] for r in cur.fetchall())


def _plain(value):  # type: ignore[no-untyped-def]
    return bytes(value) if isinstance(value, memoryview) else value


def fingerprint(cur, vendor: str) -> dict[str, tuple[int, str]]:  # type: ignore[no-untyped-def]
    """Per table: row count and a hash of every row (all columns), independent of row order."""
    result = {}
    for table in _tables(cur, vendor):
        cur.execute(f'SELECT * FROM "{table}"')
        rows = sorted(repr(tuple(_plain(v) for v in row)) for row in cur.fetchall())
        result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def db_fingerprint() -> dict[str, tuple[int, str]]:
    with connection.cursor() as cur:
        return fingerprint(cur, connection.vendor)


def local_uploads(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def upload_root() -> Path:
    return Path(django_settings.STORAGES["default"]["OPTIONS"]["location"])


def build_data(submit) -> dict:  # type: ignore[no-untyped-def]
    """Real data through the domain functions: applications with documents, a complaint
    with an attachment."""
    apps = [submit(), submit(name="Muhammad Ilham", nik="7322021203880002", phone="081234560002"),
            submit(name="Siti Nurhaliza", nik="7322035011950003", phone="081234560003")]
    report = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Antrean loket lama sekali",
        text="Antrean legalisir di loket PTSP memakan waktu tiga jam pada hari Senin pagi.", name="Budi Santoso",
        email="budi@contoh.id", files=[upload("bukti.png", png_bytes(), "image/png")]))
    assert Document.objects.count() >= 3 and report.attachments.count() == 1
    return {"apps": apps, "report": report}


def change_everything(storage) -> None:  # type: ignore[no-untyped-def]
    """Deleted, added and altered rows; deleted, added and altered files."""
    docs = list(Document.objects.order_by("pk"))
    storage.delete(docs[0].file.name)
    altered = docs[1].file.name
    storage.delete(altered)
    assert storage.save(altered, ContentFile(b"%PDF-1.4 bukan berkas aslinya %%EOF")) == altered
    storage.save("liar/berkas-tambahan.pdf", ContentFile(b"tidak ada di cadangan"))
    Document.objects.filter(pk=docs[0].pk).delete()
    ReportAttachment.objects.all().delete()
    Application.objects.filter(pk=docs[2].application_id).update(applicant_name="Nama Diubah")


# --- round trip ------------------------------------------------------------------------------------


@transactional
@pytest.mark.parametrize("where", ["local", "s3"])
def test_restore_gives_back_every_row_and_every_file(where, submit, tmp_path, request):
    if where == "s3":
        bucket = _use_bucket(request.getfixturevalue("monkeypatch"), request.getfixturevalue("settings"),
                             tmp_path, request.getfixturevalue("s3_server"), prefix="cadangan")

        def files() -> dict[str, str]:
            return {k.removeprefix("cadangan/"): hashlib.sha256(v).hexdigest() for k, v in bucket.objects().items()}
    else:
        def files() -> dict[str, str]:
            return local_uploads(upload_root())
    storage = storages["default"]
    build_data(submit)
    before_db, before_files = db_fingerprint(), files()
    assert len(before_files) == Document.objects.count() + ReportAttachment.objects.count()

    archive = tmp_path / "cadangan" / "uji.tar"
    made = create_backup(archive)
    assert made["path"] == archive and archive.is_file()
    assert archive.stat().st_mode & 0o077 == 0  # every record of the instance: the owner's alone
    assert made["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest() and made["bytes"] == archive.stat().st_size
    assert Path(f"{archive}.sha256").read_text().split() == [made["sha256"], "uji.tar"]
    assert made["files"] == len(before_files)
    assert made["tables"] == len(before_db) and made["rows"] == sum(n for n, _ in before_db.values())
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["tables"] == {t: n for t, (n, _) in before_db.items()}
    assert "0001_initial" in manifest["database"]["migrations"]["services"]
    assert set(manifest["members"]) == {backup.DB_MEMBER[connection.vendor]} | {f"uploads/{n}" for n in before_files}
    assert {n.removeprefix("uploads/"): m["sha256"] for n, m in manifest["members"].items()
            if n.startswith("uploads/")} == before_files

    change_everything(storage)
    submit(name="Ahmad Fauzi", nik="7322040101850004", phone="081234560004")
    assert db_fingerprint() != before_db and files() != before_files

    restored = restore_backup(archive)
    assert (restored["tables"], restored["rows"], restored["files"]) == (made["tables"], made["rows"], made["files"])
    assert restored["pending_migrations"] == 0
    assert db_fingerprint() == before_db
    assert files() == before_files
    # The restored database is the one the app uses: the documents open through the ORM.
    doc = Document.objects.order_by("pk").first()
    with doc.file.open("rb") as f:  # type: ignore[union-attr]
        assert hashlib.sha256(f.read()).hexdigest() == doc.sha256  # type: ignore[union-attr]


# --- damaged, foreign, unknown: refused before anything changes --------------------------------


def _rewrite(src: Path, dest: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the archive with the manifest edited (and its checksum made to match again)."""
    with tarfile.open(src) as tar, tarfile.open(dest, "w") as out:
        for info in tar.getmembers():
            data = tar.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == "manifest.json":
                manifest = json.loads(data)
                edit(manifest)
                manifest["checksum"] = backup.manifest_checksum(manifest)
                data = json.dumps(manifest).encode()
                info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return dest


def _flip_byte_in(archive: Path, member_prefix: str, dest: Path) -> Path:
    data = bytearray(archive.read_bytes())
    with tarfile.open(archive) as tar:
        info = next(i for i in tar.getmembers() if i.name.startswith(member_prefix))
    data[info.offset_data + info.size // 2] ^= 0xFF
    dest.write_bytes(bytes(data))
    return dest


@transactional
def test_damaged_or_foreign_archives_are_refused_and_nothing_changes(submit, tmp_path):
    build_data(submit)
    archive = create_backup(tmp_path / "baik.tar")["path"]
    submit(name="Ahmad Fauzi", nik="7322040101850004", phone="081234560004")  # the current data differs from the archive
    before_db, before_files = db_fingerprint(), local_uploads(upload_root())

    flipped = _flip_byte_in(archive, "uploads/", tmp_path / "dibalik.tar")
    (tmp_path / "dibalik.tar.sha256").write_text(Path(f"{archive}.sha256").read_text().replace("baik", "dibalik"))
    truncated = tmp_path / "terpotong.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    foreign = tmp_path / "asing.tar"
    with tarfile.open(foreign, "w") as tar:
        tar.add(__file__, arcname="catatan.py")
    not_a_tar = tmp_path / "acak.tar"
    not_a_tar.write_bytes(os.urandom(5000))
    other_vendor = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def more_rows(m: dict) -> None:
        m["database"]["tables"]["services_application"] += 1

    cases = {
        # The sidecar catches it first; without the sidecar the member checksum does.
        flipped: "sha256 arsip tidak cocok",
        _flip_byte_in(archive, "uploads/", tmp_path / "dibalik-tanpa-sidecar.tar"): "Checksum uploads/",
        _flip_byte_in(archive, "database.", tmp_path / "db-dibalik.tar"): "Checksum database.",
        truncated: "terpotong",
        foreign: "bukan cadangan Satu Pintu",
        not_a_tar: "bukan arsip cadangan",
        _flip_byte_in(archive, "manifest.json", tmp_path / "manifest-dibalik.tar"): "manifest",
        _rewrite(archive, tmp_path / "vendor.tar", lambda m: m["database"].update(vendor=other_vendor)):
            f"dari basis data {other_vendor}",
        _rewrite(archive, tmp_path / "migrasi.tar",
                 lambda m: m["database"]["migrations"]["services"].append("0999_dari_masa_depan")):
            "services.0999_dari_masa_depan",
        _rewrite(archive, tmp_path / "versi.tar", lambda m: m.update(version=99)): "Versi format cadangan 99",
        # A manifest made by hand (its checksum recomputed) with the wrong shapes: was a traceback.
        _rewrite(archive, tmp_path / "daftar.tar", lambda m: m.update(members=[])): r"\(bagian members\)",
        _rewrite(archive, tmp_path / "tabel.tar", lambda m: m["database"].update(tables={"x": "1"})):
            r"\(bagian database\.tables\)",
        _rewrite(archive, tmp_path / "migrasi-angka.tar", lambda m: m["database"].update(migrations={"a": 1})):
            r"\(bagian database\.migrations\)",
    }
    if connection.vendor == "sqlite":  # the copy is opened and counted before anything changes
        cases[_rewrite(archive, tmp_path / "baris.tar", more_rows)] = "Jumlah baris salinan"
    for path, message in cases.items():
        with pytest.raises(BackupError, match=message if message.startswith(r"\(") else message.replace(".", r"\.")):
            restore_backup(path)
        assert db_fingerprint() == before_db, path.name
        assert local_uploads(upload_root()) == before_files, path.name


@transactional
def test_a_failed_database_step_leaves_the_uploads_alone(submit, tmp_path, monkeypatch):
    build_data(submit)
    archive = create_backup(tmp_path / "cadangan.tar")["path"]
    change_everything(storages["default"])
    before_db, before_files = db_fingerprint(), local_uploads(upload_root())
    monkeypatch.setattr(backup_database, "LOCK_TIMEOUT_SECONDS", 1)
    holder = _hold_a_lock()  # another process in the middle of a write
    try:
        with pytest.raises(BackupError, match="Berkas unggahan tidak diubah") as refused:
            restore_backup(archive)
        assert "dikunci" in str(refused.value), refused.value
    finally:
        holder.rollback()
        holder.close()
    assert db_fingerprint() == before_db
    assert local_uploads(upload_root()) == before_files


def test_sqlite_copy_waits_for_a_busy_file_database_then_gives_up_unchanged(tmp_path, monkeypatch):
    """The production case: a file database in WAL mode with a worker in a long write."""
    def database(name: str, value: str) -> sqlite3.Connection:
        db = sqlite3.connect(tmp_path / name, isolation_level=None, timeout=0.2)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (v TEXT)")
        db.execute("INSERT INTO t VALUES (?)", [value])
        return db

    source, live = database("cadangan.sqlite3", "dari cadangan"), database("hidup.sqlite3", "data hidup")
    worker = sqlite3.connect(tmp_path / "hidup.sqlite3", isolation_level=None)
    worker.execute("BEGIN IMMEDIATE")
    worker.execute("INSERT INTO t VALUES ('sedang ditulis')")
    monkeypatch.setattr(backup_database, "LOCK_TIMEOUT_SECONDS", 1)
    with pytest.raises(BackupError, match="dikunci"):
        backup._sqlite_copy(source, live)
    worker.rollback()
    assert live.execute("SELECT v FROM t").fetchall() == [("data hidup",)]
    backup._sqlite_copy(source, live)  # once the worker is done, the copy goes through
    assert sqlite3.connect(tmp_path / "hidup.sqlite3").execute("SELECT v FROM t").fetchall() == [("dari cadangan",)]


def test_sqlite_copy_gives_up_at_the_deadline_whatever_the_connections_busy_timeout(tmp_path, monkeypatch):
    """Django opens SQLite with a 20 s busy timeout: each try of the copy would wait that long before
    the deadline was looked at (a restore against a locked database took 21 s with a 1 s deadline)."""
    source = sqlite3.connect(tmp_path / "cadangan.sqlite3", isolation_level=None)
    source.execute("CREATE TABLE t (v TEXT)")
    live = sqlite3.connect(tmp_path / "hidup.sqlite3", isolation_level=None, timeout=30)
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE t (v TEXT)")
    worker = sqlite3.connect(tmp_path / "hidup.sqlite3", isolation_level=None)
    worker.execute("BEGIN IMMEDIATE")
    worker.execute("INSERT INTO t VALUES ('sedang ditulis')")
    monkeypatch.setattr(backup_database, "LOCK_TIMEOUT_SECONDS", 1)
    started = time.monotonic()
    with pytest.raises(BackupError, match="dikunci"):
        backup._sqlite_copy(source, live)
    assert time.monotonic() - started < 15  # a hang guard: about 1 s with the fix, 30 s without
    assert live.execute("PRAGMA busy_timeout").fetchone()[0] == 30000  # the connection's own, given back
    worker.rollback()


def _hold_a_lock():  # type: ignore[no-untyped-def]
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        holder = sqlite3.connect(db["NAME"], uri=str(db["NAME"]).startswith("file:"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE services_application SET applicant_name = applicant_name")
        return holder
    import psycopg

    holder = psycopg.connect(dbname=db["NAME"], host=db["HOST"], port=db["PORT"], user=db["USER"],
                             password=db["PASSWORD"] or None)
    holder.execute("LOCK TABLE services_application IN ACCESS SHARE MODE")
    return holder


# --- the command ---------------------------------------------------------------------------------


@transactional
def test_backup_and_restore_commands_end_to_end(submit, tmp_path):
    """The CLI in a fresh process, on the data dir's own database and uploads."""
    build_data(submit)
    env = {**os.environ, "SATUPINTU_DATA_DIR": str(tmp_path)}  # uploads: tmp_path/uploads, as in this test
    for name in ("UPLOAD_STORAGE", "S3_BUCKET", "SECRET_KEY", "SECRET_KEY_FILE"):
        env.pop(name, None)
    if connection.vendor == "sqlite":
        # The test database lives in memory: give the command a file copy to work on.
        env.pop("DATABASE_URL", None)
        db_file = tmp_path / "satupintu.sqlite3"
        target = sqlite3.connect(db_file)
        connection.connection.backup(target)
        target.close()

        def open_db():  # type: ignore[no-untyped-def]
            return sqlite3.connect(db_file)
    else:
        db = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        connections.close_all()

        def open_db():  # type: ignore[no-untyped-def]
            import psycopg

            return psycopg.connect(dbname=db["NAME"], host=db["HOST"], port=db["PORT"], user=db["USER"])

    def state() -> tuple[dict, dict]:
        conn = open_db()
        try:
            return fingerprint(conn.cursor(), connection.vendor), local_uploads(tmp_path / "uploads")
        finally:
            conn.close()

    command = [str(Path(sys.executable).with_name("satupintu"))]
    before = state()
    archive = tmp_path / "keluar" / "cadangan.tar"
    made = subprocess.run([*command, "backup", "--output", str(archive)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert made.returncode == 0, made.stderr
    assert "Cadangan ditulis" in made.stdout and hashlib.sha256(archive.read_bytes()).hexdigest() in made.stdout
    # The keys are not in the archive; the operator is told which to keep apart, and where they are.
    assert f"simpan salinannya terpisah di tempat aman: SECRET_KEY ({tmp_path / 'secret_key'})" in made.stdout
    assert "tidak dienkripsi" in made.stdout
    with tarfile.open(archive) as tar:
        assert not [n for n in tar.getnames() if "secret_key" in n or n.startswith("signing")]

    conn = open_db()
    with conn:
        conn.cursor().execute("DELETE FROM services_document")
        conn.cursor().execute("UPDATE services_application SET applicant_name = 'Diubah Lewat SQL'")
    conn.close()
    for f in (tmp_path / "uploads").rglob("*"):
        if f.is_file() and f.suffix != ".keep":
            f.write_bytes(b"ditimpa")
            break
    assert state() != before

    restored = subprocess.run([*command, "restore", str(archive), "--yes"], env=env, capture_output=True,
                              text=True, timeout=120)
    assert restored.returncode == 0, restored.stderr
    assert "checksum cocok" in restored.stdout
    assert state() == before
