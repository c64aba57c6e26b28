"""The citizen's account: Beranda saya, claiming by phone, news preferences, who looked at my data,
the document locker (Berkas saya)."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from satupintu.bridge.catalog import allow_posts
from satupintu.citizen import claims, home, locker, preferences, tracker
from satupintu.citizen.forms import ClaimCodeForm, ClaimPhoneForm, LockerForm, PreferencesForm
from satupintu.core.errors import DomainError
from satupintu.organization import access

CLAIM_SESSION = "citizen_claim_phone"


def _citizen_only(request: HttpRequest, path: str) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={path}")
    if access.is_staff_member(request.user):
        return redirect("/petugas/")
    return None


@never_cache
def beranda(request: HttpRequest) -> HttpResponse:
    if (denied := _citizen_only(request, "/akun/")) is not None:
        return denied
    return _beranda_page(request)


def _beranda_page(request: HttpRequest, *, prefs_form: PreferencesForm | None = None, status: int = 200) -> HttpResponse:
    prefs = preferences.get(request.user)
    if prefs_form is None:
        prefs_form = PreferencesForm(initial={"whatsapp": prefs.whatsapp, "email": prefs.email} if prefs
                                     else preferences.shown_choice(request.user))
    items = home.items_for(request.user)
    return allow_posts(render(request, "citizen/beranda.html", {
        "items": items, "phones": claims.phones_of(request.user), "prefs": prefs, "prefs_form": prefs_form,
    }, status=status), [item.step.link_out for item in items if item.step])


@never_cache
def claim(request: HttpRequest) -> HttpResponse:
    if (denied := _citizen_only(request, "/akun/klaim/")) is not None:
        return denied
    form = ClaimPhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claims.request_code(request.user, form.cleaned_data.get("phone") or "")
        except DomainError as exc:
            form.add_domain_error(exc)
            return render(request, "citizen/claim.html", {"form": form}, status=exc.status)
        request.session[CLAIM_SESSION] = form.cleaned_data.get("phone") or ""
        return redirect("/akun/klaim/kode/")
    return render(request, "citizen/claim.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
def claim_code(request: HttpRequest) -> HttpResponse:
    if (denied := _citizen_only(request, "/akun/klaim/kode/")) is not None:
        return denied
    phone = request.session.get(CLAIM_SESSION, "")
    if not phone:
        return redirect("/akun/klaim/")
    form = ClaimCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = claims.confirm_code(request.user, phone, form.cleaned_data.get("code") or "")
        except DomainError as exc:
            form.add_domain_error(exc)
            return render(request, "citizen/claim_code.html", {"form": form, "phone": phone}, status=exc.status)
        request.session.pop(CLAIM_SESSION, None)
        flash.success(request, _("Nomor %(phone)s terverifikasi: %(n)d permohonan ditautkan ke akun Anda.")
                      % {"phone": done.phone, "n": done.applications})
        return redirect("/akun/")
    return render(request, "citizen/claim_code.html", {"form": form, "phone": phone},
                  status=400 if form.errors else 200)


@never_cache  # a refused form answers with Beranda saya itself (applications, proven numbers)
@require_POST
def save_preferences(request: HttpRequest) -> HttpResponse:
    if (denied := _citizen_only(request, "/akun/")) is not None:
        return denied
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return _beranda_page(request, prefs_form=form, status=400)
    try:
        preferences.save(request.user, whatsapp=bool(form.cleaned_data.get("whatsapp")),
                         email=bool(form.cleaned_data.get("email")))
    except DomainError as exc:
        form.add_domain_error(exc)
        return _beranda_page(request, prefs_form=form, status=exc.status)
    flash.success(request, _("Preferensi notifikasi tersimpan."))
    return redirect("/akun/")


@never_cache
def my_data(request: HttpRequest) -> HttpResponse:
    if (denied := _citizen_only(request, "/akun/data-saya/")) is not None:
        return denied
    return render(request, "citizen/data.html", {"records": tracker.records_for(request.user)})


@never_cache
def papers(request: HttpRequest) -> HttpResponse:
    """Berkas saya: the papers kept once for every application form."""
    if (denied := _citizen_only(request, "/akun/berkas/")) is not None:
        return denied
    form = LockerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            locker.locker_add(request.user, kind=form.cleaned_data.get("kind") or "",
                              upload=form.cleaned_data.get("file"))
        except DomainError as exc:
            form.add_domain_error(exc)
            return _papers_page(request, form, status=exc.status)
        flash.success(request, _("Berkas tersimpan di Berkas saya."))
        return redirect("/akun/berkas/")
    return _papers_page(request, form, status=400 if form.errors else 200)


def _papers_page(request: HttpRequest, form: LockerForm, *, status: int = 200) -> HttpResponse:
    return render(request, "citizen/locker.html", {
        "form": form, "documents": sorted(locker.locker_of(request.user).values(), key=lambda d: d.kind),
    }, status=status)


@require_POST
def paper_remove(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := _citizen_only(request, "/akun/berkas/")) is not None:
        return denied
    try:
        locker.locker_remove(request.user, pk)
    except DomainError as exc:
        flash.error(request, exc.message)
        return redirect("/akun/berkas/")
    flash.success(request, _("Berkas dihapus dari Berkas saya."))
    return redirect("/akun/berkas/")
