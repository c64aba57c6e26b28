"""An office's contact details for citizens: address, phone, WhatsApp, e-mail, opening
hours as people say them, and where the desk is (for the map on the office page)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy

from satupintu.core.errors import DomainError, collect_into
from satupintu.organization.models import Level, Office

_LANDLINE = re.compile(r"[0-9+()\s.\-]{6,40}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # line breaks and tabs are folded, not refused
# Indonesia with a margin: a point outside is a typo (swapped or unsigned coordinates).
_LAT_RANGE, _LON_RANGE = (Decimal("-11.5"), Decimal("6.5")), (Decimal("94.5"), Decimal("141.5"))


class ContactErrors(DomainError):
    """Every wrong field at once (the settings page shows them all)."""

    def __init__(self, errors: list[DomainError]):
        super().__init__("invalid_contacts", " ".join(e.message for e in errors))
        self.errors = errors


@dataclass
class OfficeContacts:
    address: str = ""
    phone: str = ""
    whatsapp: str = ""
    email: str = ""
    opening_hours_text: str = ""
    latitude: str = ""
    longitude: str = ""


def _text(value: str, *, field: str, label: str, max_length: int, errors: list[DomainError]) -> str:
    text = " ".join((value or "").split())
    if _CONTROL.search(value or ""):
        errors.append(DomainError("invalid_text", "%(label)s berisi karakter yang tidak diizinkan.", field=field,
                                  params={"label": label}))
    if len(text) > max_length:
        errors.append(DomainError("text_too_long", "%(label)s maksimal %(n)d karakter.", field=field,
                                  params={"label": label, "n": max_length}))
    return text


def _coordinate(raw: str, bounds: tuple[Decimal, Decimal], *, field: str, errors: list[DomainError]) -> Decimal | None:
    raw = (raw or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw).quantize(Decimal("0.00001"))
        if not value.is_finite():  # "NaN" quantizes fine, then fails every comparison
            raise InvalidOperation
    except InvalidOperation:
        errors.append(DomainError("invalid_location", "Koordinat berupa angka desimal, mis. -2.55412.", field=field))
        return None
    if not bounds[0] <= value <= bounds[1]:
        errors.append(DomainError("invalid_location", "Koordinat di luar wilayah Indonesia; periksa lintang dan "
                                  "bujur (lintang selatan bertanda minus).", field=field))
        return None
    return value


def office_update_contacts(office: Office, contacts: OfficeContacts) -> Office:
    """Check every field, then save them together; ``ContactErrors`` lists all that are wrong."""
    errors: list[DomainError] = []
    address = _text(contacts.address, field="address", label="Alamat", max_length=300, errors=errors)
    hours = _text(contacts.opening_hours_text, field="opening_hours_text", label="Jam layanan", max_length=200,
                  errors=errors)
    phone = " ".join((contacts.phone or "").split())
    if phone and not _LANDLINE.fullmatch(phone):
        errors.append(DomainError("invalid_phone", "Nomor telepon hanya berisi angka, spasi, +, - dan tanda kurung. "
                                  "Contoh: (0473) 21234.", field="phone"))
    whatsapp = ""
    if (contacts.whatsapp or "").strip():
        from satupintu.services.identity import clean_phone

        try:
            whatsapp = clean_phone(contacts.whatsapp)
        except DomainError as exc:
            errors.append(DomainError(exc.code, "Nomor WhatsApp harus nomor HP. Contoh: 0812 3456 7890.",
                                      field="whatsapp"))
    from satupintu.services.identity import clean_email

    # The applicant's rule: Django's validator lets 320 characters through, Office.email holds 254,
    # and PostgreSQL refused the rest (a 500 on the settings page).
    email = collect_into(errors, "")(clean_email, contacts.email)
    latitude = _coordinate(contacts.latitude, _LAT_RANGE, field="latitude", errors=errors)
    longitude = _coordinate(contacts.longitude, _LON_RANGE, field="longitude", errors=errors)
    if (latitude is None) != (longitude is None) and not errors:
        errors.append(DomainError("invalid_location", "Isi lintang dan bujur, atau kosongkan keduanya.",
                                  field="latitude"))
    if latitude is not None and longitude is not None and not errors:
        from satupintu.organization.geo import regency_code_at

        code = regency_code_at(float(latitude), float(longitude))
        inside = code is not None and (
            code == office.code if office.level == Level.KANKEMENAG else code.startswith(f"{office.province_code}.")
        )
        if office.level != Level.PUSAT and not inside:
            errors.append(DomainError("location_outside", "Titik itu tidak berada di wilayah %(region)s.",
                                      field="latitude", params={"region": office.region_name}))
    if errors:
        raise ContactErrors(errors)
    office.address, office.phone, office.whatsapp, office.email = address, phone, whatsapp, email
    office.opening_hours_text, office.latitude, office.longitude = hours, latitude, longitude
    office.save(update_fields=["address", "phone", "whatsapp", "email", "opening_hours_text", "latitude",
                               "longitude"])
    return office


# ISO weekdays (Monday=1), as Office.working_weekdays numbers them; also the office settings' choices.
WEEKDAY_NAMES = (gettext_lazy("Senin"), gettext_lazy("Selasa"), gettext_lazy("Rabu"), gettext_lazy("Kamis"),
                 gettext_lazy("Jumat"), gettext_lazy("Sabtu"), gettext_lazy("Minggu"))


def working_days_label(weekdays: str) -> str:
    """An office's working days in words, runs joined: "12345" -> "Senin–Jumat", "123456" ->
    "Senin–Sabtu", "1346" -> "Senin, Rabu–Kamis, Sabtu" (in the page's language)."""
    days = sorted({int(c) for c in weekdays if c in "1234567"})
    runs: list[list[int]] = []
    for d in days:
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return ", ".join(str(WEEKDAY_NAMES[r[0] - 1]) if len(r) == 1 else f"{WEEKDAY_NAMES[r[0] - 1]}–{WEEKDAY_NAMES[r[-1] - 1]}"
                     for r in runs)
