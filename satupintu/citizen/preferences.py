"""How a person wants news of their applications, set once on the account page.

Without a choice on the account, each application's own form choice holds ("kirim kabar lewat
WhatsApp"). With one, it holds for every application linked to the account: WhatsApp news only
when chosen (choosing it is consent, recorded for the account's proven phones), e-mail only
when chosen. At least one stays on: an office must be able to reach the applicant (a file to
complete, a product to collect), and when WhatsApp cannot carry a message the e-mail still goes.
"""

from __future__ import annotations

from typing import Any

from satupintu.citizen.models import NotificationPreferences, VerifiedPhone
from satupintu.core.errors import DomainError


def get(user: Any) -> NotificationPreferences | None:
    return NotificationPreferences.objects.filter(user=user).first()


def save(user: Any, *, whatsapp: bool, email: bool) -> NotificationPreferences:
    if not whatsapp and not email:
        raise DomainError("no_channel", "Pilih setidaknya satu saluran: kantor perlu dapat menghubungi Anda.",
                          field="email")
    if not whatsapp and not email_reachable(user):
        # E-mail alone with no address anywhere (an account signed in by phone, applications filed
        # without one): no news would reach them.
        raise DomainError("no_email_address", "Akun Anda belum punya alamat email: pilih WhatsApp agar kantor "
                          "dapat mengabari Anda.", field="whatsapp")
    prefs, _created = NotificationPreferences.objects.update_or_create(
        user=user, defaults={"whatsapp": whatsapp, "email": email})
    if whatsapp:
        from satupintu.whatsapp import outbound

        for phone in VerifiedPhone.objects.filter(user=user).values_list("phone", flat=True):
            outbound.record_opt_in(phone.lstrip("+"), source="account", proven=True)  # a verified phone
    return prefs


def email_reachable(user: Any) -> bool:
    """Whether e-mail news can reach this person: the account's address, or one an application of
    theirs gave (news of an application go to the address it gave)."""
    from satupintu.services.models import Application

    return bool(getattr(user, "email", "")) or Application.objects.filter(user_id=user.pk).exclude(email="").exists()


def shown_choice(user: Any) -> dict[str, bool]:
    """What the form shows before any choice: what the applications go by now (their own WhatsApp
    choice; e-mail wherever an address is known), so saving it as shown changes nothing."""
    from satupintu.services.models import Application

    reachable = email_reachable(user)
    wants_whatsapp = Application.objects.filter(user_id=user.pk, whatsapp_updates=True).exists()
    return {"whatsapp": wants_whatsapp or not reachable, "email": reachable}


def channels_for(app: Any) -> tuple[bool, bool]:
    """(WhatsApp wanted, e-mail wanted) for this application's news."""
    prefs = get(app.user_id) if app.user_id else None
    if prefs is None:
        return bool(app.whatsapp_updates), True
    return prefs.whatsapp, prefs.email
