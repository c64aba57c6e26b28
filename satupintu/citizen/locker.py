"""Tell us once: the citizen's document locker (/akun/berkas/). KTP, KK, ijazah... are uploaded
once, checked and stored privately like application files (services.uploads), and offered on
apply forms for the requirements of the same kind. A locker file goes with an application only
when the citizen ticks "pakai dari berkas saya" on that application (their consent each time);
it is then checked and copied like a new upload, so the application keeps its own file.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from satupintu.citizen.models import LockerDocument, LockerKind
from satupintu.core.errors import DomainError
from satupintu.services import uploads

log = logging.getLogger(__name__)

# Which requirement codes of the catalog each kind stands for.
KIND_REQUIREMENTS: dict[str, frozenset[str]] = {
    LockerKind.KTP: frozenset({"ktp"}),
    LockerKind.KK: frozenset({"kartu_keluarga", "kk"}),
    LockerKind.IJAZAH: frozenset({"ijazah_terakhir", "ijazah_asli", "fotokopi_ijazah", "ijazah"}),
    LockerKind.PAS_FOTO: frozenset({"pas_foto"}),
}


def kind_for(requirement_code: str) -> str | None:
    return next((kind for kind, codes in KIND_REQUIREMENTS.items() if requirement_code in codes), None)


def locker_of(user: Any) -> dict[str, LockerDocument]:
    if not getattr(user, "is_authenticated", False):
        return {}
    return {d.kind: d for d in LockerDocument.objects.filter(user=user)}


def locker_add(user: Any, *, kind: str, upload: UploadedFile | None) -> LockerDocument:
    """Keep one paper of ``kind`` (replacing the earlier one of that kind)."""
    if kind not in LockerKind.values:
        raise DomainError("invalid_field", "Pilih jenis berkas.", field="kind")
    if upload is None:
        raise DomainError("missing_document", "Pilih berkas yang akan disimpan.", field="file")
    checked = uploads.check_upload(upload, label=str(LockerKind(kind).label), field="file")
    with uploads.files_in_transaction() as written:
        old = list(LockerDocument.objects.select_for_update().filter(user=user, kind=kind))
        LockerDocument.objects.filter(pk__in=[d.pk for d in old]).delete()
        doc = LockerDocument(user=user, kind=kind, original_name=checked.original_name,
                             content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                             uploaded_at=timezone.now())
        written.store(doc.file, checked.original_name, checked.upload)
        doc.save()
    return doc  # the replaced file goes with its row (models._file_goes_with_its_row)


def locker_remove(user: Any, pk: int) -> None:
    doc = LockerDocument.objects.filter(user=user, pk=pk).first()
    if doc is None:
        raise DomainError("not_found", "Berkas tidak ditemukan.", status=404)
    doc.delete()  # its file too, once committed (models._file_goes_with_its_row)


def offered(user: Any, requirement_codes: list[str]) -> dict[str, LockerDocument]:
    """For each requirement, the citizen's locker paper of its kind, if any."""
    mine = locker_of(user)
    result = {}
    for code in requirement_codes:
        kind = kind_for(code)
        if kind and kind in mine:
            result[code] = mine[kind]
    return result


def locker_uploads(user: Any, codes: list[str]) -> dict[str, UploadedFile]:
    """The citizen's own locker papers for the ticked requirements, as uploads to be checked and
    stored with the application like new ones. Only the account's own papers: another's are
    never reachable (a ticked code without a paper is refused)."""
    docs = offered(user, codes)
    files: dict[str, UploadedFile] = {}
    for code in codes:
        doc = docs.get(code)
        if doc is None:
            raise DomainError("missing_document", "Berkas Anda untuk persyaratan ini tidak ada lagi. Unggah berkasnya.",
                              field=code)
        try:
            handle = doc.file.open("rb")
        except OSError as exc:
            log.warning("locker file %s is unreadable: %s", doc.file.name, exc)
            raise DomainError("missing_document", "Berkas Anda untuk persyaratan ini tidak terbaca. Unggah berkasnya.",
                              field=code) from None
        files[code] = UploadedFile(handle, name=doc.original_name, content_type=doc.content_type, size=doc.size)
    return files
