"""Backups encrypted to public keys, in the age format (https://age-encryption.org).

With ``BACKUP_RECIPIENTS`` set (one or more age public keys, ``age1…``), `satupintu backup`
writes ``….tar.age``: the tar stream goes through age as it is written, so no plaintext
archive touches the disk. The servers hold only the public keys: someone who takes a server
or the backup storage cannot read any archive. The private key (``satupintu backup-key``
makes one) stays with the people who restore, away from the servers; `satupintu restore`
reads it with ``--identity FILE``. The format is the standard one, so the ``age`` command
(Debian package ``age``) can open an archive too: ``age -d -i key.txt FILE.tar.age``.

pyrage (bindings to the Rust age implementation) does the cryptography; this module only
streams into it and reads key files.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from satupintu.core.backup_contents import BackupError

AGE_MAGIC = b"age-encryption.org/v1\n"
ARMOR_MAGIC = b"-----BEGIN AGE ENCRYPTED FILE-----"
PIPE_CHUNK = 1024 * 1024


def parse_recipients(values: Iterable[str]) -> list[Any]:
    """age public keys from ``BACKUP_RECIPIENTS``; ValueError naming the first that is not one."""
    values = list(values)
    if not values:
        return []  # settings call this at every start: no native module loaded for nothing
    from pyrage import x25519

    recipients = []
    for value in values:
        try:
            recipients.append(x25519.Recipient.from_str(value))
        except Exception as e:  # noqa: BLE001 - pyrage raises its own RecipientError (and ValueError)
            shown = value if len(value) <= 80 else value[:77] + "..."
            raise ValueError(f"{shown!r} is not an age public key (age1...)") from e
    return recipients


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(len(ARMOR_MAGIC))
    return head.startswith(AGE_MAGIC) or head.startswith(ARMOR_MAGIC)


class EncryptingWriter:
    """A file-like object for tarfile: what is written goes, encrypted, to ``out``.

    pyrage encrypts from a reader, and tarfile writes to a writer: a pipe joins them, with
    the encryption in a thread reading the pipe. ``close()`` ends the stream (age writes
    its last chunk) and raises what went wrong on the encrypting side.
    """

    def __init__(self, out: Any, recipients: list[Any]) -> None:  # out: a binary file (write, flush)
        import pyrage

        read_fd, write_fd = os.pipe()
        self._reader = os.fdopen(read_fd, "rb", buffering=PIPE_CHUNK)
        self._writer = os.fdopen(write_fd, "wb", buffering=PIPE_CHUNK)
        self._error: BaseException | None = None
        self._size = 0

        def encrypt() -> None:
            try:
                pyrage.encrypt_io(self._reader, out, recipients)
            except BaseException as e:  # noqa: BLE001 - handed to the writing thread in close()
                self._error = e
            finally:
                self._reader.close()  # a writer still writing then gets BrokenPipeError, never hangs

        self._thread = threading.Thread(target=encrypt, name="backup-encrypt", daemon=True)
        self._thread.start()

    def write(self, data: bytes) -> int:
        try:
            self._writer.write(data)
        except BrokenPipeError as e:
            self._thread.join()
            raise OSError(f"encryption stopped: {self._error or e}") from (self._error or e)
        self._size += len(data)
        return len(data)

    def tell(self) -> int:
        return self._size

    def flush(self) -> None:
        pass  # the pipe is flushed on close; flushing each tar block would only slow it down

    def close(self) -> None:
        try:
            self._writer.close()
        except BrokenPipeError:
            pass
        self._thread.join()
        if self._error is not None:
            raise OSError(f"encryption failed: {self._error}") from self._error


def read_identities(path: Path) -> list[Any]:
    """The private keys in an age identity file (``#`` lines are comments)."""
    from pyrage import x25519

    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # a Windows editor's BOM is not part of the key
    except (OSError, UnicodeDecodeError) as e:
        raise BackupError(f"Berkas kunci {path} tidak dapat dibaca: {e}") from e
    identities = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(x25519.Identity.from_str(line))
        except Exception as e:  # noqa: BLE001 - pyrage's IdentityError
            raise BackupError(f"{path} bukan berkas kunci age: ada baris yang bukan kunci privat "
                              "(AGE-SECRET-KEY-…).") from e
    if not identities:
        raise BackupError(f"{path} tidak berisi kunci privat age (AGE-SECRET-KEY-…).")
    return identities


def decrypt_to(archive: Path, identity_file: Path | None, plain: Path) -> None:
    """Decrypt ``archive`` into ``plain`` (written 0600) with the keys in ``identity_file``."""
    import pyrage

    if identity_file is None:
        raise BackupError("Cadangan ini terenkripsi: sebutkan berkas kunci privatnya dengan --identity FILE "
                          "(dibuat oleh `satupintu backup-key`).")
    identities = read_identities(identity_file)
    try:
        with archive.open("rb") as src, \
                os.fdopen(os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as dst:
            pyrage.decrypt_io(src, dst, identities)
    except OSError as e:
        if e.errno is None:  # pyrage's own "decryption error" (a damaged payload) comes as a bare OSError
            raise BackupError(f"Arsip terenkripsi rusak atau terpotong ({e}); tidak dapat didekripsi. Tidak ada "
                              "yang diubah.") from e
        raise BackupError(f"Arsip terenkripsi tidak dapat dibuka ke {plain.parent}: {e}") from e
    except Exception as e:  # noqa: BLE001 - pyrage.DecryptError: wrong key, or a damaged archive
        raise BackupError(f"Arsip tidak dapat didekripsi dengan kunci di {identity_file}: kunci yang salah, "
                          f"atau arsip rusak ({e}). Tidak ada yang diubah.") from e


def write_identity(path: Path) -> str:
    """A new private key in ``path`` (0600, never over an existing file); returns its public key."""
    from pyrage import x25519

    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    created = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    body = f"# created: {created}\n# public key: {public}\n{identity}\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as e:
        raise BackupError(f"{path} sudah ada; kunci lama tidak ditimpa (cadangan yang dienkripsi untuknya "
                          "tidak akan bisa dibuka lagi).") from e
    except OSError as e:
        raise BackupError(f"{path} tidak dapat ditulis: {e}") from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        Path(path).unlink(missing_ok=True)  # half a key would block the next try ("already there")
        raise BackupError(f"{path} tidak dapat ditulis: {e}") from e
    return public
