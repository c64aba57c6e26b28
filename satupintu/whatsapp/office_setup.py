"""An office's own WhatsApp line and its canned answers, set by its head or administrator."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import IntegrityError, transaction

from satupintu.core.errors import DomainError, ValidationErrors
from satupintu.organization.models import Office
from satupintu.whatsapp.models import CannedAnswer, Number


def number_set(office: Office, *, phone_number_id: str, display_phone: str) -> Number | None:
    """The office's number (Meta's phone number ID); empty removes it (the national line answers)."""
    phone_number_id, display_phone = phone_number_id.strip(), display_phone.strip()
    if not phone_number_id:
        Number.objects.filter(office=office, conversations__isnull=True).delete()
        Number.objects.filter(office=office).update(office=None)  # kept: its conversations refer to it
        return None
    errors = []
    if not re.fullmatch(r"\d{6,20}", phone_number_id):
        errors.append(DomainError("invalid_phone_number_id", "Phone number ID terdiri dari 6-20 angka (lihat "
                                  "WhatsApp Manager > Nomor telepon).", field="phone_number_id"))
    if display_phone and not re.fullmatch(r"\+?[\d\s-]{8,20}", display_phone):
        errors.append(DomainError("invalid_phone", "Tulis nomor seperti +62 811-0000-0000.", field="display_phone"))
    taken = Number.objects.filter(phone_number_id=phone_number_id).exclude(office=office).first()
    # The national line has no office: claimed by one, every citizen who writes to it would be filed there.
    if phone_number_id == settings.WHATSAPP_PHONE_NUMBER_ID or taken is not None and taken.office_id is not None:
        errors.append(DomainError("phone_number_id_taken", "Nomor ini sudah dipakai kantor lain.",
                                  field="phone_number_id"))
    if errors:
        raise ValidationErrors(errors)
    try:
        with transaction.atomic():
            Number.objects.filter(office=office).exclude(phone_number_id=phone_number_id).update(office=None)
            number, _ = Number.objects.update_or_create(phone_number_id=phone_number_id,
                                                        defaults={"office": office, "display_phone": display_phone})
    except IntegrityError:
        raise DomainError("phone_number_id_taken", "Nomor ini sudah dipakai kantor lain.",
                          field="phone_number_id", status=409) from None
    return number


def answer_add(office: Office, *, title: str, text: str) -> CannedAnswer:
    title, text = title.strip(), text.strip()
    errors = []
    if not title or len(title) > 80:
        errors.append(DomainError("invalid_title", "Judul 1-80 karakter.", field="title"))
    if not text or len(text) > 1000:
        errors.append(DomainError("invalid_text", "Isi 1-1000 karakter.", field="text"))
    if errors:
        raise ValidationErrors(errors)
    return CannedAnswer.objects.create(office=office, title=title, text=text)


def answer_delete(office: Office, answer_id: int) -> None:
    if not CannedAnswer.objects.filter(office=office, pk=answer_id).delete()[0]:
        raise DomainError("not_found", "Jawaban tidak ditemukan.", status=404)
