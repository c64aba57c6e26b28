"""Who may read and answer WhatsApp conversations.

Answering is the front office's, the complaint officer's and the head's job, in their own
office. The administrator keeps the office's settings and reads no citizen's messages (their
numbers, NIKs and applications are personal data the role does not need; organization/access). Heads also read (not answer) what their Kanwil's offices receive, and
their response times; the national line's conversations without an office are Pusat's. A report
being written to the bot is not read by an office; a conversation from which an anonymous or an
integrity report was sent is read by no one (``Conversation.sealed``: the bot promised so).
Readers who may not answer read the messages with NIKs and phone numbers masked.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from satupintu.organization.access import staff_roles
from satupintu.organization.models import Role

ANSWERERS = {Role.FRONT_OFFICE, Role.COMPLAINT_OFFICER, Role.HEAD_OF_OFFICE}
READERS = {Role.HEAD_OF_OFFICE}

# A report being written to the bot: whether it is anonymous, or about integrity (the inspectorate's),
# is known only once it is sent, so until then the office it may be about does not read along (on its
# own number that office would otherwise watch the complaint being typed, and the number). A sent
# anonymous or integrity report leaves the office for good (flows._submit_report). The key may be
# missing: NOT (NULL = 'report') is not true in SQL, hence the isnull half.
_NOT_WRITING_REPORT = Q(state__flow__isnull=True) | ~Q(state__flow="report")


def writing_report(conv: Any) -> bool:
    return isinstance(conv.state, dict) and conv.state.get("flow") == "report"


def works_on_whatsapp(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(r.role in ANSWERERS for r in staff_roles(user))


def conversation_scope(user: Any) -> Q | None:
    """A filter on Conversation for what the user may read; None means everything but the sealed
    conversations (views.py leaves those out for everyone). A report being written is read by no
    one, Pusat included: on the national line, or as the head reading every office's."""
    if getattr(user, "is_superuser", False):
        return None
    scope = Q(pk__in=[])
    for r in staff_roles(user):
        if r.role not in ANSWERERS:
            continue
        if r.office.level == "pusat":
            scope |= (Q(office__isnull=True) | Q(office_id=r.office_id)) & _NOT_WRITING_REPORT
            if r.role in READERS:
                scope |= _NOT_WRITING_REPORT
        else:
            scope |= Q(office_id=r.office_id) & _NOT_WRITING_REPORT
            if r.role in READERS and r.office.level == "kanwil":
                scope |= Q(office__parent_id=r.office_id) & _NOT_WRITING_REPORT
    return scope


def may_answer(user: Any, conv: Any) -> bool:
    """Reply, assign, link, close: staff of the conversation's own office (Pusat for the national
    line's conversations that have no office yet)."""
    if conv.sealed:
        return False
    if getattr(user, "is_superuser", False):
        return True
    for r in staff_roles(user):
        if r.role not in ANSWERERS:
            continue
        if conv.office_id is not None and r.office_id == conv.office_id and not writing_report(conv):
            return True
        if conv.office_id is None and r.office.level == "pusat" and not writing_report(conv):
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
