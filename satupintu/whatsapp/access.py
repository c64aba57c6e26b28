"""Who may read and answer WhatsApp conversations.

Answering is the front office's, the complaint officer's, the head's and the administrator's
job, in their own office. Heads also read (not answer) what their Kanwil's offices receive, and
their response times; the national line's conversations without an office are Pusat's.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from satupintu.organization.access import staff_roles
from satupintu.organization.models import Role

ANSWERERS = {Role.FRONT_OFFICE, Role.COMPLAINT_OFFICER, Role.HEAD_OF_OFFICE, Role.ADMIN}
READERS = {Role.HEAD_OF_OFFICE, Role.ADMIN}


def works_on_whatsapp(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(r.role in ANSWERERS for r in staff_roles(user))


def conversation_scope(user: Any) -> Q | None:
    """A filter on Conversation for what the user may read; None means everything."""
    if getattr(user, "is_superuser", False):
        return None
    scope = Q(pk__in=[])
    for r in staff_roles(user):
        if r.role not in ANSWERERS:
            continue
        if r.office.level == "pusat":
            scope |= Q(office__isnull=True) | Q(office_id=r.office_id)
            if r.role in READERS:
                return None
        else:
            scope |= Q(office_id=r.office_id)
            if r.role in READERS and r.office.level == "kanwil":
                scope |= Q(office__parent_id=r.office_id)
    return scope


def may_answer(user: Any, conv: Any) -> bool:
    """Reply, assign, link, close: staff of the conversation's own office (Pusat for the national
    line's conversations that have no office yet)."""
    if getattr(user, "is_superuser", False):
        return True
    for r in staff_roles(user):
        if r.role not in ANSWERERS:
            continue
        if conv.office_id is not None and r.office_id == conv.office_id:
            return True
        if conv.office_id is None and r.office.level == "pusat":
            return True
    return False


def answerers_of(conv: Any) -> Any:
    """The colleagues a conversation may be assigned to."""
    from django.contrib.auth import get_user_model

    if conv.office_id is None:
        return get_user_model().objects.filter(staff_roles__office__level="pusat",
                                               staff_roles__role__in=ANSWERERS).distinct().order_by("username")
    return get_user_model().objects.filter(staff_roles__office_id=conv.office_id,
                                           staff_roles__role__in=ANSWERERS).distinct().order_by("username")
