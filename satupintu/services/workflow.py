"""The application state machine: one table of transitions, one function that applies them.

Every change is recorded as an Event (the timeline is the audit trail), moves the SLA
clock, and puts a message for the applicant in the outbox, all in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from satupintu.core import actors
from satupintu.core.errors import DomainError, Forbidden, ValidationErrors
from satupintu.core.texts import fitted
from satupintu.integrations import events as integration_events
from satupintu.organization import access
from satupintu.organization.models import Office, Unit
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.services import catalog, messages, sla
from satupintu.services.models import ACTION_LABELS, Application, DocumentKind, Event, Status

S = Status


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: back to the status held before Perlu Dilengkapi
    by_citizen: bool = False
    note_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    "verify": Transition(frozenset({S.SUBMITTED}), S.VERIFIED),
    "process": Transition(frozenset({S.VERIFIED}), S.IN_PROCESS),
    "request_completion": Transition(
        frozenset({S.SUBMITTED, S.VERIFIED, S.IN_PROCESS}), S.NEEDS_COMPLETION, note_required=True
    ),
    "complete": Transition(frozenset({S.IN_PROCESS}), S.COMPLETED),
    "reject": Transition(frozenset({S.SUBMITTED, S.VERIFIED, S.IN_PROCESS}), S.REJECTED, note_required=True),
    "citizen_complete": Transition(frozenset({S.NEEDS_COMPLETION}), None, by_citizen=True),
    "withdraw": Transition(
        frozenset({S.SUBMITTED, S.VERIFIED, S.IN_PROCESS, S.NEEDS_COMPLETION}), S.WITHDRAWN, by_citizen=True
    ),
}



def actor_label(user) -> str:  # type: ignore[no-untyped-def]
    if user is None or not user.is_authenticated:
        return "Pemohon"
    return user.get_full_name() or user.get_username()


def allowed_actions(app: Application, user) -> list[str]:  # type: ignore[no-untyped-def]
    """Officer actions open on this application for this user, in display order."""
    result = [
        name
        for name, t in TRANSITIONS.items()
        if not t.by_citizen and app.status in t.sources and access.can_act(user, app, name)
    ]
    if not app.is_final:
        result += [a for a in ("assign", "forward") if access.can_act(user, app, a)]
    if app.status == S.IN_PROCESS or (app.status == S.COMPLETED and app.handed_over_at is None):
        if access.can_act(user, app, "upload_product"):
            # The product comes first: completing is the last step, not the one before it.
            result.insert(result.index("complete") if "complete" in result else len(result), "upload_product")
    if app.status == S.COMPLETED and app.handed_over_at is None and access.can_act(user, app, "handover"):
        result.append("handover")
    return result


def next_step(app: Application, actions: list[str]) -> str:
    """Who moves the application on, said to a reader who cannot: a front office that verified was
    left with "Tugaskan" and no word that the unit processes it."""
    unit = app.unit.local_name if app.unit_id else _("unit pengolah")
    if app.status == S.SUBMITTED and "verify" not in actions:
        return _("Langkah berikutnya: front office atau %(unit)s memeriksa dan memverifikasi berkas.") % {"unit": unit}
    if app.status == S.VERIFIED and "process" not in actions:
        return _("Langkah berikutnya: %(unit)s memproses permohonan ini. Tugaskan ke petugasnya bila perlu.") % {
            "unit": unit}
    if app.status == S.IN_PROCESS and "complete" not in actions:
        return _("Sedang diproses %(unit)s, yang juga menyelesaikannya.") % {"unit": unit}
    if app.status == S.NEEDS_COMPLETION:
        return _("Menunggu pemohon melengkapi berkas; waktu layanan berhenti sampai berkas dilengkapi.")
    return ""


def _requested(app: Application, codes: list[str]) -> list[str]:
    from satupintu.services.catalog import requirement_names

    known = requirement_names(app.service, app.office)
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise DomainError("unknown_requirement", "Pilih berkas dari daftar persyaratan layanan ini.",
                          field="requirements")
    return [c for c in known if c in codes]  # in the service's order, once each


def requested_files(app: Application) -> list[str]:
    """The requirement codes the officer's latest request for completion asked for again."""
    if app.status != S.NEEDS_COMPLETION:
        return []
    last = app.events.filter(action="request_completion").order_by("-at", "-id").first()
    return list((last.data or {}).get("requirements", [])) if last is not None else []


