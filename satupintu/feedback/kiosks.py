"""Survey kiosks: tablets an office registers at its front desk.

The office administrator registers a kiosk in the office settings and opens its install link
on the tablet once; the link carries a signed device token (django.core.signing, bound to
the device and its office) that the tablet keeps in a long-lived cookie. An answer on the
kiosk page counts in the office's IKM only when it carries a valid, unrevoked token of that
office; without one (anyone on the internet posting to /survei/kios/<code>/) it is kept as
unverified feedback, outside the index and its tallies.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core import signing
from django.utils import timezone

from satupintu.core.errors import DomainError, NotFound
from satupintu.feedback.models import KioskDevice
from satupintu.organization.models import Office

_SALT = "skm-kiosk-device"
COOKIE_NAME = "satupintu_kiosk"
COOKIE_MAX_AGE = 5 * 365 * 24 * 3600  # a tablet stays at the desk for years; revoking ends it sooner


def kiosk_token(device: KioskDevice) -> str:
    return signing.dumps({"d": device.pk, "o": device.office_id}, salt=_SALT)


def install_path(device: KioskDevice) -> str:
    return f"/survei/kios/{device.office.code}/pasang/{kiosk_token(device)}/"


def install_url(device: KioskDevice) -> str:
    return settings.SITE_URL + install_path(device)


def kiosk_register(office: Office, name: str, *, by: User | AnonymousUser | None = None) -> KioskDevice:
    clean = " ".join((name or "").split())
    if len(clean) < 2:
        raise DomainError("missing_field", "Beri nama kios, misalnya 'Tablet loket PTSP'.", field="name")
    if len(clean) > 100:
        raise DomainError("text_too_long", "Nama kios maksimal 100 karakter.", field="name")
    if office.merged_into_id is not None:  # its kiosk page takes no answers (views.survey._merged_kiosk)
        raise DomainError("office_merged", "%(office)s sudah digabung ke %(into)s: daftarkan kios untuk %(into)s.",
                          field="name", params={"office": office.name, "into": office.successor().name}, status=409)
    return KioskDevice.objects.create(office=office, name=clean,
                                      created_by=by if isinstance(by, User) else None)


def kiosk_revoke(office: Office, device_id: int) -> KioskDevice:
    device = KioskDevice.objects.filter(office=office, pk=device_id).first()
    if device is None:
        raise NotFound("kiosk_not_found", "Kios tidak ditemukan di kantor ini.")
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
    return device


def device_for(token: str | None, office: Office) -> KioskDevice | None:
    """The registered, unrevoked kiosk of ``office`` that ``token`` was signed for, else None
    (no token, a forged or altered one, another office's, a revoked device)."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("o") != office.pk or not isinstance(data.get("d"), int):
        return None
    return KioskDevice.objects.filter(pk=data["d"], office=office, revoked_at__isnull=True).first()
