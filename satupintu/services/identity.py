"""Checks of the applicant's identity: NIK, phone number, name and e-mail."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

from satupintu.core.errors import DomainError
from satupintu.organization import reference

_PROVINCE_CODES: frozenset[str] | None = None


def _province_codes() -> frozenset[str]:
    global _PROVINCE_CODES
    if _PROVINCE_CODES is None:
        _PROVINCE_CODES = frozenset(p["code"] for p in reference.provinces())
    return _PROVINCE_CODES


def clean_nik(raw: str) -> str:
    nik = re.sub(r"[\s.\-]", "", raw or "")
    if not nik:
        raise DomainError("missing_field", "NIK wajib diisi.", field="nik")
    # ASCII digits only: str.isdigit() also says yes to "²" or fullwidth "７", which stdnum cannot
    # read (a 500) or which would be stored as typed, never matching the same NIK in ASCII.
    if not (nik.isascii() and nik.isdigit()) or len(nik) != 16:
        raise DomainError("invalid_nik", "NIK harus terdiri dari 16 angka.", field="nik")
    if nik[:2] not in _province_codes():
        raise DomainError(
            "invalid_nik", "NIK tidak valid: kode provinsi %(code)s tidak dikenal.", field="nik",
            params={"code": nik[:2]},
        )
    try:
        stdnum_nik.get_birth_date(nik)
    except StdnumError:
        raise DomainError(
            "invalid_nik", "NIK tidak valid: tanggal lahir di dalam NIK tidak mungkin.", field="nik"
        ) from None
    return nik


def clean_phone(raw: str) -> str:
    """Return the number in E.164 (+62...). Accepts 0812..., 62812..., +62 812-...."""
    text = (raw or "").strip()
    if not text:
        raise DomainError("missing_field", "Nomor HP wajib diisi.", field="phone")
    if not re.fullmatch(r"[+0-9()\s.\-]+", text):
        raise DomainError("invalid_phone", "Nomor HP hanya berisi angka. Contoh: 0812 3456 7890.", field="phone")
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        raise DomainError("invalid_phone", "Nomor HP tidak valid. Contoh: 0812 3456 7890.", field="phone") from None
    if not phonenumbers.is_valid_number(number) or number.extension:
        raise DomainError("invalid_phone", "Nomor HP tidak valid. Contoh: 0812 3456 7890.", field="phone")
    # Status messages go to this number (SMS/WhatsApp), so a landline will not do.
    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.FIXED_LINE:
        raise DomainError(
            "invalid_phone", "Gunakan nomor HP, bukan nomor telepon rumah atau kantor.", field="phone"
        )
    # Only numbers a person carries: a premium-rate or shared-cost number ("+44 909...", "+1 900...")
    # bills the ministry for every code texted to it (SMS pumping), and sign-up texts a code to any
    # number typed. Mobiles abroad stay welcome (Indonesians working in Malaysia, Saudi Arabia, ...).
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise DomainError(
            "invalid_phone", "Nomor ini bukan nomor HP (misalnya nomor premium atau layanan). Gunakan nomor HP Anda.",
            field="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if len(name) < 2:
        raise DomainError("missing_field", "Nama lengkap wajib diisi.", field="name")
    if len(name) > 150:
        raise DomainError("invalid_name", "Nama terlalu panjang (maksimal 150 karakter).", field="name")
    return name


# The e-mail columns are EmailField(max_length=254), the limit of a usable address (RFC 5321's
# path); Django's validator lets up to 320 through, which PostgreSQL then refuses (a 500).
EMAIL_MAX_LENGTH = 254


def clean_email(raw: str) -> str:
    email = (raw or "").strip()
    if not email:
        return ""
    if len(email) > EMAIL_MAX_LENGTH:
        raise DomainError("invalid_email", "Alamat email terlalu panjang (maksimal %(max)d karakter).", field="email",
                          params={"max": EMAIL_MAX_LENGTH})
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError("invalid_email", "Alamat email tidak valid.", field="email") from None
    return email.lower()
