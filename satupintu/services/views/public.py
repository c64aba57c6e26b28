"""Citizen pages: catalog, office tree, applying, tracking. Thin: parse, call, render."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.contrib import messages as flash
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.bridge import catalog as bridge_catalog
from satupintu.citizen import locker
from satupintu.citizen.profile import profile_initial
from satupintu.core import actors, ratelimit
from satupintu.core.errors import Conflict, DomainError, ValidationErrors
from satupintu.core.forms import redirect_after_upload, session_key
from satupintu.feedback.models import SurveyResponse
from satupintu.feedback.survey import invitation_token as survey_invitation_token
from satupintu.organization import finder
from satupintu.organization.access import is_staff_member
from satupintu.organization.contacts import working_days_label
from satupintu.organization.models import Level, Office, Unit
from satupintu.organization.office_map import office_map
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.services import applications, catalog, life_events, sla, tracking, unlock, upload_stash, workflow
from satupintu.services.catalog import EffectiveRequirement
from satupintu.services.forms import ApplicationForm, CompletionForm, UnlockForm, WithdrawForm
from satupintu.services.models import Application, DocumentKind, Service, Status
from satupintu.services.receipts import receipt_response_body
from satupintu.services.tracking_codes import normalize_tracking_code
from satupintu.services.upload_stash import StashOwner


def _public_only(request: HttpRequest) -> bool:
    """Employees' services (leave, promotion) are listed to signed-in staff only."""
    return not is_staff_member(request.user)


def home(request: HttpRequest) -> HttpResponse:
    """Organised around what citizens come for (popular services, life events), not unit names."""
    by_slug = {s.slug: s for s in catalog.catalog_services(public_only=True)}
    popular = [by_slug[slug] for slug in life_events.popular_services() if slug in by_slug]
    events = [(e, [by_slug[slug] for slug in e.services if slug in by_slug]) for e in life_events.LIFE_EVENTS]
    return render(request, "services/home.html", {
        "popular": popular, "events": [(e, services) for e, services in events if services],
    })


def service_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    unit = request.GET.get("unit", "").strip()[:30]
    typed = request.GET.get("office", "").strip()[:80]
    office, office_choices = _office_typed(typed)
    office_code = office.code if office else ""
    event = life_events.life_event_get(request.GET.get("peristiwa", "").strip()[:30])
    public_only = _public_only(request)
    # The result list is the expensive part (search, 90+ rows): cached per catalog version.
    key = "catalog:list:" + hashlib.sha256(
        f"{catalog.catalog_version()}|{get_language()}|{q}|{unit}|{office_code}|{public_only}|"
        f"{event.slug if event else ''}".encode()
    ).hexdigest()
    # Lists for typed searches (and made-up units) are not kept: one page per random query filled the
    # shared cache and evicted what others had cached; the search itself is quick (rapidfuzz).
    units = list(Unit.objects.all())
    kept = not q and (not unit or any(u.code == unit for u in units))  # only the lists there are
    results_html = cache.get(key) if kept else None
    if results_html is None:
        pool = catalog.catalog_services(public_only=public_only)
        if event is not None:
            pool = pool.filter(slug__in=event.services)
        # The ministry's other apps (bridge/) are found like ours; a life event lists ours only.
        results = bridge_catalog.catalog_search(q=q, unit=unit, office=office, services=pool,
                                                public_only=public_only, include_apps=event is None)
        results_html = render_to_string("services/_service_results.html", {"results": results, "office": office})
        if kept:
            cache.set(key, results_html, 3600)
    return render(
        request,
        "services/service_list.html",
        {
            "results_html": mark_safe(results_html),  # our own rendered template
            "q": q, "unit": unit, "office": office, "units": units, "event": event,
            "office_typed": typed, "unknown_office": bool(typed and office is None and not office_choices),
            "office_choices": office_choices,
        },
    )


