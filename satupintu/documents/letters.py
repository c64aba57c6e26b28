"""What an office's letter says and who signs it: the template (the office's own, else the
national one), the signer (the named one, else the head) and the city the letter is dated in, the
letter drawn from them as a draft or final; and the head's settings that name who signs.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db.models import Q

from satupintu.core.errors import DomainError
from satupintu.documents import access, rendering
from satupintu.documents.models import DocumentTemplate, IssuedDocument, OfficeSigning
from satupintu.organization.models import Office, Role, StaffRole
from satupintu.services.models import Application

# The logger's name from before issuing.py was split in parts: searches and alerts look for it.
log = logging.getLogger("satupintu.documents.issuing")


# --- who signs --------------------------------------------------------------------------

def _office_signing(office: Office) -> OfficeSigning | None:
    """The office's signing settings as they apply now (read only, never saved). The title and
    NIK next to a named signer are theirs: once they have left the office, the head signs
    (access.named_signer_id) under the default title, and without that person's NIK, so BSrE is
    never asked to sign with the certificate of someone who no longer works there."""
    signing = OfficeSigning.objects.select_related("signer").filter(office=office).first()
    if signing is not None and access.named_signer_left(signing):
        signing.signer, signing.signer_title, signing.signer_nik = None, "", ""
    return signing


def signer_for(office: Office) -> tuple[object | None, str, str]:
    """(user, name, title) of the person who signs the office's letters: the named signer, else
    the office's head (an active account: a disabled one is not named on letters); the title
    defaults to the office head's."""
    signing = _office_signing(office)
    user = signing.signer if signing and signing.signer_id else None
    if user is None:
        head = StaffRole.objects.select_related("user").filter(office=office, role=Role.HEAD_OF_OFFICE,
                                                                     user__is_active=True).order_by("pk").first()
        user = head.user if head else None
    name = (user.get_full_name() or user.get_username()) if user else ""  # type: ignore[attr-defined]
    title = (signing.signer_title if signing and signing.signer_title else f"Kepala {office.name}")
    return user, name, title


def _city(office: Office) -> str:
    signing = OfficeSigning.objects.filter(office=office).first()
    if signing and signing.city:
        return signing.city
    name = office.region_name or office.name
    for prefix in ("Kabupaten ", "Kota ", "Provinsi "):
        name = name.removeprefix(prefix)
    return name.title() if name.isupper() else name


# --- templates ----------------------------------------------------------------------------

def template_for(app: Application) -> DocumentTemplate | None:
    """The office's own template of the service, else the national one."""
    return (DocumentTemplate.objects.filter(service=app.service, is_active=True)
            .filter(Q(office=app.office) | Q(office__isnull=True))
            .order_by("office_id").last())  # an office's row sorts after the national (NULL first)


def template_save(template: DocumentTemplate) -> DocumentTemplate:
    """Checks a template's placeholders before keeping it (an unknown one would print "…")."""
    fields = set(template.service.fields.values_list("name", flat=True))
    unknown = rendering.unknown_placeholders(template.body, fields)
    if unknown:
        raise DomainError("unknown_placeholder", "Isian templat tidak dikenal: %(names)s.", field="body",
                          params={"names": ", ".join("{{ %s }}" % n for n in unknown)})
    if not template.body.strip():
        raise DomainError("empty_template", "Isi templat tidak boleh kosong.", field="body")
    template.save()
    return template


def _letter(doc: IssuedDocument, template: DocumentTemplate, *, at: datetime, draft: bool) -> bytes:
    app = doc.application
    assert app is not None
    _, signer_name, signer_title = signer_for(doc.office)
    if doc.signer_name:
        signer_name, signer_title = doc.signer_name, doc.signer_title
    values = rendering.values_for(app, at=at)
    paragraphs = [p.strip() for p in rendering.fill(template.body, values).split("\n\n") if p.strip()]
    letter = rendering.Letter(
        office=doc.office, title=template.title, number="" if draft else doc.letter_number, paragraphs=paragraphs,
        recipient_line=rendering.recipient_line(app), city=_city(doc.office),
        date_text=rendering.tanggal(at, doc.office.timezone), signer_title=signer_title,
        signer_name=signer_name or "(penanda tangan belum ditetapkan)", verify_url=rendering.verify_url(doc.token),
        token=doc.token, draft=draft)
    return rendering.draw_letter(letter)


# --- the office's signing settings ----------------------------------------------------------

def office_signing_errors(office: Office, *, letter_code: str, city: str, signer, signer_title: str,  # type: ignore[no-untyped-def]
                          signer_nik: str) -> list[DomainError]:
    """Everything wrong with the office's signing settings, at once."""
    import re

    errors: list[DomainError] = []
    if letter_code and not re.fullmatch(r"[A-Za-z0-9.\-]{1,30}", letter_code):
        errors.append(DomainError("letter_code_invalid", "Kode kantor hanya huruf, angka, titik dan tanda hubung "
                                                         "(mis. Kk.21.14).", field="letter_code"))
    if signer is not None and not StaffRole.objects.filter(user=signer, office=office).exists():
        errors.append(DomainError("signer_not_staff", "Penanda tangan harus pegawai kantor ini.", field="signer"))
    if signer_nik and not re.fullmatch(r"[0-9]{16}", signer_nik):  # \d takes other scripts' digits too
        errors.append(DomainError("nik_invalid", "NIK terdiri dari 16 angka.", field="signer_nik"))
    if len(city) > 80:
        errors.append(DomainError("too_long", "Isian terlalu panjang.", field="city"))
    if len(signer_title) > 200:
        errors.append(DomainError("too_long", "Isian terlalu panjang.", field="signer_title"))
    return errors


def office_signing_update(office: Office, *, user, letter_code: str, city: str, signer,  # type: ignore[no-untyped-def]
                          signer_title: str, signer_nik: str) -> OfficeSigning:
    """The head names who signs (a deputy, "Plh."), the office's letter code and city."""
    from satupintu.core.errors import ValidationErrors

    is_head = any(r.office_id == office.pk and r.role == Role.HEAD_OF_OFFICE
                  for r in StaffRole.objects.filter(user=user)) or getattr(user, "is_superuser", False)
    if not is_head:
        raise DomainError("forbidden", "Hanya kepala kantor yang dapat menetapkan penanda tangan.", status=403)
    values = {"letter_code": (letter_code or "").strip(), "city": (city or "").strip(), "signer": signer,
              "signer_title": (signer_title or "").strip(), "signer_nik": (signer_nik or "").strip()}
    if errors := office_signing_errors(office, **values):
        raise ValidationErrors(errors)
    signing, _ = OfficeSigning.objects.get_or_create(office=office, defaults={"letter_code": ""})
    for name, value in values.items():
        setattr(signing, name, value)
    signing.save()
    log.info("office %s signing settings changed by %s (signer %s)", office.code, user.pk,
             getattr(signer, "pk", None))
    return signing
