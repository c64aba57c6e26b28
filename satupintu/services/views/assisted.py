"""Assisted mode at the PTSP desk (issue #13): a front-office officer or the head of office fills
the apply form for a citizen who cannot do it alone, with the citizen's consent. Thin like the
public apply view: the form parses, ``applications.application_submit`` decides (who may, the
consent, the rules of the form), the pages render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from satupintu.core.errors import DomainError, ValidationErrors
from satupintu.core.forms import redirect_after_upload, session_key
from satupintu.notifications.models import OutboxMessage
from satupintu.organization import access
from satupintu.organization.models import Office
from satupintu.services import applications, catalog, tracking, upload_stash
from satupintu.services.forms import AssistedApplicationForm
from satupintu.services.receipts import receipt_response_body
from satupintu.services.upload_stash import StashOwner
from satupintu.services.views.officer import _get_visible
from satupintu.whatsapp.models import Message


def _desk_offices(request: HttpRequest) -> list[Office]:
    offices = access.assist_offices(request.user)
    if not offices:
        raise PermissionDenied(_("Mengajukan atas nama warga hanya untuk petugas front office dan kepala kantor."))
    return offices


@require_http_methods(["GET", "POST"])
def assist(request: HttpRequest) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    offices = _desk_offices(request)
    source = request.POST if request.method == "POST" else request.GET
    office_code = (source.get("office") or offices[0].code)[:10]
    office = next((o for o in offices if o.code == office_code), None)
    if office is None:
        raise PermissionDenied(_("Anda tidak bertugas di meja layanan kantor ini."))
    slug = (source.get("layanan") or "").strip()[:80]
    if not slug:
        return _pick_page(request, offices, office)
    try:
        offer = catalog.offer_for(catalog.service_get(slug, public_only=True), office)
    except DomainError as exc:
        return _pick_page(request, offices, office, error=exc.message, status=400)
    if request.method != "POST":
        form = AssistedApplicationForm(offer, initial={
            "office": office.code, "layanan": slug, "submission_key": tracking.issue_submission_key(request)})
        return _form_page(request, form, StashOwner("", ""))
    form = AssistedApplicationForm(offer, request.POST, request.FILES)
    posted_key = (request.POST.get("submission_key") or "")[:80]
    owner = StashOwner(posted_key, session_key(request))
    if not form.is_valid():
        return _form_page(request, form, owner, status=400)
    kept = upload_stash.stash_files(owner)
    try:
        # No client address: the rate limits are for anonymous senders; a desk officer is known.
        app, _created = applications.application_submit(form.submission(
            user=request.user, kept=kept, submission_key=tracking.submission_key_for(request, posted_key),
            client=None))
    except DomainError as exc:
        form.add_domain_error(exc)
        if isinstance(exc, ValidationErrors):
            form.keep_uploads(owner)
        return _form_page(request, form, owner, status=exc.status)
    finally:
        for upload in kept.values():
            upload.close()
    upload_stash.stash_discard(owner)
    flash.success(request, _("Permohonan terkirim atas nama warga."))
    return redirect_after_upload(request, f"/petugas/bantu/{app.tracking_code}/")


def _pick_page(request: HttpRequest, offices: list[Office], office: Office, *, error: str = "",
               status: int = 200) -> HttpResponse:
    return render(request, "officer/assist_pick.html", {
        "offices": offices, "office": office, "error": error,
        "services": catalog.services_offered_at(office, public_only=True),
    }, status=status)


def _form_page(request: HttpRequest, form: AssistedApplicationForm, owner: StashOwner,
               status: int = 200) -> HttpResponse:
    form.show_kept(upload_stash.stash_list(owner))
    return render(request, "officer/assist_form.html", {
        "form": form, "offer": form.offer, "service": form.offer.service, "office": form.offer.office,
        "max_mb": settings.UPLOAD_MAX_BYTES // 1048576,
    }, status=status)


def done(request: HttpRequest, code: str) -> HttpResponse:
    """The code to tell the citizen, how it was sent to their phone, and the receipt to print."""
    if (denied := access.staff_required(request)) is not None:
        return denied
    app = _get_visible(request, code)
    if app.assisted_by_id is None:
        return redirect(f"/petugas/permohonan/{app.tracking_code}/")
    whatsapp = Message.objects.filter(application=app, kind="template").exists()
    sms = OutboxMessage.objects.filter(application_id=app.pk, channel="sms").exists()
    return render(request, "officer/assist_done.html", {"app": app, "whatsapp": whatsapp, "sms": sms})


def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt PDF, printed at the desk for the citizen (it carries no NIK or phone)."""
    if (denied := access.staff_required(request)) is not None:
        return denied
    app = _get_visible(request, code)
    response = HttpResponse(receipt_response_body(app), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bukti-{app.tracking_code}.pdf"'
    return response
