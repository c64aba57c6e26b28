"""The public REST API, v1 (for the mobile Super App and partners). Thin over the domain
functions; every error is JSON ``{"code", "message"}`` with a 4xx status."""

from __future__ import annotations

import hashlib
import json
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils import translation
from ninja import Header, NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import Status

from satupintu.api import schemas
from satupintu.bridge import api as bridge_api
from satupintu.bridge import catalog as bridge_catalog
from satupintu.bridge.models import ExternalApp
from satupintu.core import ratelimit, request_guard
from satupintu.core.errors import DomainError
from satupintu.core.privacy import mask_free_text
from satupintu.feedback import reports
from satupintu.feedback.models import ReportCategory
from satupintu.organization.models import Level, Office
from satupintu.services import applications, catalog, tracking, unlock
from satupintu.services.models import FieldType, FormField, Service
from satupintu.services.models import Status as ApplicationStatus
from satupintu.services.tracking_codes import normalize_tracking_code

log = logging.getLogger(__name__)

api = NinjaAPI(
    title="Satu Pintu API",
    version="1",
    description="API publik Satu Pintu Kementerian Agama: katalog layanan, kantor, permohonan dan pelacakan.",
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api-v1",
)

ERRORS = schemas.ERRORS


def _error(request: HttpRequest, status: int, code: str, message: str, **extra: object) -> HttpResponse:
    body = {"code": code, "message": message, **{k: v for k, v in extra.items() if v is not None}}
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra: dict[str, object] = {"field": exc.field, **exc.extra}
    if isinstance(exc, applications.ValidationErrors) and len(exc.errors) > 1:
        extra["errors"] = [{"code": e.code, "message": e.message, "field": e.field} for e in exc.errors]
    response = _error(request, exc.status, exc.code, exc.message, **extra)
    wait = exc.extra.get("retry_after")
    if exc.status == 429 and isinstance(wait, int | float) and wait > 0:
        response["Retry-After"] = str(int(wait))  # RFC 9110: clients and proxies back off on the header
    return response


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = [".".join(str(p) for p in e.get("loc", [])[1:]) for e in exc.errors]
    english = (translation.get_language() or "id").startswith("en")
    where = ", ".join(fields) or ("request" if english else "permintaan")
    return _error(request, 400, "validation_error", f"Invalid input: {where}." if english else f"Isian tidak valid: {where}.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # A view's 404: the address is right, the record is not there (the resolver's own 404 says
    # "API address not found", through ApiErrorMiddleware). The same stable code.
    return _error(request, 404, "not_found", request_guard.message("record_not_found"))


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "not_authenticated", request_guard.message("not_authenticated"))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja raises these itself (we raise DomainError): its one message in English.
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return _error(request, 400, "invalid_json", request_guard.message("invalid_json"))
    code = request_guard.CODE_FOR_STATUS.get(exc.status_code, "http_error")
    return _error(request, exc.status_code, code, request_guard.message(code, method=request.method))


