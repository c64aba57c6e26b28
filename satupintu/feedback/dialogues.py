"""NGOPAS dialogues: an office schedules and publishes a dialogue in the community, then
records who came and the aspirations raised there (each becomes an aspiration report)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from satupintu.core.errors import DomainError, Forbidden, ValidationErrors, collect_into
from satupintu.core.links import check_web_link
from satupintu.feedback import reports
from satupintu.feedback.models import Dialogue, DialogueVenue, Report, ReportKind
from satupintu.organization import access
from satupintu.organization.models import Office

LINK_MAX = 200  # Dialogue.online_link
TITLE_MAX = PLACE_MAX = 200  # Dialogue.title, Dialogue.place
ATTENDEES_MAX = 100_000
ROW_FIELDS = ("category", "title", "text")  # an aspiration's fields


def may_organise(user, office: Office) -> bool:  # type: ignore[no-untyped-def]
    return access.may_organise_dialogue(user, office)


def dialogue_schedule(*, user, office: Office, title: str, venue_type: str, place: str = "",  # type: ignore[no-untyped-def]
                      online_link: str = "", starts_at: datetime | None, publish: bool = False) -> Dialogue:
    """Schedule a dialogue; every problem is named at once (ValidationErrors), each on its field."""
    if not may_organise(user, office):
        raise Forbidden("forbidden", "Anda tidak berwenang menjadwalkan dialog untuk kantor ini.")
    errors: list[DomainError] = []
    title = " ".join((title or "").split())
    if len(title) < 5:
        errors.append(DomainError("missing_field", "Tulis judul dialog (minimal 5 karakter).", field="title"))
    elif len(title) > TITLE_MAX:
        errors.append(DomainError("text_too_long", "Judul maksimal %(n)d karakter.", field="title",
                                  params={"n": TITLE_MAX}))
    if venue_type not in DialogueVenue.values:
        errors.append(DomainError("invalid_venue", "Pilih jenis tempat dialog.", field="venue_type"))
    if starts_at is None:
        errors.append(DomainError("missing_field", "Isi tanggal dan jam dialog.", field="starts_at"))
    # Every venue's link is checked, not only an online one's: it is an href on the public page.
    attempt = collect_into(errors, default="")
    online_link = attempt(check_web_link, online_link, field="online_link", max_length=LINK_MAX)
    if venue_type == DialogueVenue.ONLINE and not online_link and not any(e.field == "online_link" for e in errors):
        errors.append(DomainError("missing_field", "Dialog daring perlu tautan (Zoom/YouTube).", field="online_link"))
    place = " ".join((place or "").split())
    if venue_type != DialogueVenue.ONLINE and not place:
        errors.append(DomainError("missing_field", "Tulis nama tempat dialog.", field="place"))
    elif len(place) > PLACE_MAX:
        errors.append(DomainError("text_too_long", "Nama tempat maksimal %(n)d karakter.", field="place",
                                  params={"n": PLACE_MAX}))
    if errors:
        raise ValidationErrors(errors)
    assert starts_at is not None  # no error means it was given
    return Dialogue.objects.create(office=office, title=title, venue_type=venue_type, place=place,
                                   online_link=online_link, starts_at=starts_at, published=publish)


def dialogue_publish(dialogue: Dialogue, *, user) -> Dialogue:  # type: ignore[no-untyped-def]
    """Show a scheduled dialogue on the public page."""
    if not may_organise(user, dialogue.office):
        raise Forbidden("forbidden", "Anda tidak berwenang mengubah dialog ini.")
    if not dialogue.published:
        dialogue.published = True
        dialogue.save(update_fields=["published"])
    return dialogue


def dialogue_record(dialogue: Dialogue, *, user, attendees: int | None, attendee_notes: str,  # type: ignore[no-untyped-def]
                    aspirations: list[tuple[str, str, str]]) -> list[Report]:
    """Record attendance and the aspirations raised: (category, title, text) each. All or
    nothing, with every problem named at once: an aspiration's on ``aspirations.<k>.<field>``
    (k from 0, in the order given), so the form can show it on its row."""
    if not may_organise(user, dialogue.office):
        raise Forbidden("forbidden", "Anda tidak berwenang mencatat dialog ini.")
    if dialogue.starts_at > timezone.now():
        raise DomainError("not_yet_held", "Hasil dialog dicatat setelah dialog berlangsung.", status=409)
    errors: list[DomainError] = []
    if attendees is not None and not 0 <= attendees <= ATTENDEES_MAX:
        errors.append(DomainError("invalid_attendees", "Jumlah peserta tidak wajar.", field="attendees"))
    made = []
    with transaction.atomic():  # an error below rolls back what was saved before it
        if not errors:
            dialogue.attendees = attendees
            dialogue.attendee_notes = (attendee_notes or "").strip()[:5000]
            dialogue.save(update_fields=["attendees", "attendee_notes"])
        for k, (category, title, text) in enumerate(aspirations):
            try:
                made.append(reports.report_submit(reports.ReportSubmission(
                    kind=ReportKind.ASPIRATION, category=category, office=dialogue.office.code, title=title,
                    text=text, anonymous=True, name="", dialogue_id=dialogue.pk,
                )))
            except DomainError as exc:
                errors.extend(_on_row(exc, k))
        if errors:
            raise ValidationErrors(errors)
    return made


def _on_row(exc: DomainError, k: int) -> list[DomainError]:
    """A report's errors as errors of the k-th aspiration (a duplicate is about its text)."""
    out = []
    for e in exc.errors if isinstance(exc, ValidationErrors) else [exc]:
        part = e.field if e.field in ROW_FIELDS else "text" if e.code == "duplicate_report" else None
        out.append(DomainError(e.code, e.text, field=f"aspirations.{k}.{part}" if part else None, status=e.status,
                               params=e.params))
    return out


def upcoming_dialogues(office: Office | None = None):  # type: ignore[no-untyped-def]
    qs = Dialogue.objects.select_related("office").filter(published=True, starts_at__gte=timezone.now())
    if office is not None:
        qs = qs.filter(office=office) | qs.filter(office__parent=office)
    return qs.order_by("starts_at")
