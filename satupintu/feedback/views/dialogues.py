"""NGOPAS pages: the office schedules and records dialogues; the public sees what is coming."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from satupintu.core.errors import DomainError
from satupintu.feedback import dialogues
from satupintu.feedback.models import Dialogue, DialogueVenue, ReportCategory
from satupintu.organization import access
from satupintu.organization.models import Office


def _local(raw: str, office: Office) -> datetime | None:
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=ZoneInfo(office.timezone)) if raw else None
    except ValueError:
        return None


def manage(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={request.path}")
    offices = [o for o in access.offices_visible(request.user) if dialogues.may_organise(request.user, o)]
    if not offices:
        raise PermissionDenied("Halaman ini untuk kepala kantor atau petugas pengaduan.")
    if request.method == "POST":
        office = next((o for o in offices if o.code == request.POST.get("office")), None)
        try:
            if office is None:
                raise DomainError("unknown_office", "Pilih kantor penyelenggara.")
            d = dialogues.dialogue_schedule(
                user=request.user, office=office, title=request.POST.get("title", ""),
                venue_type=request.POST.get("venue_type", ""), place=request.POST.get("place", ""),
                online_link=request.POST.get("online_link", ""),
                starts_at=_local(request.POST.get("starts_at", ""), office),
                publish=request.POST.get("publish") == "1",
            )
        except DomainError as exc:
            flash.error(request, exc.message)
        else:
            flash.success(request, "Dialog dijadwalkan." + (" Sudah tampil di halaman publik." if d.published else ""))
            return redirect(f"/petugas/ngopas/{d.pk}/")
    items = Dialogue.objects.select_related("office").filter(office__in=offices).order_by("-starts_at")[:100]
    return render(request, "feedback/dialogues_manage.html", {
        "offices": offices, "dialogues": items, "venues": DialogueVenue.choices, "values": request.POST,
    })


def record(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={request.path}")
    d = Dialogue.objects.select_related("office").filter(pk=pk).first()
    if d is None or not dialogues.may_organise(request.user, d.office):
        raise Http404("Dialog tidak ditemukan")
    if request.method == "POST":
        try:
            if request.POST.get("publish") == "1":
                d.published = True
                d.save(update_fields=["published"])
                flash.success(request, "Dialog dipublikasikan.")
            else:
                raw = request.POST.get("attendees", "").strip()
                items = []
                for i in range(1, 6):
                    title, text = request.POST.get(f"a{i}_title", "").strip(), request.POST.get(f"a{i}_text", "")
                    if title or text.strip():
                        items.append((request.POST.get(f"a{i}_category", "other"), title, text))
                made = dialogues.dialogue_record(
                    d, user=request.user, attendees=int(raw) if raw.isdigit() else None,
                    attendee_notes=request.POST.get("attendee_notes", ""), aspirations=items,
                )
                flash.success(request, f"Hasil dialog tersimpan; {len(made)} aspirasi dicatat.")
        except DomainError as exc:
            flash.error(request, exc.message)
        return redirect(f"/petugas/ngopas/{d.pk}/")
    return render(request, "feedback/dialogue_record.html", {
        "dialogue": d, "aspirations": d.aspirations.order_by("submitted_at"), "categories": ReportCategory.choices,
        "slots": range(1, 6),
    })


def public_list(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("office", "").strip()
    office = Office.objects.filter(code=code).first() if code else None
    return render(request, "feedback/dialogues_public.html", {
        "dialogues": dialogues.upcoming_dialogues(office), "office": office, "code": code,
    })
