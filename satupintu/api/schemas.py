"""Shapes of the public API's answers (they are what the OpenAPI document describes)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from ninja.responses import codes_4xx, codes_5xx


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorItemOut(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorListOut(ErrorOut):
    errors: list[ErrorItemOut] | None = None


# Every operation documents its errors: any 4xx or 5xx is {"code", "message"} (and "field",
# "errors" when there are several problems).
ERRORS: dict = {codes_4xx: ErrorListOut, codes_5xx: ErrorOut}


class OfficeOut(Schema):
    code: str
    name: str
    level: str
    region_name: str
    parent: str | None
    province_code: str
    timezone: str
    opens_at: str
    closes_at: str
    working_weekdays: str
    # Contact details for citizens (empty when the office has not filled them in).
    address: str = ""
    phone: str = ""
    whatsapp: str = ""
    email: str = ""
    opening_hours_text: str = ""
    latitude: float | None = None
    longitude: float | None = None


class UnitOut(Schema):
    code: str
    name: str


class ExternalAppRefOut(Schema):
    """The other app an entry of kind "external_app" lives in (bridge/)."""

    code: str
    short_name: str
    operator: str
    link_url: str  # where the citizen goes to use it
    detail_url: str  # our page about it (what it does, who for, requirements)


class ServiceSummaryOut(Schema):
    slug: str
    name: str
    name_en: str
    unit: UnitOut
    summary: str
    working_days: int
    fee: int
    product: str
    # English, where the catalog has it (else ""): the summary, and below the product, steps,
    # requirement and field labels and choices; the values sent stay the Indonesian ones.
    summary_en: str = ""
    product_en: str = ""
    # "service": ours (GET /services/{slug}); "external_app": a service in another app of the
    # ministry (SIMKAH...), used there: see external_app.
    kind: str = "service"
    external_app: ExternalAppRefOut | None = None


class RequirementOut(Schema):
    name: str  # the multipart field name to upload this document under
    label: str
    mandatory: bool
    label_en: str = ""


class FieldOut(Schema):
    name: str
    label: str
    type: str
    required: bool
    choices: list[str]  # the value to send is one of these, also when choices_en is shown
    label_en: str = ""
    choices_en: list[str] = []
    # number fields: the accepted range (a year up to this year, a count from 1, ...); else null
    min: int | None = None
    max: int | None = None


class ServiceOut(ServiceSummaryOut):
    steps: list[str]
    steps_en: list[str] = []
    levels: list[str]
    office: str | None
    requirements: list[RequirementOut]
    fields: list[FieldOut]


class ApplicationCreatedOut(Schema):
    tracking_code: str
    status: str
    due_at: datetime | None
    receipt_url: str
    tracking_url: str


class EventOut(Schema):
    at: datetime
    action: str
    label: str
    status: str


class DocumentOut(Schema):
    name: str
    requirement: str
    kind: str


class ApplicationDetailsOut(Schema):
    applicant_name: str
    form_data: dict[str, str]
    documents: list[DocumentOut]
    completion_request: str
    rejection_reason: str
    pickup_instructions: str
    notes: list[str]


class ApplicationOut(Schema):
    tracking_code: str
    status: str
    status_label: str
    service: str
    service_name: str
    office: str
    office_name: str
    submitted_at: datetime
    due_at: datetime | None
    sla_paused: bool
    closed_at: datetime | None
    timeline: list[EventOut]
    details: ApplicationDetailsOut | None = None


class ReportCreatedOut(Schema):
    tracking_code: str
    status: str
    due_at: datetime | None
    tracking_url: str


class ReportEventOut(Schema):
    at: datetime
    action: str
    label: str
    note: str


class ReportOut(Schema):
    tracking_code: str
    kind: str
    category: str
    status: str
    status_label: str
    office: str
    title: str
    submitted_at: datetime
    due_at: datetime | None
    answer: str
    answered_at: datetime | None
    resolved: bool | None
    rating: int | None
    timeline: list[ReportEventOut]
