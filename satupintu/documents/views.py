"""Pages of issued documents: the public check (/verifikasi/), and the officers' and signer's
pages (/petugas/dokumen/). Each view parses a form, calls one domain function, renders."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages as flash
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.core import passkeys, ratelimit, two_factor
from satupintu.core.errors import DomainError
from satupintu.core.privacy import mask_name, record_access
from satupintu.documents import access, issuing, passphrases, selectors, verification
from satupintu.documents.forms import CheckFileForm, NoteForm, OfficeSigningForm, RevokeForm, SignForm, TokenForm
from satupintu.documents.models import IssuedDocument, OfficeSigning, State
from satupintu.documents.tokens import grouped, normalize
from satupintu.organization import access as org_access
from satupintu.services.models import Application

# --- public ---------------------------------------------------------------------------------


def _limited(request: HttpRequest, limit: ratelimit.Limit) -> HttpResponse | None:
    if ratelimit.take(limit, ratelimit.client_ip(request)):
        return None
    response = render(request, "documents/verify_home.html", {
        "token_form": TokenForm(), "file_form": CheckFileForm(), "limited": _(limit.message)}, status=429)
    response["Retry-After"] = str(limit.window)
    return response


def _check(request: HttpRequest, document: IssuedDocument | None) -> tuple[CheckFileForm, verification.Verdict | None]:
    form = CheckFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, None
    upload = form.cleaned_data["pdf"]
    if upload.size > settings.DOCUMENT_VERIFY_MAX_BYTES:
        form.add_error("pdf", _("Berkas terlalu besar untuk diperiksa (maksimal %(mb)s MB).")
                       % {"mb": settings.DOCUMENT_VERIFY_MAX_BYTES // 1048576})
        return form, None
    return form, verification.verify_upload(upload.read(), document=document)


@require_http_methods(["GET", "POST"])
def verify_home(request: HttpRequest) -> HttpResponse:
    """Type the token from the paper, or upload the PDF one received."""
    context: dict[str, object] = {"token_form": TokenForm(), "file_form": CheckFileForm()}
    if request.method == "GET" and "token" in request.GET:
        form = TokenForm(request.GET)
        token = normalize(str(request.GET.get("token", ""))[:40])
        if token is not None:
            return redirect(f"/verifikasi/{token}")
        form.is_valid()
        if not str(request.GET.get("token", "")).strip():
            form.add_error("token", _("Tulis token dokumen dari bawah kode QR."))
        else:
            form.add_error("token", _("Token terdiri dari 12 huruf dan angka, tanpa 0, O, 1, I dan L, "
                                      "mis. K7QP-2M9X-WD4H. Periksa huruf yang mirip angka."))
        return render(request, "documents/verify_home.html", {**context, "token_form": form}, status=400)
    if request.method == "POST":
        if (limited := _limited(request, ratelimit.VERIFY_UPLOADS_PER_CLIENT)) is not None:
            return limited
        file_form, verdict = _check(request, None)
        context.update(file_form=file_form, verdict=verdict)
        return render(request, "documents/verify_home.html", context, status=200 if verdict is not None else 400)
    return render(request, "documents/verify_home.html", context)


@require_http_methods(["GET", "POST"])
def verify_token(request: HttpRequest, token: str) -> HttpResponse:
    if (limited := _limited(request, ratelimit.VERIFY_LOOKUPS_PER_CLIENT)) is not None:
        return limited
    doc = verification.lookup(token)
    if doc is None:
        return render(request, "documents/verify_home.html", {
            "token_form": TokenForm(initial={"token": token[:30]}), "file_form": CheckFileForm(),
            "not_found": token[:30]}, status=404)
    canonical = normalize(token)
    if canonical != token:
        return redirect(f"/verifikasi/{canonical}")
    context: dict[str, object] = {"doc": doc, "token": grouped(doc.token), "recipient": mask_name(doc.recipient_name),
                                  "file_form": CheckFileForm(), "replaced_by": doc.replaced_by,
                                  "replaces": doc.replaces if doc.replaces and doc.replaces.is_public else None}
    status = 200
    if request.method == "POST":
        if (limited := _limited(request, ratelimit.VERIFY_UPLOADS_PER_CLIENT)) is not None:
            return limited
        form, verdict = _check(request, doc)
        context.update(file_form=form, verdict=verdict)
        status = 200 if verdict is not None else 400
    return render(request, "documents/verify_token.html", context, status=status)


# --- officers -------------------------------------------------------------------------------


def _doc_for(request: HttpRequest, pk: int) -> IssuedDocument:
    doc = get_object_or_404(IssuedDocument.objects.select_related("application__service", "office"), pk=pk)
    if not access.may_view(request.user, doc):
        raise Http404("Dokumen tidak ditemukan")
    return doc


def queue(request: HttpRequest) -> HttpResponse:
    if (denied := org_access.staff_required(request)) is not None:
        return denied
    return render(request, "documents/queue.html", selectors.queue(request.user))


def _detail(request: HttpRequest, doc: IssuedDocument, *, forms: dict | None = None,  # type: ignore[type-arg]
            status: int = 200) -> HttpResponse:
    user = request.user
    forms = forms or {}
    context = {
        "doc": doc, "token": grouped(doc.token), "events": doc.events.select_related("actor"),
        "may_prepare": doc.application is not None and access.may_prepare(user, doc.application),
        "may_sign": access.may_sign(user, doc.office), "may_revoke": access.may_revoke(user, doc),
        "sign_form": forms.get("sign") or _sign_form(request),
        **_second_factor(request),
        "note_form": forms.get("note") or NoteForm(auto_id="back-%s"),
        "revoke_form": forms.get("revoke") or RevokeForm(auto_id="revoke-%s"),
        "State": State, "failed": next(iter(forms.values()), None),
    }
    return render(request, "documents/detail.html", context, status=status)


def _second_factor(request: HttpRequest) -> dict:  # type: ignore[type-arg]
    """What the sign form asks for besides the box: the authenticator code, a passkey (offered when
    the signer has one; confirmed on this page a moment ago it replaces the code), or nothing."""
    if not settings.DOCUMENT_SIGNING_SECOND_FACTOR:
        return {"ask_code": False, "ask_passkey": False, "passkey_confirmed": False}
    confirmed = passkeys.signing_confirmed(request)
    offer = two_factor.has_passkey(request.user)
    return {"ask_code": not confirmed and (two_factor.has_totp(request.user) or not offer),
            "ask_passkey": offer and not confirmed, "passkey_confirmed": confirmed,
            "passkey_config": passkeys.signing_script_config(request) if offer and not confirmed else None}


def _sign_form(request: HttpRequest, data=None) -> SignForm:  # type: ignore[no-untyped-def]
    return SignForm(data, ask_code=_second_factor(request)["ask_code"], ask_passphrase=passphrases.needed(),
                    auto_id="sign-%s")


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := org_access.staff_required(request)) is not None:
        return denied
    doc = _doc_for(request, pk)
    if request.method == "GET":
        return _detail(request, doc)
    action = str(request.POST.get("action", ""))[:20]
    if action != "sign":
        # A confirmation is for signing the draft as it was: sent back, changed and sent again, it
        # needs a new one.
        passkeys.forget_signing_confirmation(request)
    ip = ratelimit.client_ip(request)
    form: SignForm | NoteForm | RevokeForm | None = None
    try:
        if action == "submit":
            issuing.submit_for_signature(doc, user=request.user)
            flash.success(request, _("Draf diajukan kepada penanda tangan."))
        elif action == "sign":
            form = _sign_form(request, request.POST)
            if not form.is_valid():
                return _detail(request, doc, forms={"sign": form}, status=400)
            issuing.approve_and_sign(doc, user=request.user, code=form.cleaned_data.get("code") or "",
                                     passphrase=form.cleaned_data.get("passphrase") or "", ip=ip,
                                     passkey_confirmed=passkeys.signing_confirmed(request))
            passkeys.forget_signing_confirmation(request)
            flash.success(request, _("Disetujui. Dokumen sedang ditandatangani; halaman ini menunjukkan hasilnya."))
        elif action == "send_back":
            form = NoteForm(request.POST, auto_id="back-%s")
            if not form.is_valid():
                return _detail(request, doc, forms={"note": form}, status=400)
            issuing.send_back(doc, user=request.user, note=form.cleaned_data.get("note") or "")
            flash.success(request, _("Draf dikembalikan kepada petugas."))
        elif action == "revoke":
            form = RevokeForm(request.POST, auto_id="revoke-%s")
            if not form.is_valid():
                return _detail(request, doc, forms={"revoke": form}, status=400)
            issuing.revoke(doc, user=request.user, reason=form.cleaned_data.get("reason") or "", ip=ip)
            flash.success(request, _("Dokumen dicabut. Halaman verifikasi kini menyebutkannya."))
        elif action == "reissue":
            new = issuing.reissue(doc, user=request.user)
            flash.success(request, _("Draf pengganti dibuat. Periksa lalu ajukan untuk ditandatangani."))
            return redirect(f"/petugas/dokumen/{new.pk}/")
        elif action == "discard":
            issuing.discard(doc, user=request.user)
            flash.success(request, _("Draf dibatalkan."))
        else:
            raise DomainError("unknown_action", "Aksi tidak dikenal.")
    except DomainError as exc:
        if form is not None:
            form.add_domain_error(exc)
            key = {"SignForm": "sign", "NoteForm": "note", "RevokeForm": "revoke"}[type(form).__name__]
            return _detail(request, doc, forms={key: form}, status=exc.status)
        flash.error(request, exc.message)
        return _detail(request, IssuedDocument.objects.get(pk=doc.pk), status=exc.status)
    return redirect(f"/petugas/dokumen/{doc.pk}/")


def pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The draft or the signed file, for the officers who prepare and sign it."""
    if (denied := org_access.staff_required(request)) is not None:
        return denied
    doc = _doc_for(request, pk)
    field = doc.file if doc.file else doc.source_file
    if not field:
        raise Http404("Berkas belum ada")
    if doc.application is not None:
        # The letter carries the applicant's name, NIK and form data: opening it is an access to
        # their personal data, recorded as the same file opened from the application's page is.
        record_access(request, subject_type="application", subject_ref=doc.application.tracking_code,
                      what=f"{'draf ' if not doc.file else ''}dokumen {doc.title}"[:120])
    return FileResponse(field.open("rb"), content_type="application/pdf",
                        filename=f"{'draf-' if not doc.file else ''}{doc.token}.pdf")


