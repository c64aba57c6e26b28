"""Uploaded files: the bytes decide what a file is, not its name; storing them never leaves
half of anything behind.

``store_file`` writes through the storage API and turns a full disk (ENOSPC, quota) or an
unreachable storage (missing or read-only directory, S3 endpoint down) into a DomainError
with a clear message, removing whatever part of the file reached the storage.
``files_in_transaction`` ties the files to the database transaction that records them: if
the transaction rolls back the files are removed, so there is never a row without its file
nor a file without its row.
"""

from __future__ import annotations

import errno
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.db.models.fields.files import FieldFile

from satupintu.core import images, pdfread
from satupintu.core.errors import DomainError

log = logging.getLogger(__name__)

STORAGE_FULL_MESSAGE = (
    "Ruang penyimpanan berkas sedang penuh, sehingga berkas Anda belum dapat disimpan. Tidak ada yang tersimpan "
    "setengah jalan: silakan coba lagi beberapa saat lagi (pilih ulang berkasnya)."
)
STORAGE_UNAVAILABLE_MESSAGE = (
    "Penyimpanan berkas sedang tidak dapat dijangkau, sehingga berkas Anda belum dapat disimpan. Tidak ada yang "
    "tersimpan setengah jalan: silakan coba lagi beberapa saat lagi (pilih ulang berkasnya)."
)
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}

_EXTENSIONS = {"application/pdf": {".pdf"}, "image/jpeg": {".jpg", ".jpeg"}, "image/png": {".png"}}


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    content_type: str
    size: int
    sha256: str
    original_name: str


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def short_name(name: str, limit: int = 200) -> str:
    """``name`` cut to ``limit`` characters (the column's) with its extension kept: cut at the end,
    a good PDF would lose its ".pdf" and be refused as not matching its name."""
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        return name[:limit]
    return f"{stem[:limit - len(extension) - 1]}.{extension}"


