"""NGOPAS pages: the office schedules and records dialogues; the public sees what is coming."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from satupintu.core.errors import DomainError
from satupintu.feedback import dialogues
from satupintu.feedback.models import Dialogue
from satupintu.feedback.officer_forms import DialogueForm, DialogueRecordForm, PublishForm
from satupintu.organization import access
from satupintu.organization.models import Office


def manage(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={request.path}")
    offices = [o for o in access.offices_visible(request.user) if dialogues.may_organise(request.user, o)]
    if not offices:
        raise PermissionDenied(_("Halaman ini untuk kepala kantor atau petugas pengaduan."))
    if request.method != "POST":
        return _manage_page(request, DialogueForm(offices=offices), offices)
    form = DialogueForm(request.POST, offices=offices)
    if not form.is_valid():  # a date that is no date, an office not offered
        return _manage_page(request, form, offices, status=400)
    try:
        d = dialogues.dialogue_schedule(user=request.user, **form.schedule())
    except DomainError as exc:
        form.add_domain_error(exc)
        return _manage_page(request, form, offices, status=exc.status)
    flash.success(request, _("Dialog dijadwalkan. Sudah tampil di halaman publik.") if d.published
                  else _("Dialog dijadwalkan."))
    return redirect(f"/petugas/ngopas/{d.pk}/")


def _manage_page(request: HttpRequest, form: DialogueForm, offices: list[Office], status: int = 200) -> HttpResponse:
    items = Dialogue.objects.select_related("office").filter(office__in=offices).order_by("-starts_at")[:100]
    return render(request, "feedback/dialogues_manage.html", {"form": form, "dialogues": items}, status=status)


def record(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={request.path}")
    d = Dialogue.objects.select_related("office").filter(pk=pk).first()
    if d is None or not dialogues.may_organise(request.user, d.office):
        raise Http404("Dialog tidak ditemukan")
    initial = {"attendees": d.attendees, "attendee_notes": d.attendee_notes}
    if request.method != "POST":
        return _record_page(request, d, DialogueRecordForm(initial=initial))
    if PublishForm(request.POST).wants():  # the page's other form, one button
        try:
            dialogues.dialogue_publish(d, user=request.user)
        except DomainError as exc:
            flash.error(request, exc.message)
        else:
            flash.success(request, _("Dialog dipublikasikan."))
        return redirect(f"/petugas/ngopas/{d.pk}/")
    form = DialogueRecordForm(request.POST, initial=initial)
    if not form.is_valid():  # a count that is no number
        return _record_page(request, d, form, status=400)
    try:
        made = dialogues.dialogue_record(d, user=request.user, attendees=form.cleaned_data.get("attendees"),
                                         attendee_notes=form.cleaned_data.get("attendee_notes", ""),
                                         aspirations=form.aspirations())
    except DomainError as exc:
        form.add_domain_error(exc)
        d.refresh_from_db()  # the record was rolled back
        return _record_page(request, d, form, status=exc.status)
    flash.success(request, _("Hasil dialog tersimpan; %(n)d aspirasi dicatat.") % {"n": len(made)})
    return redirect(f"/petugas/ngopas/{d.pk}/")


def _record_page(request: HttpRequest, d: Dialogue, form: DialogueRecordForm, status: int = 200) -> HttpResponse:
    return render(request, "feedback/dialogue_record.html", {
        "dialogue": d, "aspirations": d.aspirations.order_by("submitted_at"), "form": form,
        "publish_form": PublishForm(),
    }, status=status)


def public_list(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("office", "").strip()
    office = Office.objects.filter(code=code).first() if code else None
    return render(request, "feedback/dialogues_public.html", {
        "dialogues": dialogues.upcoming_dialogues(office), "office": office, "code": code,
    })