def _office_typed(typed: str) -> tuple[Office | None, list[Office]]:
    """The catalog's office filter: a code ("73.22"), or a place as citizens say it ("Luwu Utara",
    "Masamba"); a name that fits several places gives them to pick. Citizens do not know codes."""
    if not typed:
        return None, []
    if (office := Office.objects.filter(code=typed).first()) is not None:
        return office, []
    try:
        return finder.office_by_name(typed, levels=[Level.KANKEMENAG, Level.KANWIL]), []
    except finder.AmbiguousPlace as exc:
        return None, exc.candidates
    except DomainError:
        return None, []


def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        service = catalog.service_get(slug, public_only=_public_only(request))
    except DomainError:
        raise Http404("Layanan tidak ditemukan") from None
    office_code = request.GET.get("office", "")
    office = Office.objects.filter(code=office_code).first() if office_code else None
    return _service_page(request, service, office)


def _service_page(request: HttpRequest, service: Service, office: Office | None, *,
                  office_error: DomainError | None = None) -> HttpResponse:
    offer = None
    unavailable = ""
    if office is not None:
        try:
            offer = catalog.offer_for(service, office)
        except DomainError as exc:
            unavailable = exc.message
    return render(
        request,
        "services/service_detail.html",
        {
            "service": service, "offer": offer, "office": office, "unavailable": unavailable,
            "office_error": office_error.message if office_error else "", "typed": request.GET.get("nama", "")[:80],
            "office_choices": office_error.candidates if isinstance(office_error, finder.AmbiguousPlace) else [],
            "requirements": offer.requirements if offer else list(service.requirements.all()),
            "working_days": offer.working_days if offer else service.working_days,
            # Each Kanwil's Kankemenags listed under it: fetched in one query, not one per Kanwil.
            "kanwils": finder.kanwils_with_offices(),
            "places": Office.objects.filter(level__in=service.levels).exclude(level=Level.PUSAT)
            .order_by("region_name").values_list("region_name", flat=True),
        },
        status=400 if office_error else 200,
    )