def check_upload(upload: UploadedFile, *, label: str, field: str) -> CheckedFile:
    """Accept PDF, JPEG or PNG up to UPLOAD_MAX_BYTES whose bytes match their name and that open:
    an image whose pixels decode, a PDF with pages that needs no password."""
    name = short_name((upload.name or "berkas").rsplit("/", 1)[-1])
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise DomainError("empty_file", "Berkas '%(label)s' kosong.", field=field, params={"label": label})
    if upload.size > limit:
        raise DomainError(
            "file_too_large",
            "Berkas '%(label)s' terlalu besar (%(size).1f MB); maksimal %(limit).0f MB.",
            field=field, params={"label": label, "size": upload.size / 1048576, "limit": limit / 1048576},
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    content_type = check_content(data, name=name, label=label, field=field)
    return CheckedFile(upload, content_type, len(data), hashlib.sha256(data).hexdigest(), name)


def check_content(data: bytes, *, name: str, label: str, field: str) -> str:
    """The content type of ``data`` (PDF, JPEG or PNG) when its bytes match its ``name`` and it
    opens: an image whose pixels decode, a PDF with pages that needs no password; else a
    DomainError that says which. Sizes are the caller's (uploads and WhatsApp differ)."""
    content_type = _sniff(data[:16])
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if content_type is None:
        raise DomainError(
            "file_type_not_allowed",
            "Berkas '%(label)s' harus berupa PDF, JPG atau PNG.",
            field=field, params={"label": label},
        )
    if extension not in _EXTENSIONS[content_type]:
        raise DomainError(
            "file_type_mismatch",
            "Isi berkas '%(label)s' tidak sesuai dengan namanya (%(name)s): isinya %(kind)s.",
            field=field, params={"label": label, "name": name, "kind": content_type.split("/")[-1].upper()},
        )
    if content_type.startswith("image/"):
        try:
            images.verified_size(data)
        except images.ImageRefused as refused:
            if refused.reason == "too_large":
                raise DomainError("image_too_large", "Gambar '%(label)s' terlalu besar ukurannya: paling banyak "
                                  "%(mp)d megapiksel.", field=field,
                                  params={"label": label, "mp": images.MAX_PIXELS // 1_000_000}) from None
            raise DomainError("file_corrupt", "Gambar '%(label)s' rusak atau tidak lengkap. Ambil fotonya lagi, "
                              "atau kirim sebagai PDF.", field=field, params={"label": label}) from None
    else:
        problem = pdfread.problem(data) if b"%%EOF" in data[-2048:] else "pdf_unreadable"
        if problem == "pdf_encrypted":  # the officer who checks it has no password either
            raise DomainError("pdf_encrypted", "PDF '%(label)s' dikunci dengan kata sandi sehingga petugas tidak "
                              "dapat membukanya. Kirim PDF yang tanpa kata sandi.", field=field,
                              params={"label": label})
        if problem:
            raise DomainError("file_corrupt", "PDF '%(label)s' rusak atau tidak lengkap. Buka lalu simpan ulang "
                              "sebagai PDF (Cetak, lalu Simpan sebagai PDF), atau kirim foto dokumennya (JPG atau "
                              "PNG).", field=field, params={"label": label})
    return content_type


# --- storing ------------------------------------------------------------------------------


def storage_error(exc: BaseException) -> DomainError:
    """The user-facing error for a failed write: full (507) or unavailable (503)."""
    if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
        return DomainError("storage_full", STORAGE_FULL_MESSAGE, status=507)
    return DomainError("storage_unavailable", STORAGE_UNAVAILABLE_MESSAGE, status=503)


def store_file(field_file: FieldFile, name: str, content: UploadedFile) -> None:
    """Write ``content`` into ``field_file`` (not saving the row); on failure remove any part
    written and raise DomainError storage_full / storage_unavailable."""
    storage = field_file.storage
    target = field_file.field.generate_filename(field_file.instance, name)
    try:
        target = storage.get_available_name(target, max_length=field_file.field.max_length)
        content.seek(0)
        field_file.name = storage.save(target, content, max_length=field_file.field.max_length)
    except SuspiciousOperation:
        raise
    except Exception as exc:  # OSError from a disk, botocore errors from S3
        # get_available_name chose a name nobody had, so what is there now is our partial write
        # (FileSystemStorage leaves it behind when a write fails halfway).
        try:
            storage.delete(target)
        except Exception as cleanup:
            log.warning("could not remove the partial upload %s: %s", target, cleanup)
        log.warning("upload storage failed writing %s: %s: %s", target, type(exc).__name__, exc)
        raise storage_error(exc) from exc
    # The file is stored: what FieldFile.save does after its own storage.save (the stubs omit the flag).
    field_file._committed = True  # type: ignore[attr-defined]


@dataclass
class WrittenFiles:
    """Files written inside a transaction (``files_in_transaction``)."""

    files: list[FieldFile] = field(default_factory=list)

    def add(self, field_file: FieldFile) -> None:
        self.files.append(field_file)

    def store(self, field_file: FieldFile, name: str, content: UploadedFile) -> None:
        store_file(field_file, name, content)
        self.add(field_file)

    def discard(self) -> None:
        for f in self.files:
            if not f.name:  # nothing was stored under it
                continue
            try:
                f.storage.delete(f.name)
            except Exception as exc:
                log.warning("could not remove %s after a rollback: %s", f.name, exc)

    def discard_unless_committed(self) -> None:
        """The commit itself failed (connection lost while committing): the outcome is unknown.
        Ask the database whether the rows are there. While it cannot say (it is restarting), a
        background thread asks again until it can, so a file is never removed under a row that
        was saved, nor left behind by one that was not; the request is not held up meanwhile."""
        unsure = [f for f in self.files if _settle(f) is None]
        if unsure:
            import threading

            threading.Thread(target=_settle_later, args=(unsure,), name="upload-settle", daemon=True).start()


def _settle(f: FieldFile) -> bool | None:
    """Remove ``f`` if its row was not saved; None while the database cannot say."""
    instance = f.instance
    try:
        committed = type(instance)._default_manager.filter(pk=instance.pk).exists()
    except DatabaseError as exc:
        log.warning("commit outcome unknown for %s, asking again shortly: %s", f.name, exc)
        return None
    if not committed and f.name:
        try:
            f.storage.delete(f.name)
        except Exception as exc:
            log.warning("could not remove %s after a failed commit: %s", f.name, exc)
    return committed


def _settle_later(files: list[FieldFile], *, every: float = 0.5, give_up_after: float = 600.0) -> None:
    import time

    from django.db import connections

    deadline = time.monotonic() + give_up_after
    try:
        while files and time.monotonic() < deadline:
            time.sleep(every)
            connections.close_all()  # a broken connection from the outage is not reused
            files = [f for f in files if _settle(f) is None]
        for f in files:
            log.error("commit outcome still unknown after %.0f s, keeping %s", give_up_after, f.name)
    finally:
        connections.close_all()


@contextmanager
def files_in_transaction() -> Iterator[WrittenFiles]:
    """``with files_in_transaction() as written:`` a transaction whose files (``written.store``)
    are removed again if it does not commit."""
    written = WrittenFiles()
    body_done = False
    try:
        with transaction.atomic():
            yield written
            body_done = True
    except BaseException:
        if body_done:
            written.discard_unless_committed()
        else:  # the body failed: the transaction was rolled back for certain
            written.discard()
        raise
