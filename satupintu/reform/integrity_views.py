"""The Zona Integritas pack pages: pick an office, see its six areas, download the PDF or ZIP.

Heads of office, administrators and the inspectorate see their own office's pack (a Kanwil's
also those of the offices below; Pusat all): reform.integrity.pack_offices. Other staff get a
403, an office out of reach a 404. The pack holds aggregates only, so no access is recorded.
The PDF and ZIP are made on request (about a second for an office's year at demo scale), so
each person may download only a few a minute (core.ratelimit.ZI_*: a 429 page says when to
try again).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from satupintu.core import ratelimit
from satupintu.core.errors import DomainError
from satupintu.organization import access
from satupintu.organization.models import Office
from satupintu.reform import integrity

log = logging.getLogger(__name__)


def _office_or_refuse(request: HttpRequest, code: str) -> Office | HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    if not integrity.may_make_packs(request.user):
        raise PermissionDenied(_("Paket Zona Integritas untuk kepala kantor, administrator, dan Inspektorat."))
    office = integrity.pack_offices(request.user).filter(code=code).first()
    if office is None:
        raise Http404(_("Kantor tidak ditemukan atau di luar wewenang Anda"))
    return office


def _bad_year(request: HttpRequest, office: Office, exc: DomainError) -> HttpResponse:
    return render(request, "reform/zi_error.html", {"office": office, "error": exc.message}, status=400)


def index(request: HttpRequest) -> HttpResponse:
    """The office to make a pack for: straight to it when there is only one."""
    if (denied := access.staff_required(request)) is not None:
        return denied
    if not integrity.may_make_packs(request.user):
        raise PermissionDenied(_("Paket Zona Integritas untuk kepala kantor, administrator, dan Inspektorat."))
    offices = integrity.pack_offices(request.user).order_by("code")
    if chosen := request.GET.get("kantor", ""):
        if offices.filter(code=chosen).exists():
            return redirect("zi_pack", code=chosen)
        raise Http404(_("Kantor tidak ditemukan atau di luar wewenang Anda"))
    own = [r.office for r in access.staff_roles(request.user) if r.role in integrity.PACK_ROLES]
    if offices.count() == 1:
        return redirect("zi_pack", code=offices.get().code)
    return render(request, "reform/zi_index.html", {"offices": offices[:600], "own": own})


def pack(request: HttpRequest, code: str) -> HttpResponse:
    office = _office_or_refuse(request, code)
    if isinstance(office, HttpResponse):
        return office
    try:
        year = integrity.parse_year(request.GET.get("tahun"), office=office)
    except DomainError as exc:
        return _bad_year(request, office, exc)
    started = time.monotonic()
    built = integrity.build_pack(office, year, viewer=request.user)
    this_year = integrity.parse_year(None, office=office)
    return render(request, "reform/zi_pack.html", {
        "pack": built, "office": office, "years": range(this_year, integrity.FIRST_YEAR - 1, -1),
        "seconds": round(time.monotonic() - started, 2),
    })


def _limited(request: HttpRequest, office: Office, exc: ratelimit.RateLimited) -> HttpResponse:
    """The 429 page: what happened, in the reader's language, and when to try again."""
    response = render(request, "reform/zi_error.html", {"office": office, "error": exc.message, "limited": True},
                      status=429)
    response["Retry-After"] = str(exc.limit.window)
    return response


def _download(request: HttpRequest, code: str, year: str, uses: tuple[ratelimit.Use, ...],
              make: Callable[[integrity.Pack], HttpResponseBase]) -> HttpResponseBase:
    """Access and year first (a refusal costs no download), then one use of each limit of this
    person; a build that fails gives its uses back."""
    office = _office_or_refuse(request, code)
    if isinstance(office, HttpResponse):
        return office
    try:
        parsed = integrity.parse_year(year, office=office)
    except DomainError as exc:
        return _bad_year(request, office, exc)
    try:
        with ratelimit.spend(*uses, code="too_many_downloads"):
            # The documents are for the office's self-assessment, written in Indonesian.
            with translation.override("id"):
                return make(integrity.build_pack(office, parsed, viewer=request.user))
    except ratelimit.RateLimited as exc:
        return _limited(request, office, exc)


def _per_user(limit: ratelimit.Limit, request: HttpRequest) -> ratelimit.Use:
    return (limit, (request.user.pk,))


def pack_pdf(request: HttpRequest, code: str, year: str) -> HttpResponseBase:
    from satupintu.reform.integrity_pdf import integrity_pdf

    def make(built: integrity.Pack) -> HttpResponse:
        started = time.monotonic()
        pdf = integrity_pdf(built)
        log.info("zona integritas pdf %s %s: %.2f s", built.office.code, built.year, time.monotonic() - started)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{built.stem}.pdf"'
        return response

    return _download(request, code, year, (_per_user(ratelimit.ZI_PDF_PER_USER, request),), make)


def pack_zip(request: HttpRequest, code: str, year: str) -> HttpResponseBase:
    from satupintu.reform.integrity_pdf import integrity_pdf
    from satupintu.reform.integrity_zip import pack_zip_file

    def make(built: integrity.Pack) -> FileResponse:
        started = time.monotonic()
        archive = pack_zip_file(built, integrity_pdf(built))
        log.info("zona integritas zip %s %s: %.2f s", built.office.code, built.year, time.monotonic() - started)
        return FileResponse(archive, as_attachment=True, filename=f"{built.stem}.zip",
                            content_type="application/zip")

    return _download(request, code, year, (_per_user(ratelimit.ZI_ZIP_PER_USER, request),
                                           _per_user(ratelimit.ZI_ZIP_PER_USER_HOUR, request)), make)
