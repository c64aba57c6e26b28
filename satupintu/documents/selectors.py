"""Reads for the documents pages: the signer's queue, and the panel on an application's page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from satupintu.documents import access, issuing
from satupintu.documents.models import IssuedDocument, Kind, State
from satupintu.organization import access as org_access
from satupintu.services.models import Application, Status


def queue(user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Waiting for my signature; being signed (with the service's last error); my drafts;
    recently issued by the offices I see."""
    mine = access.offices_signed_by(user)
    base = IssuedDocument.objects.select_related("application__service", "office").filter(kind=Kind.PRODUCT)
    visible = access.visible(user, base)
    return {
        "awaiting": list(base.filter(office__in=mine, state=State.AWAITING).order_by("prepared_at")),
        "signing": list(visible.filter(state=State.SIGNING).order_by("approved_at")),
        "drafts": list(visible.filter(state=State.DRAFT).filter(Q(prepared_by=user) | Q(office__in=mine))
                       .order_by("-prepared_at")[:50]),
        "issued": list(visible.filter(state__in=[State.VALID, State.REVOKED, State.REPLACED])
                       .order_by("-signed_at")[:50]),
        "signs_for": mine,
        "heads": any(r.role == "head_of_office" for r in org_access.staff_roles(user)),
    }


def panel(app: Application, user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """What the application's page shows about its documents."""
    docs = list(app.issued_documents.exclude(state=State.DISCARDED).order_by("-prepared_at"))
    template = issuing.template_for(app)
    busy = any(d.state in (State.DRAFT, State.AWAITING, State.SIGNING) for d in docs)
    return {
        "documents": docs,
        "template": template,
        "can_prepare": (template is not None and not busy and access.may_prepare(user, app)
                        and app.status in (Status.IN_PROCESS, Status.COMPLETED)),
    }