def service_office(request: HttpRequest, slug: str) -> HttpResponse:
    """One step from the service page to its form: the office picked from the list, typed by
    place name, or found from the citizen's location."""
    try:
        service = catalog.service_get(slug, public_only=_public_only(request))
    except DomainError:
        raise Http404("Layanan tidak ditemukan") from None
    code, typed = request.GET.get("office", "").strip()[:10], request.GET.get("nama", "").strip()[:80]
    latitude, longitude = request.GET.get("lat", "").strip()[:20], request.GET.get("lon", "").strip()[:20]
    office: Office | None = None
    try:
        if code:
            office = catalog.office_get(code)
        elif typed:
            office = finder.office_by_name(typed, levels=service.levels)
        elif latitude and longitude:
            office = finder.office_serving(finder.office_at(latitude, longitude), service.levels)
        else:
            raise DomainError("missing_field", "Pilih kantor tujuan, ketik nama tempatnya, atau gunakan lokasi Anda.",
                              field="office")
        catalog.offer_for(service, office)
    except DomainError as exc:
        if exc.code == "service_not_offered":  # the page says why, with the office's note
            return _service_page(request, service, office)
        return _service_page(request, service, None, office_error=exc)
    assert office is not None
    return redirect(f"/layanan/{service.slug}/ajukan/?office={office.code}")


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    office_code = request.GET.get("office") or request.POST.get("office", "")
    if not office_code:
        return redirect(f"/layanan/{slug}/")  # the office is picked on the service's page
    try:
        service = catalog.service_get(slug, public_only=_public_only(request))
        office = catalog.office_get(office_code)
        offer = catalog.offer_for(service, office)
    except DomainError as exc:
        flash.error(request, exc.message)
        return redirect(f"/layanan/{slug}/")
    # A signed-in citizen's papers (tell us once): offered per requirement of the same kind.
    citizen = request.user.is_authenticated and not is_staff_member(request.user)
    papers = locker.offered(request.user, [r.code for r in offer.requirements]) if citizen else {}
    if request.method != "POST":
        # The key is the server's (kept in the session), so a key from elsewhere unlocks nothing.
        form = ApplicationForm(offer, locker=papers, initial={
            **(profile_initial(request.user) if citizen else {}),
            "office": office.code, "submission_key": tracking.issue_submission_key(request)})
        return _apply_page(request, form, StashOwner("", ""))
    form = ApplicationForm(offer, request.POST, request.FILES, locker=papers)
    posted_key = (request.POST.get("submission_key") or "")[:80]
    owner = StashOwner(posted_key, session_key(request), client=ratelimit.client_ip(request))
    if not form.is_valid():  # unparseable input (a NUL byte...): the rules are application_submit's
        return _apply_page(request, form, owner, status=400)
    kept = upload_stash.stash_files(owner)
    try:
        # Ticked locker papers go as if picked again; a file picked now still wins.
        kept.update(locker.locker_uploads(request.user, form.locker_codes()) if citizen else {})
        app, created = applications.application_submit(form.submission(
            user=request.user, kept=kept, submission_key=tracking.submission_key_for(request, posted_key),
            client=ratelimit.client_ip(request)))
    except DomainError as exc:
        if isinstance(exc, Conflict) and exc.code == "duplicate_submission":
            # Nothing to correct: it was sent before (a second press, another tab). Its tracking
            # page says so, locked as ever (the phone's last digits open it).
            upload_stash.stash_discard(owner)
            flash.info(request, gettext("Permohonan yang sama sudah terkirim sebelumnya dengan kode lacak %(code)s; "
                                        "berikut statusnya.") % {"code": exc.extra["tracking_code"]})
            return redirect(f"/lacak/{exc.extra['tracking_code']}/")
        # storage_full (507) / storage_unavailable (503) too: the form again, with what was entered.
        form.add_domain_error(exc)
        if isinstance(exc, ValidationErrors):  # not when the storage is full or away: nothing more written
            form.keep_uploads(owner)
        return _apply_page(request, form, owner, status=exc.status)
    finally:
        for upload in kept.values():
            upload.close()
    upload_stash.stash_discard(owner)
    tracking.unlock(request, app.tracking_code)
    if not created:
        flash.info(request, gettext("Permohonan ini sudah terkirim sebelumnya; berikut statusnya."))
    return redirect_after_upload(request, f"/lacak/{app.tracking_code}/?baru=1")


def _apply_page(request: HttpRequest, form: ApplicationForm, owner: StashOwner, status: int = 200) -> HttpResponse:
    form.show_kept(upload_stash.stash_list(owner))
    return render(request, "services/apply.html", {
        "form": form, "offer": form.offer, "service": form.offer.service, "office": form.offer.office,
        "max_mb": settings.UPLOAD_MAX_BYTES // 1048576,
    }, status=status)


def office_tree(request: HttpRequest) -> HttpResponse:
    kanwils = Office.objects.filter(level=Level.KANWIL).order_by("code")
    selected = request.GET.get("provinsi", "")
    children = Office.objects.filter(parent__code=selected).order_by("name") if selected else []
    return render(request, "services/office_tree.html", {"kanwils": kanwils, "selected": selected, "children": children,
                                                          "pusat": Office.objects.filter(code="pusat").first()})


def office_detail(request: HttpRequest, code: str) -> HttpResponse:
    office = Office.objects.select_related("parent").filter(code=code).first()
    if office is None:
        raise Http404("Kantor tidak ditemukan")
    services = catalog.services_offered_at(office, public_only=_public_only(request))
    return render(request, "services/office_detail.html", {
        "office": office, "services": services, "children": office.children.order_by("name"),
        "map": office_map(office), "working_days": working_days_label(office.working_weekdays),
    })


# --- tracking -------------------------------------------------------------------------

