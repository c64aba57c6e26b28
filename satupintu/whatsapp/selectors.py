"""Reads for the inbox: how long a conversation has waited (office time), the last message,
counts, and first-response times per office and per officer."""

from __future__ import annotations

from datetime import datetime
from statistics import median
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from satupintu.core import numbers
from satupintu.organization.access import staff_roles
from satupintu.organization.working_calendar import CalendarCache
from satupintu.whatsapp import access
from satupintu.whatsapp.models import Conversation, ConversationStatus, Message

TARGET_SECONDS = 3600  # a first human answer within one office hour


def waited(conv: Conversation, calendars: CalendarCache, now: datetime) -> int | None:
    """Office seconds since the handover, while nobody has answered yet."""
    if conv.waiting_since is None or conv.first_response_at is not None or conv.office_id is None:
        return None
    return max(0, calendars.for_office_of(conv).working_seconds_between(conv.waiting_since, now))


def duration_phrase(seconds: int) -> str:
    """Office time as people say it: "45 menit", "2 jam 5 menit"."""
    from django.utils.translation import gettext as _

    minutes = seconds // 60
    if minutes < 60:
        return _("%(m)d menit") % {"m": minutes}
    return _("%(h)d jam %(m)d menit") % {"h": minutes // 60, "m": minutes % 60}


def last_messages(conversations: list[Conversation]) -> dict[int, Message]:
    """Each conversation's newest message, for a page of them in two queries (not one per row)."""
    newest = Message.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-id").values("pk")[:1]
    pairs = list(Conversation.objects.filter(pk__in=[c.pk for c in conversations])
                 .annotate(last=Subquery(newest)).values_list("pk", "last"))
    messages = Message.objects.in_bulk([m for _, m in pairs if m is not None])
    return {conv: messages[m] for conv, m in pairs if m in messages}


def summary(qs: QuerySet[Conversation]) -> dict[str, int]:
    return qs.aggregate(
        waiting=Count("pk", filter=Q(status=ConversationStatus.WAITING)),
        assigned=Count("pk", filter=Q(status=ConversationStatus.ASSIGNED)),
        bot=Count("pk", filter=Q(status=ConversationStatus.BOT)),
    )


def may_read_stats(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(r.role in access.READERS for r in staff_roles(user))


def response_times(qs: QuerySet[Conversation], by: str) -> list[dict[str, Any]]:
    """Per office or per officer: answered conversations, median and share within the target."""
    groups: dict[str, list[int]] = {}
    for conv in qs.filter(first_response_seconds__isnull=False).select_related("office", "first_responder"):
        if by == "office":
            key = conv.office.name if conv.office else "—"
        else:
            person = conv.first_responder
            key = (person.get_full_name() or person.username) if person else "—"
        groups.setdefault(key, []).append(int(conv.first_response_seconds or 0))
    rows = []
    for key, seconds in sorted(groups.items()):
        within = sum(1 for s in seconds if s <= TARGET_SECONDS)
        rows.append({"name": key, "answered": len(seconds), "median_minutes": round(median(seconds) / 60),
                     "within_percent": numbers.percent(within, len(seconds))})
    return rows
