"""The back office: the queue of an office with deadlines, and one application's file."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from satupintu.core.errors import DomainError
from satupintu.core.privacy import mask_email, mask_nik, mask_phone, record_access
from satupintu.documents.selectors import panel as document_panel
from satupintu.notifications.models import OutboxMessage
from satupintu.organization import access
from satupintu.organization.models import Unit
from satupintu.organization.working_calendar import CalendarCache, WorkingCalendar
from satupintu.services import catalog, sla, workflow
from satupintu.services.models import FINAL_STATUSES, Application, Status
from satupintu.services.officer_forms import ActionForm, RevealForm, action_form

OPEN_STATUSES = [s for s in Status.values if s not in FINAL_STATUSES]


def queue(request: HttpRequest) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    if not access.works_on_applications(request.user):
        # Complaint officers, the inspectorate and administrators have no applications to see.
        return redirect(access.start_page(request.user))
    qs = access.visible(request.user, Application.objects.select_related("service", "office", "unit", "assigned_to"))
    now = timezone.now()
    open_qs = qs.filter(status__in=OPEN_STATUSES)
    summary = open_qs.aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_at__lt=now, sla_running_since__isnull=False)),
        waiting=Count("pk", filter=Q(status=Status.NEEDS_COMPLETION)),
        unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
    )
    status = request.GET.get("status", "open")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        qs = qs.filter(status=status)
    if unit := request.GET.get("unit"):
        qs = qs.filter(unit__code=unit)
    if office := request.GET.get("office"):
        qs = qs.filter(office__code=office)
    mine = request.GET.get("assigned", "")
    if mine == "me":
        qs = qs.filter(assigned_to=request.user)
    elif mine == "none":
        qs = qs.filter(assigned_to__isnull=True)
    if request.GET.get("sla") == "overdue":
        qs = qs.filter(due_at__lt=now, sla_running_since__isnull=False)
    if q := request.GET.get("q", "").strip():
        code = q.upper().replace(" ", "")
        qs = qs.filter(Q(tracking_code__icontains=code) | Q(applicant_name__icontains=q) | Q(service__name__icontains=q))
    qs = qs.order_by(F("due_at").asc(nulls_last=True), "submitted_at")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    calendars = CalendarCache()
    rows = []
    for app in page:
        rows.append({"app": app, **sla.sla_summary(app, calendar=calendars.for_office_of(app), now=now)})
    return render(request, "officer/queue.html", {
        "page": page, "rows": rows, "status": status, "Status": Status, "units": Unit.objects.all(),
        # The filter panel stays folded on a phone unless a filter is in use.
        "filtered": status != "open" or any(request.GET.get(k) for k in ("q", "unit", "office", "assigned", "sla")),
        "offices": access.offices_visible(request.user).order_by("code")[:600], "filters": request.GET,
        "roles": access.staff_roles(request.user),
        "summary": summary,
        "can_manage": request.user.is_superuser or bool(access.settings_offices(request.user)),
        # Links to the other parts of the back office, only for those whose job they are.
        "works_on_reports": access.works_on_reports(request.user),
        "reads_survey": access.may_read_survey_results(request.user),
        "assists": bool(access.assist_offices(request.user)),  # the desk: filing for a citizen
    })


def _get_visible(request: HttpRequest, code: str) -> Application:
    app = Application.objects.select_related("service", "office", "unit", "assigned_to").filter(tracking_code=code).first()
    if app is None or not access.can_view(request.user, app):
        raise Http404("Permohonan tidak ditemukan")
    return app


def detail(request: HttpRequest, code: str) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    app = _get_visible(request, code)
    if request.method != "POST":
        return _detail_page(request, app)
    form = RevealForm(request.POST)
    if form.record(request, subject_type="application", subject_ref=app.tracking_code, what="identitas pemohon"):
        return _detail_page(request, app, reveal=True)
    return _detail_page(request, app, reveal_form=form, status=400)


def _detail_page(request: HttpRequest, app: Application, *, reveal: bool = False, failed: ActionForm | None = None,
                 reveal_form: RevealForm | None = None, status: int = 200) -> HttpResponse:
    """The application's page; an action form that came back with errors is shown as sent."""
    cal = WorkingCalendar.for_office(app.office)
    now = timezone.now()
    names = catalog.requirement_names(app.service, app.office)
    actions = workflow.allowed_actions(app, request.user)
    action_forms = [(a, failed if failed is not None and failed.action_name == a else action_form(app, request.user, a))
                    for a in actions]
    return render(request, "officer/detail.html", {
        "app": app,
        "reveal": reveal,
        "reveal_form": reveal_form or RevealForm(),
        "nik": app.nik if reveal else mask_nik(app.nik),
        "phone": app.phone if reveal else mask_phone(app.phone),
        "email": app.email if reveal else mask_email(app.email),
        "fields": _answers(app),
        # Each file with the requirement it answers, by name (its code is for the software).
        "documents": [(d, names.get(d.requirement_code, "")) for d in app.documents.all()],
        "events": app.events.select_related("actor"),
        "actions": actions,
        "action_forms": action_forms,
        "next_step": workflow.next_step(app, actions),
        "failed": failed,
        "labels": workflow.ACTION_LABELS,
        "sla_state": sla.sla_state(app, calendar=cal, now=now),
        "deadline": sla.deadline_phrase(app, calendar=cal, now=now),
        "due_local": app.due_at.astimezone(cal.tz) if app.due_at else None,
        # To the applicant only: the deadline warnings and escalations to staff carry the application too.
        "outbox": OutboxMessage.objects.filter(application=app, recipient__in=[r for r in (app.email, app.phone) if r])
        .exclude(channel="whatsapp").order_by("created_at"),
        # WhatsApp news with Meta's delivery status (sent, delivered, read, failed) from the webhooks
        "whatsapp": app.whatsapp_messages.order_by("created_at", "id"),
        "issued": document_panel(app, request.user),
    }, status=status)