def track_form(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("kode", "")
    error = ""
    if "kode" in request.GET and not raw.strip():  # the form sent empty: say what it needs
        error = gettext("Masukkan kode lacak dari bukti permohonan Anda.")
    elif raw:
        try:
            code = normalize_tracking_code(raw)
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(f"/lacak/{code}/")
    return render(request, "services/track_form.html", {"error": error, "kode": raw}, status=400 if error else 200)


def _load(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    try:
        return tracking.application_for_tracking(code)
    except DomainError as exc:
        if exc.code == "unknown_tracking_code":
            # One box for every code on the home page: a complaint's code goes to its own page.
            from satupintu.feedback.models import Report

            report_code = normalize_tracking_code(code)
            if Report.objects.filter(tracking_code=report_code).exists():
                return redirect(f"/pengaduan/{report_code}/")
        return render(request, "services/track_form.html", {"error": exc.message, "kode": code}, status=404)


@never_cache  # the applicant's data once the phone is proven: kept by no cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, code: str) -> HttpResponse:
    app = _load(request, code)
    if isinstance(app, HttpResponse):
        return app
    if app.tracking_code != code:
        return redirect(f"/lacak/{app.tracking_code}/")
    if request.method != "POST" or tracking.is_unlocked(request, app.tracking_code):
        return _track_page(request, app)
    form = UnlockForm(request.POST, full_phone=unlock.needs_full_phone(app))
    if not form.is_valid():
        return _track_page(request, app, unlock_form=form, status=400)
    try:
        unlock.check_proof(app, last4=form.cleaned_data.get("phone_last4", ""),
                           phone=form.cleaned_data.get("phone", ""), client=ratelimit.client_ip(request))
    except DomainError as exc:
        # This guess may have spent the application's cap: the page then asks for the whole number.
        form = UnlockForm(request.POST, full_phone=unlock.needs_full_phone(app))
        form.is_valid()
        form.add_domain_error(exc)
        # A wrong guess is a 400 like any wrong input (a 403 would read as "you may not look").
        return _track_page(request, app, unlock_form=form, status=429 if exc.status == 429 else 400)
    tracking.unlock(request, app.tracking_code)
    return redirect(f"/lacak/{app.tracking_code}/")


def _completion_requirements(app: Application) -> list[EffectiveRequirement]:
    # What the application asks for where it is, offered there still or not, retired or not
    # (applications.py).
    return catalog.requirements_for(app.service, app.office)


def _track_page(request: HttpRequest, app: Application, *, unlock_form: UnlockForm | None = None,
                completion_form: CompletionForm | None = None, withdraw_form: WithdrawForm | None = None,
                status: int = 200) -> HttpResponse:
    """The tracking page; a form that came back with errors is shown as sent, with its summary."""
    unlocked = tracking.is_unlocked(request, app.tracking_code)
    calendar = WorkingCalendar.for_office(app.office)
    now = timezone.now()
    context: dict[str, object] = {
        "app": app,
        "unlocked": unlocked,
        "events": [e for e in app.events.all() if e.public],
        "sla_state": sla.sla_state(app, calendar=calendar, now=now),
        "deadline": sla.deadline_phrase(app, calendar=calendar, now=now),
        "new": request.GET.get("baru") == "1",
        "Status": Status,
        "max_mb": settings.UPLOAD_MAX_BYTES // 1048576,
    }
    if not unlocked:
        context["unlock_form"] = unlock_form or UnlockForm(full_phone=unlock.needs_full_phone(app))
    else:
        docs = list(app.documents.filter(superseded=False))
        # Each file with the requirement it answers, by name (its code is for the software).
        names = catalog.requirement_names(app.service, app.office)
        context["documents"] = [(d, names.get(d.requirement_code, "")) for d in docs
                                if d.kind == DocumentKind.REQUIREMENT]
        context["products"] = [d for d in docs if d.kind == DocumentKind.PRODUCT]
        context["revoked"] = [d for d in app.issued_documents.filter(state="revoked", kind="product")]
        if app.status == Status.COMPLETED and not SurveyResponse.objects.filter(application=app).exists():
            context["survey_url"] = f"/survei/{survey_invitation_token(app)}/"
        if app.status == Status.NEEDS_COMPLETION:
            form = completion_form or CompletionForm(_completion_requirements(app), requested=workflow.requested_files(app),
                                                     initial={"form_key": uuid.uuid4().hex})
            form.show_kept(upload_stash.stash_list(StashOwner(form.form_key, request.session.session_key or "")))
            context["completion_form"] = form
        if not app.is_final:
            context["withdraw_form"] = withdraw_form or WithdrawForm()
    context["failed"] = next((f for f in (unlock_form, completion_form, withdraw_form) if f is not None), None)
    return render(request, "services/track.html", context, status=status)


def _owned(request: HttpRequest, code: str) -> Application | HttpResponse:
    """The application behind a tracking-page form, once the sender proved it is theirs."""
    app = _load(request, code)
    if isinstance(app, HttpResponse):
        return app
    if not tracking.is_unlocked(request, app.tracking_code):
        return redirect(f"/lacak/{app.tracking_code}/")
    return app


@require_POST
def track_complete(request: HttpRequest, code: str) -> HttpResponse:
    app = _owned(request, code)
    if isinstance(app, HttpResponse):
        return app
    form = CompletionForm(_completion_requirements(app), request.POST, request.FILES, requested=workflow.requested_files(app))
    owner = StashOwner(form.form_key, session_key(request), client=ratelimit.client_ip(request))
    if not form.is_valid():  # unparseable input: the rules are application_complete_documents'
        return _track_page(request, app, completion_form=form, status=400)
    kept = upload_stash.stash_files(owner)
    try:
        applications.application_complete_documents(app, files=form.uploads_with_kept(kept),
                                                     note=form.cleaned_data.get("note", ""))
    except DomainError as exc:
        form.add_domain_error(exc)
        if isinstance(exc, ValidationErrors) or exc.code == "missing_document":
            form.keep_uploads(owner)  # the files that passed wait for the next try
        app.refresh_from_db()
        return _track_page(request, app, completion_form=form, status=exc.status)
    finally:
        for upload in kept.values():
            upload.close()
    upload_stash.stash_discard(owner)
    flash.success(request, gettext("Terima kasih, berkas telah dikirim. Permohonan kembali diproses."))
    return redirect_after_upload(request, f"/lacak/{app.tracking_code}/")


@require_POST
def track_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    app = _owned(request, code)
    if isinstance(app, HttpResponse):
        return app
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _track_page(request, app, withdraw_form=form, status=400)
    try:
        workflow.application_transition(app, "withdraw", note=form.cleaned_data.get("reason", ""))
    except DomainError as exc:
        form.add_domain_error(exc)
        app.refresh_from_db()
        return _track_page(request, app, withdraw_form=form, status=exc.status)
    flash.success(request, gettext("Permohonan telah dibatalkan."))
    return redirect(f"/lacak/{app.tracking_code}/")


@never_cache
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    app = _load(request, code)
    if isinstance(app, HttpResponse):
        return app
    if not (tracking.is_unlocked(request, app.tracking_code) or tracking.receipt_token_valid(app, request.GET.get("t", ""))):
        return redirect(f"/lacak/{app.tracking_code}/")
    response = HttpResponse(receipt_response_body(app), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bukti-{app.tracking_code}.pdf"'
    return response


@never_cache
def product_download(request: HttpRequest, code: str, doc_id: int) -> HttpResponseBase:
    app = _load(request, code)
    if isinstance(app, HttpResponse):
        return app
    if not tracking.is_unlocked(request, app.tracking_code):
        return redirect(f"/lacak/{app.tracking_code}/")
    doc = app.documents.filter(pk=doc_id, kind=DocumentKind.PRODUCT, superseded=False).first()
    if doc is None or app.status != Status.COMPLETED:
        raise Http404("Produk tidak ditemukan")
    step = actors.step_note(gettext_noop("Produk diunduh pemohon melalui halaman lacak."))
    applications.application_mark_handed_over(app, how=step["note"], said=step["data"])
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.original_name, content_type=doc.content_type)
