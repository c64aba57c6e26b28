"""What a signed-in citizen's apply form starts with (tell us once): name and e-mail of the
account, a phone it proved, and the NIK of its latest application. Only a starting point:
everything stays editable and is checked by ``application_submit`` like typed input."""

from __future__ import annotations

from typing import Any

from satupintu.citizen.claims import phones_of
from satupintu.services.models import Application


def profile_initial(user: Any) -> dict[str, str]:
    if not getattr(user, "is_authenticated", False):
        return {}
    initial: dict[str, str] = {}
    if name := user.get_full_name().strip():
        initial["name"] = name
    if "@" in (user.email or ""):
        initial["email"] = user.email
    latest = Application.objects.filter(user=user).order_by("-submitted_at").only("nik", "phone").first()
    phones = phones_of(user)
    if phones:
        initial["phone"] = phones[0]
    elif latest is not None:
        initial["phone"] = latest.phone
    if latest is not None:
        initial["nik"] = latest.nik
    return initial
