"""The index pages: the officer's report (charts, drill-down, exports) and each office's
public page with its current index and grade."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_noop

from satupintu.core.errors import DomainError
from satupintu.core.privacy import record_access
from satupintu.feedback import exports, selectors
from satupintu.feedback.elements import AGE_CHOICES, EDUCATION_CHOICES, OCCUPATION_CHOICES, SEX_CHOICES
from satupintu.organization import access
from satupintu.organization.models import Office, Unit
from satupintu.organization.working_calendar import office_today
from satupintu.services.models import Service

PROFILE_CHOICES = {"sex": SEX_CHOICES, "age_group": AGE_CHOICES, "education": EDUCATION_CHOICES,
                   "occupation": OCCUPATION_CHOICES}


def _office_for(request: HttpRequest) -> Office | None:
    visible = access.offices_visible(request.user)
    code = request.GET.get("office", "")
    if code:
        return visible.filter(code=code).first()
    roles = access.staff_roles(request.user)
    if roles:
        return roles[0].office
    return Office.objects.filter(code="pusat").first() if request.user.is_superuser else None


def report(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={request.path}")
    if not access.is_staff_member(request.user):
        raise PermissionDenied(gettext("Halaman ini hanya untuk petugas."))
    if not access.may_read_survey_results(request.user):
        raise PermissionDenied(gettext("Hasil survei bukan bagian dari tugas peran Anda."))
    office = _office_for(request)
    if office is None:
        raise Http404("Kantor tidak ditemukan atau di luar wewenang Anda")
    today = office_today(office)  # the office's year, not Jakarta's
    try:
        period = selectors.Period.parse(request.GET.get("from"), request.GET.get("to"), today=today)
    except DomainError as exc:
        period = selectors.Period.parse(None, None, today=today)
        error = exc.message
    else:
        error = ""
    # The offices below are a supervisor's (head, administrator) to read, as offices_visible says:
    # a Kanwil clerk downloaded every Kankemenag's raw answers, comments with names included.
    supervises = request.user.is_superuser or any(  # type: ignore[union-attr]
        r.role in access.SUPERVISORY and (r.office_id == office.pk or r.office.level == "pusat")
        for r in access.staff_roles(request.user))
    include_children = (office.level != "kankemenag" and request.GET.get("scope", "all") == "all"
                        and supervises)
    unit, service = request.GET.get("unit", ""), request.GET.get("service", "")
    responses = selectors.responses_for(office, period, include_children=include_children, unit=unit, service=service)
    # The figures come from the monthly tallies plus live answers (selectors.dashboard): a year of
    # the whole country would otherwise be read eight times per page.
    board = selectors.dashboard(office, period, include_children=include_children, unit=unit, service=service)
    result = board.result
    fmt = "" if error else request.GET.get("format", "")  # a bad period: the page says why, no export of another
    stamp = f"skm-{office.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if fmt in ("csv", "xlsx"):
        # Respondents' own words may name people: every download of the answers is on record.
        record_access(request, subject_type="skm_answers", subject_ref=office.code,
                      what=f"jawaban survei {period.start:%Y-%m-%d}..{period.end:%Y-%m-%d}")
    if fmt == "csv":
        response = HttpResponse(exports.responses_csv(responses), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stamp}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            exports.responses_xlsx(responses, result),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{stamp}.xlsx"'
        return response
    units, services, children = board.units, board.services, board.children
    if fmt == "pdf":
        from satupintu.feedback.report_pdf import skm_report_pdf

        pdf = skm_report_pdf(office=office, period=period, result=result, units=units, services=services,
                             children=children)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{stamp}.pdf"'
        return response
    weakest = {e.code for e in result.weakest}
    # The page in the reader's language (the PDF above is the official Indonesian one).
    units, services = _local_labels(units, Unit), _local_labels(services, Service)
    return render(request, "feedback/report.html", {
        "profile": profile_table(result),
        "office": office, "period": period, "result": result, "weakest": weakest, "units": units,
        "services": services, "children": children, "error": error, "include_children": include_children,
        "unit_choices": Unit.objects.all(), "filters": request.GET,
        "offices": access.offices_visible(request.user).order_by("code")[:600],
    }, status=400 if error else 200)


def _local_labels(rows: list[selectors.Row], model: type[Unit] | type[Service]) -> list[selectors.Row]:
    """Rows named by their unit's or service's name in the language being served."""
    key = "code" if model is Unit else "slug"
    names = {getattr(o, key): o.local_name for o in model.objects.filter(**{f"{key}__in": [r.key for r in rows]})}
    return [selectors.Row(r.key, names.get(r.key, r.label), r.result) for r in rows]


PROFILE_TITLES = {"sex": gettext_noop("Jenis kelamin"), "age_group": gettext_noop("Usia"), "education": gettext_noop("Pendidikan"),
                  "occupation": gettext_noop("Pekerjaan")}


def profile_table(result) -> list[tuple[str, list[tuple[str, int, float]]]]:  # type: ignore[no-untyped-def]
    """The respondent profile as (title, [(label, count, percent)]) for the page."""
    labels = {name: dict(choices) for name, choices in PROFILE_CHOICES.items()}
    table = []
    for name, title in PROFILE_TITLES.items():
        counts = result.profile.get(name, {})
        rows = [(gettext(labels[name][value]) if value in labels[name] else gettext("Tidak diisi"), n,
                 round(100 * n / result.respondents, 1))
                for value, n in sorted(counts.items(), key=lambda kv: -kv[1])]
        table.append((gettext(title), rows))
    return table


def public_office_index(request: HttpRequest, code: str) -> HttpResponse:
    office = Office.objects.filter(code=code).first()
    if office is None:
        raise Http404("Kantor tidak ditemukan")
    today = office_today(office)
    this_year = selectors.Period.parse(None, None, today=today)
    last_year = selectors.Period(this_year.start.replace(year=today.year - 1), this_year.start.replace(
        year=today.year - 1, month=12, day=31))
    include_children = office.level != "kankemenag"
    # From the monthly tallies (plus the live days at the edges), as the officers' page: this page is
    # open to anyone, and reading every answer of the country twice per visit invited overload.
    result = selectors.dashboard(office, this_year, include_children=include_children).result
    previous = selectors.dashboard(office, last_year, include_children=include_children).result
    return render(request, "feedback/public_index.html", {
        "office": office, "result": result, "previous": previous, "period": this_year, "last_year": last_year,
        "weakest": {e.code for e in result.weakest},
    })
