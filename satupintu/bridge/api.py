"""The API's side of the bridge: the other apps as catalog entries, and the push endpoint an
app calls to tell us a case's new status."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema

from satupintu.api.schemas import ERRORS
from satupintu.bridge import cases
from satupintu.bridge import catalog as bridge_catalog
from satupintu.bridge.models import ExternalApp

router = Router(tags=["aplikasi lain"])


class ExternalAppOut(Schema):
    code: str
    short_name: str
    name: str
    name_en: str
    operator: str
    who_for: str
    description: str
    requirements: list[str]
    # English where the entry has it, else "" (or []).
    operator_en: str = ""
    who_for_en: str = ""
    description_en: str = ""
    requirements_en: list[str] = []
    link_url: str
    detail_url: str
    office: str | None  # the office that added it; null for a national entry
    followable: bool  # its cases' status can be followed here (a connector is set up)


class PushOut(Schema):
    reference: str
    status: str  # the case's status now: the pushed one, or the one kept (older news, a final status)
    label: str
    updated: int  # follower cases that took the pushed status


def app_summary(app: ExternalApp) -> dict:
    """An app as an entry of GET /services (kind "external_app")."""
    return {
        "slug": app.code, "name": app.name, "name_en": app.name_en,
        "unit": {"code": app.unit.code if app.unit else "", "name": app.unit.name if app.unit else app.operator},
        "summary": app.description, "summary_en": app.description_en, "working_days": 0, "fee": 0, "product": "", "kind": "external_app",
        "external_app": {"code": app.code, "short_name": app.short_name, "operator": app.operator,
                         "link_url": app.link_url, "detail_url": f"{settings.SITE_URL}/layanan/aplikasi/{app.code}/"},
    }


def _app_out(app: ExternalApp) -> dict:
    return {
        "code": app.code, "short_name": app.short_name, "name": app.name, "name_en": app.name_en,
        "operator": app.operator, "who_for": app.who_for, "description": app.description,
        "requirements": [str(r) for r in app.requirements], "operator_en": app.operator_en,
        "who_for_en": app.who_for_en, "description_en": app.description_en,
        "requirements_en": [str(r) for r in app.requirements_en or []], "link_url": app.link_url,
        "detail_url": f"{settings.SITE_URL}/layanan/aplikasi/{app.code}/",
        "office": app.office.code if app.office else None,
        "followable": hasattr(app, "connector") and app.connector.is_active,
    }


@router.get("/external-apps", response={200: list[ExternalAppOut], **ERRORS}, summary="Aplikasi lain Kementerian")
def external_app_list(request: HttpRequest) -> list[dict]:
    return [_app_out(a) for a in bridge_catalog.external_apps().select_related("connector").order_by("code")]


@router.get("/external-apps/{code}", response={200: ExternalAppOut, **ERRORS}, summary="Rincian aplikasi lain")
def external_app_detail(request: HttpRequest, code: str) -> dict:
    return _app_out(bridge_catalog.external_app_get(code))


_PUSH_DOC = {
    "requestBody": {
        "content": {"application/json": {"schema": {
            "type": "object",
            "description": "The app's own status document, read with the connector's JSON paths and state map.",
        }}},
        "required": True,
    },
    "parameters": [
        {"in": "header", "name": cases.TIMESTAMP_HEADER, "required": True, "schema": {"type": "string"},
         "description": "Unix time in seconds (digits only, at most 12); must be within 5 minutes of ours. "
                        "A push is taken once: sent again with the same signature it is a 409 "
                        "(code push_replayed)."},
        {"in": "header", "name": cases.SIGNATURE_HEADER, "required": True, "schema": {"type": "string"},
         "description": "sha256=<hex HMAC-SHA256 of '<timestamp>.<reference>.<raw body>' with the connector's "
                        "push secret (push_secret_env; never the token the connector sends to the app)>"},
    ],
}


@router.post("/external/{app_code}/cases/{reference}", response={200: PushOut, **ERRORS},
             summary="Kabar status dari aplikasi lain (ditandatangani HMAC)", openapi_extra=_PUSH_DOC)
def external_case_push(request: HttpRequest, app_code: str, reference: str) -> dict:
    pushed = cases.case_push(app_code, reference, request.body,
                             signature_header=request.headers.get(cases.SIGNATURE_HEADER, ""),
                             timestamp_header=request.headers.get(cases.TIMESTAMP_HEADER, ""))
    first = pushed.cases[0]
    return {"reference": first.reference, "status": first.last_status, "label": first.last_label,
            "updated": pushed.changed}