def _answers(app: Application) -> list[tuple[str, object]]:
    """The form's answers under the service's labels; then any answer whose field the service no
    longer has (renamed or removed in the catalogue since): the applicant gave it, the officer sees it."""
    fields = list(app.service.fields.all())
    known = {f.name for f in fields}
    answers: list[tuple[str, object]] = [(f.local_label, app.form_data.get(f.name, "")) for f in fields]
    for name, value in (app.form_data or {}).items():
        if name not in known:
            answers.append((_("%(name)s (isian yang kini tidak ada di formulir)") % {"name": name}, value))
    return answers


# What happened, in the reader's language ("Berkas perlu dilengkapi: tersimpan." was untranslated
# and said little).
DONE = {
    "verify": gettext_lazy("Berkas diverifikasi."),
    "process": gettext_lazy("Permohonan mulai diproses."),
    "request_completion": gettext_lazy("Permintaan kelengkapan dikirim ke pemohon."),
    "complete": gettext_lazy("Permohonan selesai; pemohon diberi tahu."),
    "reject": gettext_lazy("Permohonan ditolak; pemohon diberi tahu alasannya."),
    "assign": gettext_lazy("Permohonan ditugaskan."),
    "forward": gettext_lazy("Permohonan didisposisikan."),
    "upload_product": gettext_lazy("Produk layanan diunggah."),
    "handover": gettext_lazy("Penyerahan produk dicatat."),
}


@require_POST
def act(request: HttpRequest, code: str) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    app = _get_visible(request, code)
    action = str(request.POST.get("action", ""))[:40]
    form = action_form(app, request.user, action, request.POST, request.FILES)
    if not form.is_valid():  # a missing confirmation, an unknown assignee, a note too long...
        return _detail_page(request, app, failed=form, status=400)
    try:
        form.act()
    except DomainError as exc:
        form.add_domain_error(exc)
        app = Application.objects.select_related("service", "office", "unit", "assigned_to").get(pk=app.pk)
        return _detail_page(request, app, failed=form, status=exc.status)
    flash.success(request, str(DONE.get(action, gettext_lazy("Tersimpan."))))
    if access.can_view(request.user, Application.objects.get(pk=app.pk)):
        return redirect(f"/petugas/permohonan/{app.tracking_code}/")
    return redirect("/petugas/")


def document_download(request: HttpRequest, code: str, doc_id: int) -> HttpResponseBase:
    if (denied := access.staff_required(request)) is not None:
        return denied
    app = _get_visible(request, code)
    doc = app.documents.filter(pk=doc_id).first()
    if doc is None:
        raise Http404("Berkas tidak ditemukan")
    record_access(request, subject_type="application", subject_ref=app.tracking_code,
                  what=f"berkas {doc.requirement_code or doc.kind}")
    return FileResponse(doc.file.open("rb"), filename=doc.original_name, content_type=doc.content_type)