@require_POST
def prepare(request: HttpRequest, code: str) -> HttpResponse:
    """"Buat dokumen dari templat" on the application's page."""
    if (denied := org_access.staff_required(request)) is not None:
        return denied
    app = get_object_or_404(Application, tracking_code=code)
    if not org_access.can_view(request.user, app):
        raise Http404("Permohonan tidak ditemukan")
    try:
        doc = issuing.prepare_from_template(app, user=request.user)
    except DomainError as exc:
        flash.error(request, exc.message)
        return redirect(f"/petugas/permohonan/{app.tracking_code}/")
    flash.success(request, _("Draf dokumen dibuat. Periksa isinya lalu ajukan untuk ditandatangani."))
    return redirect(f"/petugas/dokumen/{doc.pk}/")


def _headed_office(request: HttpRequest):  # type: ignore[no-untyped-def]
    from satupintu.organization.models import Office, Role

    code = str(request.GET.get("office") or request.POST.get("office") or "")[:10]
    offices = Office.objects.filter(staff_roles__user_id=request.user.pk or 0,
                                    staff_roles__role=Role.HEAD_OF_OFFICE).distinct()
    if request.user.is_superuser and code:
        offices = Office.objects.all()
    office = offices.filter(code=code).first() if code else offices.order_by("code").first()
    if office is None:
        raise Http404("Halaman ini untuk kepala kantor")
    return office