def record_event(
    app: Application, *, action: str, user=None, note: str = "", public: bool = True,  # type: ignore[no-untyped-def]
    from_status: str = "", to_status: str = "", now: datetime | None = None, data: dict | None = None,
    label: str | None = None,
) -> Event:
    event = Event.objects.create(
        application=app,
        at=now or timezone.now(),
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=user if user is not None and user.is_authenticated else None,
        # A full name runs to 301 characters (first and last name), the column to 150.
        actor_label=fitted(Event, "actor_label", label or actor_label(user)),
        note=note,
        public=public,
        data=data or {},
    )
    # Webhooks for integrators (submitted, status changed), in this same transaction.
    integration_events.application_event(app, event)
    return event


def completion_error(app: Application, note: str) -> DomainError | None:
    """Completing needs the product uploaded, or instructions for collecting it."""
    if (note or "").strip() or app.documents.filter(kind=DocumentKind.PRODUCT, superseded=False).exists():
        return None
    return DomainError("product_or_pickup_required",
                       "Unggah produk layanan, atau tuliskan cara pengambilan produk untuk pemohon.", field="note")


def application_transition(
    app: Application, action: str, *, user=None, note: str = "", now: datetime | None = None,  # type: ignore[no-untyped-def]
    requested: list[str] | None = None, said: dict | None = None,
) -> Application:
    """Apply ``action``; call with the row you got, it is re-read under lock. ``said``: the
    ``data`` of ``actors.step_note`` when the system wrote the start of ``note``.

    Citizen actions (``by_citizen``) pass ``user=None`` after the caller proved ownership.
    ``requested``: for request_completion, the requirement codes to send again (kept on the step,
    marked on the tracking page and named in the applicant's message).
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError("unknown_action", "Aksi '%(action)s' tidak dikenal.", params={"action": action})
    now = now or timezone.now()
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("office", "service").get(pk=app.pk)
        if not transition.by_citizen and not access.can_act(user, app, action):
            raise Forbidden("forbidden", "Anda tidak berwenang melakukan aksi ini pada permohonan ini.")
        if app.status not in transition.sources:
            raise DomainError(
                "invalid_transition",
                "Aksi '%(action)s' tidak bisa dilakukan pada status '%(status)s'.",
                status=409, params={"action": ACTION_LABELS.get(action, action), "status": Status(app.status).label},
            )
        note = (note or "").strip()
        if transition.note_required and not note:
            raise DomainError("note_required", "Tuliskan alasannya; pemohon akan membacanya.", field="note")
        source = app.status
        target = transition.target or app.resume_status or S.SUBMITTED
        calendar = WorkingCalendar.for_office(app.office)
        if target == S.NEEDS_COMPLETION:
            app.resume_status = source
            app.completion_request = note
            sla.sla_pause(app, calendar=calendar, now=now)
        elif source == S.NEEDS_COMPLETION and target not in (S.WITHDRAWN,):
            app.resume_status = ""
            sla.sla_resume(app, calendar=calendar, now=now)
        if target in (S.COMPLETED, S.REJECTED, S.WITHDRAWN):
            sla.sla_stop(app, calendar=calendar, now=now)
            app.closed_at = now
        if target == S.REJECTED:
            app.rejection_reason = note
        if action == "complete":
            if (missing := completion_error(app, note)) is not None:
                raise missing
            # With a product uploaded the note is optional; it is what the citizen reads either way.
            app.pickup_instructions = note
        app.status = target
        app.save()
        if target in (S.REJECTED, S.WITHDRAWN):
            from satupintu.documents.issuing import void_for_closed_application

            void_for_closed_application(app, user=user, now=now)
        event = record_event(
            app, action=action, user=user, note=note, from_status=source, to_status=target, now=now,
            data=({"requirements": _requested(app, requested)} if action == "request_completion" and requested
                  else said),
        )
        messages.notify_applicant(app, event)
    return app


def application_assign(app: Application, *, user, assignee, note: str = "") -> Application:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=app.pk)
        if not access.can_act(user, app, "assign"):
            raise Forbidden("forbidden", "Anda tidak berwenang menugaskan permohonan ini.")
        if assignee is None:
            raise DomainError("invalid_assignee", "Pilih petugas yang ditugaskan.", field="assignee")
        if not type(assignee).objects.filter(access.assignable(app), pk=assignee.pk).exists():
            raise DomainError("invalid_assignee", "Petugas yang dipilih tidak menangani permohonan ini di kantor ini.",
                              field="assignee")
        app.assigned_to = assignee
        app.save(update_fields=["assigned_to", "updated_at"])
        record_event(
            app, action="assign", user=user, public=False,
            **actors.step_note(gettext_noop("Kepada %(name)s."), note, data={"assignee": assignee.pk},
                               name=actor_label(assignee)),
        )
    return app


def application_forward(
    app: Application, *, user, office: Office | None, unit: Unit | None, note: str,  # type: ignore[no-untyped-def]
    now: datetime | None = None,
) -> Application:
    """Disposition: hand the application to another unit or another office, with a note."""
    now = now or timezone.now()
    note = (note or "").strip()
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("office").get(pk=app.pk)
        if not access.can_act(user, app, "forward"):
            raise Forbidden("forbidden", "Anda tidak berwenang mendisposisikan permohonan ini.")
        missing = [DomainError("invalid_destination", "Pilih kantor dan unit tujuan.", field=name)
                   for name, value in (("office", office), ("unit", unit)) if value is None]
        if not note:
            missing.append(DomainError("note_required", "Tuliskan catatan disposisi.", field="note"))
        if missing:
            raise ValidationErrors(missing) if len(missing) > 1 else missing[0]
        assert office is not None and unit is not None
        if app.is_final:
            raise DomainError("invalid_transition", "Permohonan yang sudah selesai tidak bisa didisposisikan.", status=409)
        if office.pk == app.office_id and unit.pk == app.unit_id:
            raise DomainError("same_destination", "Tujuan disposisi sama dengan posisi sekarang.", field="unit")
        related = {app.office_id, app.office.parent_id} | set(app.office.children.values_list("pk", flat=True))
        if office.pk not in related:
            raise DomainError(
                "invalid_destination",
                "Disposisi hanya ke kantor sendiri, kantor atasan, atau kantor di bawahnya.",
                field="office",
            )
        if office.pk != app.office_id and not catalog.offers(app.service, office):
            raise DomainError("service_not_offered", "%(office)s tidak melayani %(service)s; pilih kantor lain.",
                              field="office", params={"office": office.name, "service": app.service.name})
        before = f"{app.office.code}/{app.unit_id}"
        moved_office = office.pk != app.office_id
        old_calendar = WorkingCalendar.for_office(app.office)
        app.office, app.unit, app.assigned_to = office, unit, None
        if moved_office:
            sla.sla_reschedule(app, before=old_calendar, calendar=WorkingCalendar.for_office(office), now=now)
        app.save()
        data = {"from": before, "to": f"{office.code}/{unit.pk}"}
        if not moved_office:
            record_event(app, action="forward", user=user, now=now, public=False,
                         **actors.step_note(gettext_noop("Ke %(unit)s."), note, data=data, unit=unit.name,
                                            english={"unit": unit.name_en}))
            return app
        # The applicant reads where it went and is told; the note is between colleagues (it was on
        # the citizen's tracking page).
        event = record_event(app, action="forward", user=user, now=now,
                             **actors.step_note(gettext_noop("Ke %(office)s."), data=data, office=office.name))
        record_event(app, action="note", user=user, now=now, public=False,
                     **actors.step_note(gettext_noop("Ke %(unit)s, %(office)s."), note, unit=unit.name, office=office.name,
                                        english={"unit": unit.name_en}))
        messages.notify_applicant(app, event)
    return app