@api.exception_handler(RawPostDataException)
def _body_already_read(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    """A form (multipart or urlencoded) sent where a JSON or signed raw body is read: the request
    guard has parsed it as a form already, and it is not what this endpoint takes."""
    return _error(request, 415, "unsupported_media_type", request_guard.message("unsupported_media_type"))


@api.get("/offices", response={200: list[schemas.OfficeOut], **ERRORS}, tags=["kantor"], summary="Daftar kantor")
def office_list(request: HttpRequest, province: str = "", level: str = "") -> list[dict]:
    if level and level not in Level.values:
        raise DomainError("invalid_level", "Tingkat kantor harus salah satu dari: %(levels)s.", field="level",
                          params={"levels": ", ".join(Level.values)})
    qs = Office.objects.select_related("parent").order_by("code")
    if province:
        qs = qs.filter(province_code=province)
    if level:
        qs = qs.filter(level=level)
    return [
        {
            "code": o.code, "name": o.name, "level": o.level, "region_name": o.region_name,
            "parent": o.parent.code if o.parent else None, "province_code": o.province_code, "timezone": o.timezone,
            "opens_at": o.opens_at.strftime("%H:%M"), "closes_at": o.closes_at.strftime("%H:%M"),
            "working_weekdays": o.working_weekdays, "address": o.address, "phone": o.phone, "whatsapp": o.whatsapp,
            "email": o.email, "opening_hours_text": o.opening_hours_text,
            "latitude": float(o.latitude) if o.latitude is not None else None,
            "longitude": float(o.longitude) if o.longitude is not None else None,
        }
        for o in qs
    ]


def _summary(s: Service) -> dict:
    return {
        "slug": s.slug, "name": s.name, "name_en": s.name_en, "unit": {"code": s.unit.code, "name": s.unit.name},
        "summary": s.summary, "summary_en": s.summary_en, "working_days": s.working_days, "fee": s.fee,
        "product": s.product, "product_en": s.product_en,
    }


@api.get("/services", response={200: list[schemas.ServiceSummaryOut], **ERRORS}, tags=["layanan"], summary="Cari layanan")
def service_list(request: HttpRequest, office: str = "", unit: str = "", q: str = "") -> list[dict]:
    office_obj = catalog.office_get(office) if office else None
    # The ministry's other apps (SIMKAH...) are found like ours, marked kind "external_app".
    entries = bridge_catalog.catalog_search(q=q[:100], unit=unit, office=office_obj)
    return [bridge_api.app_summary(e) if isinstance(e, ExternalApp) else _summary(e) for e in entries]


@api.get("/services/{slug}", response={200: schemas.ServiceOut, **ERRORS}, tags=["layanan"], summary="Rincian layanan")
def service_detail(request: HttpRequest, slug: str, office: str = "") -> dict:
    service = catalog.service_get(slug, public_only=True)  # the public API lists public services only
    if office:
        offer = catalog.offer_for(service, catalog.office_get(office))
        requirements = [{"name": r.code, "label": r.name, "label_en": r.name_en, "mandatory": r.mandatory}
                        for r in offer.requirements]
        working_days = offer.working_days
    else:
        requirements = [{"name": r.code, "label": r.name, "label_en": r.name_en, "mandatory": r.mandatory}
                        for r in service.requirements.all()]
        working_days = service.working_days
    return {
        **_summary(service), "working_days": working_days, "steps": service.steps, "steps_en": service.steps_en,
        "levels": service.levels,
        "office": office or None, "requirements": requirements,
        "fields": [
            {"name": f.name, "label": f.label, "label_en": f.label_en, "type": f.type, "required": f.required,
             "choices": f.choices, "choices_en": f.choices_en, **_number_range(f)}
            for f in service.fields.all()
        ],
    }


def _number_range(f: FormField) -> dict[str, int]:
    if f.type != FieldType.NUMBER:
        return {}
    bounds = applications.number_bounds(f)
    return {"min": bounds.low, "max": bounds.high}


_CREATE_DOC = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["service", "office", "name", "nik", "phone"],
                    "properties": {
                        "service": {"type": "string", "minLength": 1, "description": "slug layanan"},
                        "office": {"type": "string", "minLength": 1, "description": "kode kantor, mis. 73.22"},
                        "name": {"type": "string", "minLength": 2, "maxLength": 150},
                        "nik": {"type": "string", "pattern": "^[0-9]{16}$", "description": "16 angka"},
                        "phone": {"type": "string", "minLength": 1, "description": "nomor HP Indonesia"},
                        "email": {"type": "string"},
                    },
                    "additionalProperties": {
                        "description": "isian layanan (nama field) dan berkas persyaratan (nama persyaratan); "
                        "lihat GET /services/{slug}",
                    },
                }
            }
        },
        "required": True,
    },
    "parameters": [
        {"in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string", "maxLength": 80},
         "description": "Kirim ulang dengan kunci yang sama tidak membuat permohonan kedua."}
    ],
}