@require_http_methods(["GET", "POST"])
def office_signing(request: HttpRequest) -> HttpResponse:
    """The head names who signs (a deputy) and sets the letter code and city."""
    from django.contrib.auth import get_user_model

    if (denied := org_access.staff_required(request)) is not None:
        return denied
    office = _headed_office(request)
    # Active accounts only: a disabled one would not sign (access._current_named_signers).
    staff = get_user_model().objects.filter(staff_roles__office=office, is_active=True).distinct().order_by(
        "username")
    current = OfficeSigning.objects.filter(office=office).first()
    initial = {"letter_code": current.letter_code, "city": current.city, "signer": current.signer_id,
               "signer_title": current.signer_title, "signer_nik": current.signer_nik} if current else {}
    form = OfficeSigningForm(staff, request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                issuing.office_signing_update(office, user=request.user, letter_code=d.get("letter_code") or "",
                                              city=d.get("city") or "", signer=d.get("signer"),
                                              signer_title=d.get("signer_title") or "",
                                              signer_nik=d.get("signer_nik") or "")
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                flash.success(request, _("Pengaturan penandatanganan tersimpan."))
                return redirect(f"/petugas/dokumen/penandatangan/?office={office.code}")
        else:  # the signer is not one of the choices: say what else is wrong too, in one go
            d = form.cleaned_data
            for problem in issuing.office_signing_errors(
                    office, letter_code=(d.get("letter_code") or "").strip(), city=d.get("city") or "", signer=None,
                    signer_title=d.get("signer_title") or "", signer_nik=(d.get("signer_nik") or "").strip()):
                if problem.field not in form.errors:
                    form.add_domain_error(problem)
            status = 400
    from satupintu.documents import numbering

    return render(request, "documents/office_signing.html", {
        "office": office, "form": form, "letter_code": numbering.letter_code(office),
        "signer": issuing.signer_for(office)}, status=status)
