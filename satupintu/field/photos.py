"""Photos with a field report: the bytes decide (JPEG or PNG that Pillow can read), not the name
or the type the phone claims; a limited number of a limited size."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from satupintu.core import images
from satupintu.core.errors import DomainError

MAX_PHOTOS = 5


@dataclass(frozen=True)
class CheckedPhoto:
    upload: UploadedFile
    content_type: str
    size: int
    sha256: str


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def check_photo(upload: UploadedFile, number: int) -> CheckedPhoto:
    # ``photo=number`` goes out with the error (the API's "photo"): the phone keeps the other
    # photos of a refused report when it is fixed, and drops only this one.
    limit = settings.UPLOAD_MAX_BYTES
    if not upload.size:
        raise DomainError("photo_not_image", "Foto ke-%(n)d kosong, bukan gambar.", field="photos", params={"n": number},
                          photo=number)
    if upload.size > limit:
        raise DomainError("photo_too_large", "Foto ke-%(n)d terlalu besar (%(size).1f MB); maksimal %(limit).0f MB.",
                          field="photos", params={"n": number, "size": upload.size / 1048576, "limit": limit / 1048576},
                          photo=number)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    content_type = _sniff(data[:16])
    if content_type is None:
        raise DomainError("photo_not_image", "Berkas ke-%(n)d bukan foto: hanya gambar JPEG atau PNG yang diterima.",
                          field="photos", params={"n": number}, photo=number)
    try:
        images.verified_size(data)
    except images.ImageRefused as refused:
        if refused.reason == "too_large":
            raise DomainError("photo_too_large", "Foto ke-%(n)d terlalu besar ukurannya: paling banyak %(mp)d megapiksel.",
                              field="photos", params={"n": number, "mp": images.MAX_PIXELS // 1_000_000},
                              photo=number) from None
        raise DomainError("photo_not_image", "Foto ke-%(n)d rusak atau tidak lengkap.", field="photos",
                          params={"n": number}, photo=number) from None
    return CheckedPhoto(upload, content_type, len(data), hashlib.sha256(data).hexdigest())


def check_photos(uploads: list[UploadedFile]) -> list[CheckedPhoto]:
    if len(uploads) > MAX_PHOTOS:
        raise DomainError("too_many_photos", "Terlalu banyak foto (%(count)d); maksimal %(max)d.", field="photos",
                          params={"count": len(uploads), "max": MAX_PHOTOS})
    return [check_photo(upload, i) for i, upload in enumerate(uploads, start=1)]