def _created_body(app) -> dict:  # type: ignore[no-untyped-def]
    token = tracking.receipt_token(app)
    # Office-local, whether the application was just made or read back for a replayed key.
    due_at = app.due_at.astimezone(ZoneInfo(app.office.timezone)) if app.due_at else None
    return {
        "tracking_code": app.tracking_code, "status": app.status, "due_at": due_at,
        "receipt_url": f"{settings.SITE_URL}/lacak/{app.tracking_code}/bukti.pdf?t={token}",
        "tracking_url": f"{settings.SITE_URL}/lacak/{app.tracking_code}/",
    }


@api.post(
    "/applications", response={201: schemas.ApplicationCreatedOut, 200: schemas.ApplicationCreatedOut, **ERRORS,
                               409: schemas.ErrorOut, 429: schemas.ErrorOut},
    tags=["permohonan"], summary="Ajukan permohonan", openapi_extra=_CREATE_DOC,
)
def application_create(request: HttpRequest):  # type: ignore[no-untyped-def]
    data = request.POST
    reserved = {"service", "office", "name", "nik", "phone", "email"}
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if len(key) > 80:
        raise DomainError("invalid_idempotency_key", "Idempotency-Key maksimal 80 karakter.")
    # The API's own namespace (a web form's key can never name an API application, nor the
    # reverse), hashed so any 80 characters fit the column; the body binding is the domain's.
    submission_key = f"api:{hashlib.sha256(key.encode()).hexdigest()}" if key else None
    sub = applications.Submission(
        service=data.get("service", ""), office=data.get("office", ""), name=data.get("name", ""),
        nik=data.get("nik", ""), phone=data.get("phone", ""), email=data.get("email", ""),
        fields={k: data.get(k, "") for k in data if k not in reserved},
        files={k: v for k in request.FILES if (v := request.FILES.get(k)) is not None},
        submission_key=submission_key, client=ratelimit.client_ip(request), language=translation.get_language() or "",
    )
    if not sub.service:
        raise DomainError("missing_field", "Isian 'service' (slug layanan) wajib diisi.", field="service")
    if not sub.office:
        raise DomainError("missing_field", "Isian 'office' (kode kantor) wajib diisi.", field="office")
    app, created = applications.application_submit(sub)
    return Status(201 if created else 200, _created_body(app))


@api.get(
    "/applications/{tracking_code}", response={200: schemas.ApplicationOut, **ERRORS},
    tags=["permohonan"], summary="Lacak permohonan",
)
def application_track(request: HttpRequest, response: HttpResponse, tracking_code: str,  # type: ignore[no-untyped-def]
                      phone_last4: str = "", phone: str = "",
                      header_last4: str = Header("", alias="X-Phone-Last4",
                                                 description="as phone_last4, kept out of URLs and logs"),
                      header_phone: str = Header("", alias="X-Phone", description="as phone, kept out of URLs and logs")):
    # The proof in a header is the one to use: a query string is written down by proxies, gateways
    # and browser histories (ASVS 8.3.1). The query parameters stay for the clients that use them.
    phone_last4, phone = header_last4 or phone_last4, header_phone or phone
    public = tracking.public_status_json(normalize_tracking_code(tracking_code))
    if not phone_last4 and not phone:
        # Already encoded and cached: the hot path of every citizen's refresh.
        return HttpResponse(public, content_type="application/json")
    body = json.loads(public)
    app = tracking.application_for_tracking(body["tracking_code"])
    # Past the application's guess cap only the whole number works (services/unlock.py).
    unlock.check_proof(app, last4=phone_last4, phone=phone, client=ratelimit.client_ip(request))
    docs = list(app.documents.filter(superseded=False))
    body["details"] = {
        "applicant_name": app.applicant_name,
        "form_data": {k: str(v) for k, v in app.form_data.items() if not k.startswith("_")},
        "documents": [{"name": d.original_name, "requirement": d.requirement_code, "kind": d.kind} for d in docs],
        "completion_request": app.completion_request, "rejection_reason": app.rejection_reason,
        # Like the tracking page: where to collect the product, once it is ready, for its owner only.
        "pickup_instructions": app.pickup_instructions if app.status == ApplicationStatus.COMPLETED else "",
        "notes": [e.note for e in app.events.all() if e.public and e.note],
    }
    response["Cache-Control"] = "private, no-store"  # the applicant's data: no cache keeps it
    return Status(200, body)


