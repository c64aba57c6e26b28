"""NGOPAS dialogues: an office schedules and publishes a dialogue in the community, then
records who came and the aspirations raised there (each becomes an aspiration report)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from satupintu.core.errors import DomainError, Forbidden
from satupintu.core.links import check_web_link
from satupintu.feedback import reports
from satupintu.feedback.models import Dialogue, DialogueVenue, Report, ReportKind
from satupintu.organization import access
from satupintu.organization.models import Office

LINK_MAX = 200  # Dialogue.online_link


def may_organise(user, office: Office) -> bool:  # type: ignore[no-untyped-def]
    return access.may_organise_dialogue(user, office)


def dialogue_schedule(*, user, office: Office, title: str, venue_type: str, place: str = "",  # type: ignore[no-untyped-def]
                      online_link: str = "", starts_at: datetime | None, publish: bool = False) -> Dialogue:
    if not may_organise(user, office):
        raise Forbidden("forbidden", "Anda tidak berwenang menjadwalkan dialog untuk kantor ini.")
    title = " ".join((title or "").split())
    if len(title) < 5:
        raise DomainError("missing_field", "Tulis judul dialog (minimal 5 karakter).", field="title")
    if venue_type not in DialogueVenue.values:
        raise DomainError("invalid_venue", "Pilih jenis tempat dialog.", field="venue_type")
    if starts_at is None:
        raise DomainError("missing_field", "Isi tanggal dan jam dialog.", field="starts_at")
    # Every venue's link is checked, not only an online one's: it is an href on the public page.
    online_link = check_web_link(online_link, field="online_link", max_length=LINK_MAX)
    if venue_type == DialogueVenue.ONLINE and not online_link:
        raise DomainError("missing_field", "Dialog daring perlu tautan (Zoom/YouTube).", field="online_link")
    if venue_type != DialogueVenue.ONLINE and not place.strip():
        raise DomainError("missing_field", "Tulis nama tempat dialog.", field="place")
    return Dialogue.objects.create(office=office, title=title, venue_type=venue_type, place=place.strip()[:200],
                                   online_link=online_link, starts_at=starts_at, published=publish)


def dialogue_record(dialogue: Dialogue, *, user, attendees: int | None, attendee_notes: str,  # type: ignore[no-untyped-def]
                    aspirations: list[tuple[str, str, str]]) -> list[Report]:
    """Record attendance and the aspirations raised: (category, title, text) each."""
    if not may_organise(user, dialogue.office):
        raise Forbidden("forbidden", "Anda tidak berwenang mencatat dialog ini.")
    if dialogue.starts_at > timezone.now():
        raise DomainError("not_yet_held", "Hasil dialog dicatat setelah dialog berlangsung.", status=409)
    if attendees is not None and not 0 <= attendees <= 100_000:
        raise DomainError("invalid_attendees", "Jumlah peserta tidak wajar.", field="attendees")
    made = []
    with transaction.atomic():
        dialogue.attendees = attendees
        dialogue.attendee_notes = (attendee_notes or "").strip()[:5000]
        dialogue.save(update_fields=["attendees", "attendee_notes"])
        for category, title, text in aspirations:
            made.append(reports.report_submit(reports.ReportSubmission(
                kind=ReportKind.ASPIRATION, category=category, office=dialogue.office.code, title=title, text=text,
                anonymous=True, name="", dialogue_id=dialogue.pk,
            )))
    return made


def upcoming_dialogues(office: Office | None = None):  # type: ignore[no-untyped-def]
    qs = Dialogue.objects.select_related("office").filter(published=True, starts_at__gte=timezone.now())
    if office is not None:
        qs = qs.filter(office=office) | qs.filter(office__parent=office)
    return qs.order_by("starts_at")
