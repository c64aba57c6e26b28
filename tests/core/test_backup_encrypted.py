"""Backups encrypted to age public keys (BACKUP_RECIPIENTS): no readable archive without the
private key, the standard age format (pyrage opens it as the `age` command would), restore with
``--identity``, and clear refusals (no key, the wrong key, a key file that is not one, a public
key in the settings that is not one). Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pyrage
import pytest
from pyrage import x25519

from satupintu.core import backup_crypto
from satupintu.core.backup import BackupError, create_backup, restore_backup
from tests.core.test_backup import build_data, change_everything, db_fingerprint, local_uploads, upload_root

transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SATUPINTU = str(Path(sys.executable).with_name("satupintu"))


def _key(tmp_path: Path, name: str = "kunci.txt") -> tuple[Path, str]:
    path = tmp_path / name
    return path, backup_crypto.write_identity(path)


@transactional
def test_an_encrypted_backup_reads_only_with_its_private_key_and_restores_exactly(submit, tmp_path, settings):
    from django.core.files.storage import storages

    key, public = _key(tmp_path)
    settings.BACKUP_RECIPIENTS = [public]
    build_data(submit)
    before_db, before_files = db_fingerprint(), local_uploads(upload_root())

    (tmp_path / "cadangan").mkdir()
    made = create_backup(tmp_path / "cadangan")  # a folder: the default name, .tar.age
    archive = made["path"]
    assert archive.name.endswith(".tar.age") and made["encrypted_for"] == 1
    data = archive.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n")
    # Nothing of the tar is readable: no member names, no database pages.
    assert b"manifest.json" not in data and b"SQLite format" not in data and b"uploads/" not in data
    with pytest.raises(tarfile.TarError):
        tarfile.open(archive).getmembers()
    # Standard age: the private key alone opens it into the plain archive.
    identity = x25519.Identity.from_str(key.read_text().splitlines()[-1])
    with tarfile.open(fileobj=io.BytesIO(pyrage.decrypt(data, [identity]))) as tar:
        assert "manifest.json" in tar.getnames()

    change_everything(storages["default"])
    changed_db, changed_files = db_fingerprint(), local_uploads(upload_root())
    # Without the key, with another key, with a file that is no key: refused, nothing changed.
    other, _ = _key(tmp_path, "kunci-lain.txt")
    not_a_key = tmp_path / "bukan-kunci.txt"
    not_a_key.write_text("# catatan\nbukan kunci\n")
    for identity_file, message in ((None, "--identity"), (other, "kunci yang salah"),
                                   (not_a_key, "bukan berkas kunci age"), (tmp_path / "tidak-ada.txt", "tidak dapat dibaca")):
        with pytest.raises(BackupError, match=message):
            restore_backup(archive, identity=identity_file)
        assert db_fingerprint() == changed_db and local_uploads(upload_root()) == changed_files

    # A damaged payload (the sidecar not copied along) is said to be damaged, not a disk problem.
    damaged = tmp_path / "rusak.tar.age"
    body = bytearray(data)
    body[len(body) // 2] ^= 0xFF
    damaged.write_bytes(bytes(body))
    with pytest.raises(BackupError, match="rusak atau terpotong"):
        restore_backup(damaged, identity=key)
    # A key file saved by a Windows editor (with a BOM) still opens it.
    bom = tmp_path / "kunci-bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + key.read_bytes().replace(b"\n", b"\r\n"))

    restored = restore_backup(archive, identity=bom)
    assert (restored["tables"], restored["rows"], restored["files"]) == (made["tables"], made["rows"], made["files"])
    assert db_fingerprint() == before_db and local_uploads(upload_root()) == before_files


@transactional
def test_a_backup_that_fails_while_encrypting_leaves_no_file_and_no_thread(submit, tmp_path, settings):
    settings.BACKUP_RECIPIENTS = [_key(tmp_path)[1]]
    build_data(submit)
    # An upload name the archive refuses (a backslash), met after the others: halfway through the stream.
    (upload_root() / "zz").mkdir(parents=True, exist_ok=True)
    (upload_root() / "zz" / "a\\b.pdf").write_bytes(b"x")
    threads = threading.active_count()
    with pytest.raises(BackupError, match="tidak aman"):
        create_backup(tmp_path / "gagal.tar.age")
    assert threading.active_count() == threads
    # Neither the archive nor its partial file nor the work folder is left.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kunci.txt", "uploads"]


def test_the_private_key_file_is_the_owners_alone_and_never_overwritten(tmp_path):
    key = tmp_path / "kunci.txt"
    made = subprocess.run([SATUPINTU, "backup-key", str(key)], capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    public = next(line.split(": ", 1)[1] for line in made.stdout.splitlines() if line.startswith("Kunci publik"))
    assert public.startswith("age1") and f"BACKUP_RECIPIENTS={public}" in made.stdout
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert f"# public key: {public}" in key.read_text()
    assert str(x25519.Identity.from_str(key.read_text().splitlines()[-1]).to_public()) == public
    before = key.read_bytes()
    again = subprocess.run([SATUPINTU, "backup-key", str(key)], capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "tidak ditimpa" in again.stderr and key.read_bytes() == before


@pytest.mark.once
def test_a_public_key_that_is_not_one_stops_the_configuration_and_check_says_when_backups_are_plain(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BACKUP_RECIPIENTS")}
    env["SATUPINTU_DATA_DIR"] = str(tmp_path)
    bad = subprocess.run([SATUPINTU, "check"], env={**env, "BACKUP_RECIPIENTS": "age1bukan,ssh-rsa AAAA"},
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert "Konfigurasi salah: BACKUP_RECIPIENTS: 'age1bukan' is not an age public key" in bad.stderr
    assert "Traceback" not in bad.stderr
    plain = subprocess.run([SATUPINTU, "check"], env=env, capture_output=True, text=True, timeout=120)
    assert "PERINGATAN backups" in plain.stdout and "BACKUP_RECIPIENTS" in plain.stdout
    public = str(x25519.Identity.generate().to_public())
    encrypted = subprocess.run([SATUPINTU, "check"], env={**env, "BACKUP_RECIPIENTS": public},
                               capture_output=True, text=True, timeout=120)
    assert "ok   backups" in encrypted.stdout and "1 kunci publik" in encrypted.stdout
