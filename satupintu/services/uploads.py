"""Uploaded files: the bytes decide what a file is, not its name."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from satupintu.core.errors import DomainError

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


def check_upload(upload: UploadedFile, *, label: str, field: str) -> CheckedFile:
    """Accept PDF, JPEG or PNG up to UPLOAD_MAX_BYTES whose bytes match their name."""
    name = (upload.name or "berkas").rsplit("/", 1)[-1][:200]
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise DomainError("empty_file", f"Berkas '{label}' kosong.", field=field)
    if upload.size > limit:
        raise DomainError(
            "file_too_large",
            f"Berkas '{label}' terlalu besar ({upload.size / 1048576:.1f} MB); maksimal {limit / 1048576:.0f} MB.",
            field=field,
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    content_type = _sniff(data[:16])
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if content_type is None:
        raise DomainError(
            "file_type_not_allowed",
            f"Berkas '{label}' harus berupa PDF, JPG atau PNG.",
            field=field,
        )
    if extension not in _EXTENSIONS[content_type]:
        raise DomainError(
            "file_type_mismatch",
            f"Isi berkas '{label}' tidak sesuai dengan namanya ({name}): isinya {content_type.split('/')[-1].upper()}.",
            field=field,
        )
    if content_type.startswith("image/"):
        try:
            Image.open(io.BytesIO(data)).verify()
        except (UnidentifiedImageError, OSError, SyntaxError):
            raise DomainError("file_corrupt", f"Gambar '{label}' rusak atau tidak lengkap.", field=field) from None
    elif b"%%EOF" not in data[-2048:]:
        raise DomainError("file_corrupt", f"PDF '{label}' rusak atau tidak lengkap.", field=field)
    return CheckedFile(upload, content_type, len(data), hashlib.sha256(data).hexdigest(), name)
