"""Events for webhooks, written to the outbox in the transaction of their cause (nothing lost,
nothing sent for a change that rolled back): one WebhookDelivery and one outbox message per
endpoint and event, both keyed by the event id, so recording the same cause twice sends once.

Payloads: ``{"type", "timestamp", "data"}``. Names, NIK, phone numbers, e-mail addresses and
free text people wrote go only to endpoints allowed personal data (models.WebhookEndpoint)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from satupintu.integrations.models import SCOPE_PERSONAL_DATA, WebhookDelivery, WebhookEndpoint
from satupintu.organization.models import Office

log = logging.getLogger(__name__)

# data(personal) -> the "data" object; personal says whether personal data may be in it.
DataBuilder = Callable[[bool], dict[str, Any]]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def subscribers(event_type: str, office: Office) -> list[WebhookEndpoint]:
    """Active endpoints that want this event and may see this office's events."""
    covering = Q(office__isnull=True) | Q(office__level="pusat") | Q(office_id=office.pk)
    if office.parent_id:
        covering |= Q(office_id=office.parent_id)
    # A partner's endpoint lives only as long as its key: revoked or expired, it receives nothing.
    key_live = Q(owner_key__revoked_at__isnull=True) & (Q(owner_key__expires_at__isnull=True)
                                                       | Q(owner_key__expires_at__gt=timezone.now()))
    candidates = (WebhookEndpoint.objects.filter(covering, active=True)
                  .filter(Q(owner_key__isnull=True) | key_live)
                  .select_related("owner_key"))
    # Filtered here, not in SQL: JSON "contains" is not portable to SQLite, and the list is short.
    return [e for e in candidates if event_type in (e.events or [])]


def allows_personal_data(endpoint: WebhookEndpoint) -> bool:
    if endpoint.owner_key is not None:
        return SCOPE_PERSONAL_DATA in (endpoint.owner_key.scopes or [])
    return endpoint.personal_data


def emit(event_type: str, *, event_id: str, office: Office, data: DataBuilder, at: datetime | None = None) -> int:
    """Queue ``event_type`` for every subscriber; call inside the cause's transaction. Returns
    how many deliveries were queued."""
    from satupintu.notifications.outbox import outbox_enqueue

    endpoints = subscribers(event_type, office)
    if not endpoints:
        return 0
    timestamp = _iso(at or timezone.now())
    bodies: dict[bool, str] = {}
    queued = 0
    for endpoint in endpoints:
        personal = allows_personal_data(endpoint)
        if personal not in bodies:
            bodies[personal] = json.dumps({"type": event_type, "timestamp": timestamp, "data": data(personal)},
                                          ensure_ascii=False, separators=(",", ":"))
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(endpoint=endpoint, event_id=event_id,
                                                          event_type=event_type, payload=bodies[personal])
        except IntegrityError:  # already recorded for this endpoint
            continue
        outbox_enqueue(channel="webhook", recipient=str(delivery.pk), subject=event_type, body=delivery.payload,
                       dedupe_key=f"webhook:{delivery.pk}")
        queued += 1
    return queued


# --- the domain's events ------------------------------------------------------------------

def application_event(app: Any, event: Any) -> None:
    """From services.workflow.record_event: a submission, or a change of status."""
    if event.action == "submit":
        event_type = "application.submitted"
    elif event.to_status and event.from_status and event.to_status != event.from_status:
        event_type = "application.status_changed"
    else:
        return

    def data(personal: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "tracking_code": app.tracking_code, "service": app.service.slug, "office": app.office.code,
            "status": app.status, "previous_status": event.from_status or None, "action": event.action,
            "submitted_at": _iso(app.submitted_at), "due_at": _iso(app.due_at), "at": _iso(event.at),
        }
        if personal:
            out["applicant"] = {"name": app.applicant_name, "nik": app.nik, "phone": app.phone, "email": app.email}
            out["note"] = event.note if event.public else ""
        return out

    emit(event_type, event_id=f"evt_app_{event.pk}", office=app.office, data=data, at=event.at)


def report_ref(tracking_code: str) -> str:
    """A report's stable reference for integrators, from which its tracking code cannot be had."""
    import hashlib
    import hmac

    from django.conf import settings

    return "rep_" + hmac.new(settings.SECRET_KEY.encode(), f"report-ref:{tracking_code}".encode(),
                             hashlib.sha256).hexdigest()[:20]


def report_event(report: Any, event: Any) -> None:
    """From feedback.reports.record_event: a new report, or a change of status. Integrity reports
    (bribery, misconduct) are never sent out: only the inspectorate handles them."""
    if report.integrity:
        return
    if event.action == "submit":
        event_type = "report.submitted"
    elif event.to_status:
        event_type = "report.status_changed"
    else:
        return

    def data(personal: bool) -> dict[str, Any]:
        # A report's tracking code opens its public page (title, answer): a bearer code, so only for
        # endpoints allowed personal data. Every endpoint gets `report_ref`, the same for all of one
        # report's events, to tie them together.
        out: dict[str, Any] = {
            "report_ref": report_ref(report.tracking_code), "kind": report.kind, "category": report.category,
            "office": report.office.code, "status": report.status, "action": event.action,
            "submitted_at": _iso(report.submitted_at), "due_at": _iso(report.due_at), "at": _iso(event.at),
        }
        if personal:
            out["tracking_code"] = report.tracking_code
            out["title"], out["text"] = report.title, report.text
            # Never the identity of an anonymous or confidential reporter, whatever the scope.
            hidden = report.anonymous or report.confidential
            out["reporter"] = None if hidden else {
                "name": report.reporter_name, "email": report.reporter_email, "phone": report.reporter_phone}
        return out

    emit(event_type, event_id=f"evt_rep_{event.pk}", office=report.office, data=data, at=event.at)


def survey_event(response: Any) -> None:
    """From feedback.survey.survey_submit."""
    from satupintu.feedback.elements import ELEMENTS

    def data(personal: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": response.pk, "office": response.office.code,
            "service": response.service.slug if response.service_id else None,
            "application": response.application.tracking_code if response.application_id else None,
            "channel": response.channel, "verified": response.verified, "answered_on": response.answered_on.isoformat(),
            "answers": {e.code: getattr(response, e.code) for e in ELEMENTS},
        }
        if personal:
            out["respondent"] = {"sex": response.sex, "age_group": response.age_group,
                                 "education": response.education, "occupation": response.occupation}
            out["comment"] = response.comment
        return out

    emit("survey.submitted", event_id=f"evt_svy_{response.pk}", office=response.office, data=data)
