"""Masking of personal data for lists and logs, and the audit of every unmasked view."""

from __future__ import annotations

from django.http import HttpRequest

from satupintu.core.models import PersonalDataAccess


def mask_nik(nik: str) -> str:
    # Keep the region part (first 6) so officers can still see where someone is from.
    if len(nik) < 10:
        return "*" * len(nik)
    return nik[:6] + "*" * (len(nik) - 8) + nik[-2:]


def mask_phone(phone: str) -> str:
    if len(phone) <= 6:
        return "*" * len(phone)
    return phone[:5] + "*" * (len(phone) - 8) + phone[-3:]


def mask_email(email: str) -> str:
    if "@" not in email:
        return email
    local, domain = email.split("@", 1)
    return (local[:1] + "***@" + domain) if local else email


def record_access(request: HttpRequest, *, subject_type: str, subject_ref: str, what: str) -> None:
    user = request.user if request.user.is_authenticated else None
    from satupintu.core.ratelimit import client_ip

    ip = client_ip(request) or None  # the person's address, not our proxy's
    PersonalDataAccess.objects.create(user=user, subject_type=subject_type, subject_ref=subject_ref, what=what, ip=ip)
