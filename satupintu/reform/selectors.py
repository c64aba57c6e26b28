"""Reading breakthroughs: an office's list (what the Zona Integritas pack reads), the Rakor calls an
office may answer, and a call's board (which office and unit delivered, late, or not yet)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce

from satupintu.organization.models import Office, Unit
from satupintu.organization.working_calendar import office_today
from satupintu.reform.models import Breakthrough, BreakthroughCall, BreakthroughIndicator

# A late answer still counts (as late) on the board; a call this long past its date is no longer offered.
CALL_OFFERED_DAYS_AFTER_DUE = 180
STATES = ("delivered", "late", "missing")


def breakthroughs_prefetched() -> QuerySet[Breakthrough]:
    """Breakthroughs with what their pages and the figures read: office, unit, call, indicators, evidence."""
    return (Breakthrough.objects.select_related("office", "unit", "call__decision__meeting")
            .prefetch_related(Prefetch("indicators", BreakthroughIndicator.objects.select_related("service")),
                              "evidence"))


def office_breakthroughs(office: Office) -> QuerySet[Breakthrough]:
    """The office's breakthroughs, newest start first, with their indicators (and services) and evidence."""
    return breakthroughs_prefetched().filter(office=office)


def open_calls_for(office: Office) -> list[BreakthroughCall]:
    """The Rakor calls asking this office for breakthroughs that it may still answer, soonest first."""
    oldest = office_today(office) - timedelta(days=CALL_OFFERED_DAYS_AFTER_DUE)
    return list(BreakthroughCall.objects.filter(offices=office, due_date__gte=oldest)
                .select_related("decision__meeting__office").order_by("due_date", "pk"))


@dataclass(frozen=True)
class CallRow:
    office: Office
    unit: Unit | None  # None on a call per office
    state: str  # delivered | late | missing
    breakthrough: Breakthrough | None
    registered_on: date | None  # office-local day the call was answered (the breakthrough linked to it)


@dataclass
class CallBoard:
    call: BreakthroughCall
    rows: list[CallRow]
    counts: dict[str, int] = field(default_factory=dict)
    past_due: bool = False  # the due date has passed (in the caller's office): "missing" means not delivered

    @property
    def total(self) -> int:
        return len(self.rows)


def call_board(call: BreakthroughCall, *, today: date | None = None) -> CallBoard:
    """Each office asked (and each unit, on a call per unit): delivered by the due date, late, or missing.

    The first breakthrough linked in answer counts, on the office-local day it was linked."""
    offices = list(call.offices.order_by("code"))
    units: list[Unit | None] = list(Unit.objects.order_by("name")) if call.per_unit else [None]
    answers = Breakthrough.objects.filter(call=call).select_related("office", "unit").order_by(
        Coalesce("answered_at", "created_at"), "pk")
    first: dict[tuple[int, int | None], Breakthrough] = {}
    for b in answers:
        first.setdefault((b.office_id, b.unit_id if call.per_unit else None), b)
    rows = []
    for office in offices:
        for unit in units:
            answer = first.get((office.pk, unit.pk if unit else None))
            if answer is None:
                rows.append(CallRow(office, unit, "missing", None, None))
                continue
            day = (answer.answered_at or answer.created_at).astimezone(ZoneInfo(office.timezone)).date()
            rows.append(CallRow(office, unit, "delivered" if day <= call.due_date else "late", answer, day))
    counts = {s: sum(1 for r in rows if r.state == s) for s in STATES}
    decided_in = call.decision.meeting.office
    return CallBoard(call, rows, counts, past_due=(today or office_today(decided_in)) > call.due_date)
