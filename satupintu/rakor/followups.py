"""Decisions and their follow-up: actions with indicators and due dates, adoption by offices
below (the cascade), progress with evidence, closing and reopening, and the board that rolls
a decision's progress up from every office that adopted it.

An action's state on the board: done; late (open past its due date, office-local);
on track (open, with progress reported); not started (open, nothing reported yet).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from satupintu.core import numbers
from satupintu.core.errors import Conflict, DomainError, Forbidden, ValidationErrors, collect_into
from satupintu.core.links import is_web_link
from satupintu.organization.finder import offices_below
from satupintu.organization.models import Office
from satupintu.organization.working_calendar import office_today
from satupintu.rakor.models import Action, ActionStatus, Decision, Meeting, ProgressUpdate

STATES = ("done", "on_track", "late", "not_started")


def add_decision(meeting: Meeting, text: str, given_by: str = "") -> Decision:
    if not text.strip():
        raise DomainError("missing_text", "Tulis isi keputusan atau arahan.", field="text")
    if len(given_by.strip()) > 200:  # said, never cut
        raise DomainError("given_by_too_long", "Paling panjang %(max)s karakter.", field="given_by", params={"max": 200})
    return Decision.objects.create(meeting=meeting, text=text.strip(), given_by=given_by.strip())


def may_see(office: Office, meeting: Meeting) -> bool:
    """An office sees a meeting of its own, of an office above it, or one it was invited to."""
    above: set[int] = set()
    current: Office | None = office
    while current is not None:
        above.add(current.pk)
        current = current.parent
    return meeting.office_id in above or meeting.invited_offices.filter(pk=office.pk).exists()


def user_may_see(user, meeting: Meeting) -> bool:  # type: ignore[no-untyped-def]
    """The one rule for pages and API: Pusat staff and superusers see every meeting; others see
    what one of their offices may see, or a meeting they were invited to in person."""
    from satupintu.organization.access import staff_roles

    offices = [r.office for r in staff_roles(user)]
    if user.is_superuser or any(o.code == "pusat" for o in offices):
        return True
    return any(may_see(o, meeting) for o in offices) or meeting.invited_people.filter(pk=user.pk).exists()


def visible_meetings(user, meetings: list[Meeting]) -> set[int]:  # type: ignore[no-untyped-def]
    """The ids of ``meetings`` this user may see (``user_may_see`` for each), in three queries for
    the lot: a board lists a hundred meetings, two invitation lookups each were two hundred queries."""
    from satupintu.organization.access import staff_roles

    offices = [r.office for r in staff_roles(user)]
    ids = [m.pk for m in meetings]
    if user.is_superuser or any(o.code == "pusat" for o in offices):
        return set(ids)
    above: set[int] = set()
    for office in offices:
        current: Office | None = office
        while current is not None:
            above.add(current.pk)
            current = current.parent
    seen = {m.pk for m in meetings if m.office_id in above}
    rest = [pk for pk in ids if pk not in seen]
    if rest:
        seen |= set(Meeting.invited_offices.through.objects.filter(
            meeting_id__in=rest, office_id__in=[o.pk for o in offices]).values_list("meeting_id", flat=True))
        seen |= set(Meeting.invited_people.through.objects.filter(
            meeting_id__in=rest, user_id=user.pk).values_list("meeting_id", flat=True))
    return seen


def adopt(decision: Decision, into: Meeting) -> Decision:
    """The office of ``into`` takes a decision from a meeting above into its own meeting."""
    if decision.meeting_id == into.pk:
        raise Conflict("adopt_same_meeting", "Keputusan ini sudah milik rapat ini.")
    if decision.meeting.office_id == into.office_id:
        raise Conflict("adopt_own_office", "Keputusan kantor sendiri tidak perlu diadopsi; tambahkan tindak lanjutnya.")
    if not may_see(into.office, decision.meeting):
        raise Forbidden("adopt_not_visible", "Kantor Anda tidak dapat mengadopsi keputusan dari rapat itu.")
    try:
        with transaction.atomic():
            return Decision.objects.create(meeting=into, text=decision.text, given_by=decision.given_by,
                                           adopted_from=decision)
    except IntegrityError:
        raise Conflict("already_adopted", "Keputusan ini sudah diadopsi ke rapat ini.") from None


def missing_indicator() -> DomainError:
    return DomainError("missing_indicator", "Tulis apa yang harus ditunjukkan (indikator).", field="indicator")


def add_action(decision: Decision, *, office: Office, indicator: str, due_date: date,
               evidence_required: bool = True, unit=None) -> Action:  # type: ignore[no-untyped-def]
    if not indicator.strip():
        raise missing_indicator()
    if len(indicator.strip()) > 300:  # said, never cut
        raise DomainError("indicator_too_long", "Paling panjang %(max)s karakter.", field="indicator",
                          params={"max": 300})
    if due_date < office_today(office):
        raise DomainError("due_in_past", "Tenggat tidak boleh di masa lalu.", field="due_date")
    if office.merged_into_id is not None:  # nobody there would carry it out
        raise DomainError("office_merged", "%(office)s sudah digabung ke %(into)s: tugaskan tindak lanjut ke %(into)s.",
                          field="office", params={"office": office.name, "into": office.successor().name})
    issuer = decision.meeting.office
    if office.pk != issuer.pk and office.parent_id != issuer.pk and issuer.level != "pusat":
        raise Forbidden("action_not_below", "Tindak lanjut hanya dapat ditugaskan ke kantor sendiri atau "
                                            "kantor di bawahnya.")
    return Action.objects.create(decision=decision, office=office, unit=unit, indicator=indicator.strip(),
                                 due_date=due_date, evidence_required=evidence_required)


def report_progress(action: Action, *, user, note: str, link: str = "", evidence=None,  # type: ignore[no-untyped-def]
                    percent: int = 0) -> ProgressUpdate:
    """A progress report, with an evidence link or file (PDF, JPG or PNG); every problem of the
    report at once in ``ValidationErrors``."""
    from satupintu.services import uploads

    if action.status == ActionStatus.DONE:
        raise Conflict("already_done", "Tindak lanjut ini sudah selesai; buka kembali dulu untuk melapor.")
    errors: list[DomainError] = []
    if not note.strip():
        errors.append(DomainError("missing_note", "Tulis perkembangan tindak lanjut.", field="note"))
    if not 0 <= percent <= 100:
        errors.append(DomainError("invalid_percent", "Persentase harus 0 sampai 100.", field="percent"))
    if link and not is_web_link(link, 500):
        errors.append(DomainError("invalid_link", "Tautan bukti harus alamat http(s), paling panjang 500 karakter.",
                                  field="link"))
    checked = collect_into(errors)(uploads.check_upload, evidence, label="bukti", field="evidence") \
        if evidence is not None else None
    if errors:
        raise ValidationErrors(errors)
    # The evidence file and its row together, or neither (storage_full / storage_unavailable).
    with uploads.files_in_transaction() as written:
        Action.objects.select_for_update().filter(pk=action.pk).first()  # two sends of one form in turn
        if (same := _resent(action, user, note.strip(), link, percent, checked)) is not None:
            return same  # the same report again (a double click, "send" after "back"): once is enough
        update = ProgressUpdate(action=action, author=user, note=note.strip(), link=link, percent=percent)
        if checked is not None:
            written.store(update.evidence, checked.original_name, evidence)
        update.save()
    return update


RESEND_WINDOW = timedelta(minutes=10)


def _resent(action: Action, user, note: str, link: str, percent: int,  # type: ignore[no-untyped-def]
            checked) -> ProgressUpdate | None:  # type: ignore[no-untyped-def]
    """The update this user sent a moment ago with the same words, link, percent and evidence, if any.
    Evidence is compared by content (the stored file's digest, read only when the sizes match): two
    photos of one size are two pieces of evidence."""
    import hashlib

    recent = ProgressUpdate.objects.filter(action=action, author=user, note=note, link=link, percent=percent,
                                           at__gte=timezone.now() - RESEND_WINDOW).order_by("-at", "-id")
    for update in recent:
        if checked is None and not update.evidence:
            return update
        if checked is not None and update.evidence:
            try:
                if update.evidence.size != checked.size:
                    continue
                digest = hashlib.sha256()
                with update.evidence.open("rb") as stored:
                    for chunk in iter(lambda: stored.read(1 << 16), b""):
                        digest.update(chunk)
            except OSError:  # the earlier file is gone from storage: store this one
                continue
            if digest.hexdigest() == checked.sha256:
                return update
    return None


def close_action(action: Action, *, user) -> Action:  # type: ignore[no-untyped-def]
    if action.status == ActionStatus.DONE:
        raise Conflict("already_done", "Tindak lanjut ini sudah selesai.")
    if action.evidence_required and not any(u.has_evidence for u in action.updates.all()):
        raise Conflict("evidence_required", "Unggah atau tautkan bukti sebelum menutup tindak lanjut ini.")
    action.status, action.closed_at, action.closed_by = ActionStatus.DONE, timezone.now(), user
    action.save(update_fields=["status", "closed_at", "closed_by"])
    return action


def reopen_action(action: Action, *, user) -> Action:  # type: ignore[no-untyped-def]
    if action.status != ActionStatus.DONE:
        raise Conflict("not_done", "Hanya tindak lanjut yang selesai yang dapat dibuka kembali.")
    action.status, action.closed_at, action.closed_by = ActionStatus.OPEN, None, None
    # Reopened work is followed up again: a new reminder, and escalation if it goes late.
    action.reminded_at = action.escalated_at = None
    action.save(update_fields=["status", "closed_at", "closed_by", "reminded_at", "escalated_at"])
    return action


def action_state(action: Action, today: date | None = None, *, has_updates: bool | None = None) -> str:
    """``has_updates``: whether the action has progress updates, when the caller has them loaded already."""
    if action.status == ActionStatus.DONE:
        return "done"
    today = today or office_today(action.office)
    if action.due_date < today:
        return "late"
    if has_updates is None:
        has_updates = action.updates.exists()
    return "on_track" if has_updates else "not_started"


def descendants(decision: Decision) -> list[Decision]:
    """The decision and every adoption of it, at any depth."""
    found, frontier = [decision], [decision]
    while frontier:
        frontier = list(Decision.objects.filter(adopted_from__in=frontier).select_related("meeting__office"))
        found += frontier
    return found


@dataclass
class OfficeProgress:
    office: Office
    adopted: bool
    states: Counter = field(default_factory=Counter)

    @property
    def overall(self) -> str:
        if not self.adopted and not sum(self.states.values()):
            return "not_adopted"
        for state in ("late", "not_started", "on_track"):
            if self.states[state]:
                return state
        return "done" if self.states["done"] else "not_started"


@dataclass
class DecisionProgress:
    decision: Decision
    totals: Counter
    offices: list[OfficeProgress]
    late_actions: list[Action] = field(default_factory=list)  # with office, parent and meeting loaded

    @property
    def late_offices(self) -> list[Office]:
        return [p.office for p in self.offices if p.states["late"]]

    @property
    def not_adopted(self) -> list[Office]:
        return [p.office for p in self.offices if p.overall == "not_adopted"]

    @property
    def percent_done(self) -> int:
        total = sum(self.totals.values())
        return numbers.percent(self.totals["done"], total) if total else 0


def expected_offices(decision: Decision) -> list[Office]:
    """Who should follow a decision up: the invited offices, else the offices right below."""
    meeting = decision.meeting
    invited = list(meeting.invited_offices.all())
    return invited or offices_below(meeting.office)


def decision_progress(decision: Decision) -> DecisionProgress:
    """Roll the decision's progress up from every office that adopted it, at any depth."""
    tree = descendants(decision)
    # States computed by the database (action_state_expression), not per action with its updates
    # loaded: a national decision has an action in every office.
    timezones = set(Office.objects.values_list("timezone", flat=True).distinct())
    actions = list(Action.objects.filter(decision__in=tree).select_related("office__parent", "decision__meeting")
                   .annotate(board_state=action_state_expression(timezones)).order_by("due_date", "id"))
    adopters = {d.meeting.office_id for d in tree if d.adopted_from_id}
    per: dict[int, OfficeProgress] = {}
    for office in expected_offices(decision):
        per[office.pk] = OfficeProgress(office, adopted=office.pk in adopters)
    totals: Counter = Counter()
    late_actions: list[Action] = []
    for action in actions:
        state = action.state = action.board_state  # type: ignore[attr-defined]
        totals[state] += 1
        if state == "late":
            late_actions.append(action)
        # An action of a Kankemenag under an adopting Kanwil counts for that Kanwil too.
        for counted in {action.office, action.office.parent}:
            if counted is not None and counted.pk in per:
                per[counted.pk].states[state] += 1
    for office_id in adopters:
        if office_id in per:
            per[office_id].adopted = True
    return DecisionProgress(decision, totals, sorted(per.values(), key=lambda p: p.office.code), late_actions)


# --- the office board, counted in the database ---------------------------------------------------

BOARD_LIST_LIMIT = 50  # actions listed per state; the counts always cover all of them


@dataclass
class Board:
    groups: list[tuple[str, list[Action], int, int]]  # (state, first actions, how many, how many not listed)
    summary: list[dict]  # type: ignore[type-arg]
    count: int


def roll_up(summary: list[dict], roots: list[Office], offices: list[Office]) -> list[dict]:  # type: ignore[type-arg]
    """The per-office table one level at a time: a row for each root and for each office
    directly below a root, counting that office and the offices below it. Under a Kanwil that
    is every Kankemenag; under Pusat the 38 Kanwil, each one a link to its own table."""
    root_ids = {r.pk for r in roots}
    by_pk = {o.pk: o for o in offices}
    rows: dict[int, dict] = {}  # type: ignore[type-arg]
    for r in summary:
        office = r["office"]
        head = office if office.pk in root_ids or office.parent_id in root_ids else by_pk.get(office.parent_id, office)
        row = rows.setdefault(head.pk, {"office": head, "drill": False, **{k: 0 for k in r if k != "office"}})
        for k, v in r.items():
            if k != "office":
                row[k] += v
        row["drill"] |= head.pk != office.pk
    return sorted(rows.values(), key=lambda r: (-r["late"], r["office"].code))


def action_state_expression(timezones: set[str]):  # type: ignore[no-untyped-def]
    """`action_state` as SQL: late is "open and due before today in the office's time zone"."""
    from django.db.models import Case, Exists, OuterRef, Q, Value, When

    late = Q(pk__in=[])
    for tz in sorted(timezones):
        late |= Q(office__timezone=tz, due_date__lt=timezone.now().astimezone(ZoneInfo(tz)).date())
    return Case(
        When(status=ActionStatus.DONE, then=Value("done")),
        When(late, then=Value("late")),
        When(Exists(ProgressUpdate.objects.filter(action=OuterRef("pk"))), then=Value("on_track")),
        default=Value("not_started"),
    )


def board(offices: list[Office], order: tuple[str, ...], limit: int = BOARD_LIST_LIMIT) -> Board:
    """The follow-up board of these offices: per state the count and the first ``limit`` actions
    (by due date), and per office the count of each state. With every office of the country
    that is tens of thousands of actions: counted in one grouped query, not loaded."""
    from django.db.models import Count, F, Window
    from django.db.models.functions import RowNumber

    ids = [o.pk for o in offices]
    timezones = {o.timezone for o in offices}
    qs = Action.objects.filter(office_id__in=ids).annotate(board_state=action_state_expression(timezones))
    # The counts: one row per (office, state), at most four per office, grouped by the database.
    per_office: dict[int, dict[str, int]] = {}
    totals: Counter[str] = Counter()
    for office_id, state, n in (qs.order_by().values("office_id", "board_state").annotate(n=Count("pk"))
                                .values_list("office_id", "board_state", "n")):
        per_office.setdefault(office_id, dict.fromkeys(order, 0))[state] = n
        totals[state] += n
    names = {o.pk: o for o in offices}
    rows: list[dict[str, Any]] = [{"office": names[pk], **states} for pk, states in per_office.items()]
    summary = sorted(rows, key=lambda r: (-r["late"], r["office"].code))
    # The list: the first ``limit`` of each state by due date, numbered per state by the database
    # (ids only: joining offices and meetings for every action before the cut costs more).
    ranked = qs.annotate(rank=Window(RowNumber(), partition_by=[F("board_state")], order_by=[F("due_date"), F("pk")]))
    wanted = dict(ranked.filter(rank__lte=limit).values_list("pk", "board_state"))
    first: dict[str, list[Action]] = {state: [] for state in order}
    for a in (Action.objects.filter(pk__in=wanted).select_related("office", "decision__meeting__office")
              .order_by("due_date", "pk")):
        a.state = wanted[a.pk]  # type: ignore[attr-defined]
        first[wanted[a.pk]].append(a)
    groups = [(state, first[state], totals[state], totals[state] - len(first[state])) for state in order]
    return Board(groups, summary, sum(totals.values()))