# --- complaints, aspirations and questions -------------------------------------------------

_REPORT_DOC = {
    "requestBody": {
        "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "required": ["kind", "category", "title", "text"],
            "properties": {
                "kind": {"type": "string", "enum": ["complaint", "aspiration", "question"]},
                "category": {"type": "string", "enum": [c for c, _ in ReportCategory.choices]},
                "office": {"type": "string", "description": "kode kantor atau wilayah, mis. 73.22"},
                "latitude": {"type": "number", "description": "tanpa office: lokasi pelapor menentukan kantor"},
                "longitude": {"type": "number"},
                "title": {"type": "string", "minLength": 5, "maxLength": 200},
                "text": {"type": "string", "minLength": 20, "maxLength": 5000},
                "name": {"type": "string"}, "email": {"type": "string"}, "phone": {"type": "string"},
                "anonymous": {"type": "boolean"}, "confidential": {"type": "boolean"},
                "application_code": {"type": "string", "description": "kode lacak permohonan terkait"},
                "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
            },
        }}},
        "required": True,
    }
}


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "ya", "yes", "on")


@api.post("/reports", response={201: schemas.ReportCreatedOut, **ERRORS},
          tags=["pengaduan"], summary="Sampaikan pengaduan, aspirasi atau pertanyaan", openapi_extra=_REPORT_DOC)
def report_create(request: HttpRequest):  # type: ignore[no-untyped-def]
    data = request.POST
    report = reports.report_submit(reports.ReportSubmission(
        kind=data.get("kind", ""), category=data.get("category", ""), office=data.get("office", ""),
        title=data.get("title", ""), text=data.get("text", ""), name=data.get("name", ""),
        email=data.get("email", ""), phone=data.get("phone", ""), anonymous=_flag(data.get("anonymous")),
        confidential=_flag(data.get("confidential")), application_code=data.get("application_code", ""),
        files=request.FILES.getlist("files"), ip=ratelimit.client_ip(request),
        latitude=data.get("latitude", ""), longitude=data.get("longitude", ""),
        language=translation.get_language() or "",
    ))
    return Status(201, {"tracking_code": report.tracking_code, "status": report.status, "due_at": report.due_at,
                        "tracking_url": f"{settings.SITE_URL}/pengaduan/{report.tracking_code}/"})


@api.get("/reports/{tracking_code}", response={200: schemas.ReportOut, **ERRORS}, tags=["pengaduan"],
         summary="Lacak laporan")
def report_track(request: HttpRequest, tracking_code: str):  # type: ignore[no-untyped-def]
    report = reports.report_for_tracking(tracking_code)
    # Never the reporter's identity: not even for a report that is not anonymous.
    return Status(200, {
        "tracking_code": report.tracking_code, "kind": report.kind, "category": report.category,
        "status": report.status, "status_label": report.get_status_display(), "office": report.office.code,
        "title": mask_free_text(report.title), "submitted_at": report.submitted_at,
        "due_at": None if report.is_final else report.due_at, "answer": mask_free_text(report.answer),
        "answered_at": report.answered_at, "resolved": report.resolved, "rating": report.rating,
        "timeline": [{"at": e.at, "action": e.action, "label": e.label, "note": mask_free_text(e.note)}
                     for e in report.events.all() if e.public],
    })


# Rakor (staff only) lives in its own module; imported last so its routes sit after the public ones.
from satupintu.api.rakor import router as rakor_router  # noqa: E402

api.add_router("/", rakor_router)

# For integrators: webhooks managed with an API key (integrations/api.py).
from satupintu.integrations.api import router as integrations_router  # noqa: E402

api.add_router("/", integrations_router)
api.add_router("/", bridge_api.router)
