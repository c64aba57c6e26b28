"""Meetings: record one (by hand or pre-filled from a Humas news article), take attendance,
and hand out its calendar invitation.

Times are entered and shown in the organising office's time zone; an iCalendar file carries
that zone so a calendar in Makassar or Jayapura shows the right local hour.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from satupintu.core.errors import Conflict, DomainError, ValidationErrors, collect_into
from satupintu.core.links import is_web_link
from satupintu.organization.models import Office
from satupintu.rakor.models import AgendaItem, Attendance, Meeting, MeetingDocument, MeetingMode, MeetingType

# The usual agenda of a Kanwil Rakor (article 000 of the seeds), as a template to start from.
STANDARD_AGENDA = (
    "Kebijakan keagamaan: kebijakan baru dan evaluasi kebijakan yang berjalan",
    "Program pembinaan keagamaan: rencana, perkembangan, dan efektivitas",
    "Koordinasi antarsubsektor (pendidikan, bimbingan masyarakat, haji dan umrah)",
    "Evaluasi kinerja dan penyelesaian masalah",
    "Perencanaan anggaran dan program kerja",
    "Isu-isu aktual dan tindak lanjut",
)
# Attendance is open from a little before the start to a little after the end.
ATTENDANCE_EARLY = timedelta(hours=1)
ATTENDANCE_LATE = timedelta(hours=2)


TEXT_MAX = 300  # a meeting's title, theme and venue, and an agenda item (the columns' length)
# Items on one agenda: a long Rakor has a dozen. The API took any number, and the items' order (a
# small integer) then ran past what PostgreSQL stores: a 500 for the whole meeting.
AGENDA_MAX = 200


@dataclass
class MeetingDraft:
    office: str
    type: str
    title: str
    starts_at: datetime
    ends_at: datetime
    theme: str = ""
    mode: str = MeetingMode.IN_PERSON
    venue: str = ""
    online_link: str = ""
    participants_reported: int | None = None
    agenda: list[str] = field(default_factory=list)
    invited_offices: list[str] = field(default_factory=list)
    invited_people: list[str] = field(default_factory=list)  # usernames or e-mail addresses of staff
    invited_roles: list[str] = field(default_factory=list)  # organization.Role values
    source_item_id: int | None = None
    decisions: list[str] = field(default_factory=list)  # one decision or instruction each


def local_datetime(office: Office, day: date, at: time) -> datetime:
    return datetime.combine(day, at, ZoneInfo(office.timezone))


def _agenda(lines: list[str], errors: list[DomainError]) -> list[str]:
    """The agenda's items in order; blank lines are none and take no number. An item too long, or
    too many items, is added to ``errors``."""
    items = [t.strip() for t in lines if t.strip()]
    if any(len(t) > TEXT_MAX for t in items):
        errors.append(DomainError("agenda_too_long", "Setiap butir agenda paling panjang %(max)s karakter.",
                                  field="agenda", params={"max": TEXT_MAX}))
    if len(items) > AGENDA_MAX:
        errors.append(DomainError("agenda_too_many", "Agenda paling banyak %(max)s butir.", field="agenda",
                                  params={"max": AGENDA_MAX}))
    return items


def create_meeting(draft: MeetingDraft, *, user) -> Meeting:  # type: ignore[no-untyped-def]
    """Record a meeting with its agenda, invitations and first decisions, or nothing: every
    problem at once in ``ValidationErrors`` (the first one is the API's code and message)."""
    from satupintu.organization.models import Role
    from satupintu.rakor import followups

    errors: list[DomainError] = []
    office = Office.objects.filter(code=draft.office).first()
    if office is None:
        errors.append(DomainError("unknown_office", "Kantor penyelenggara tidak dikenal.", field="office"))
    if draft.type not in MeetingType.values:
        errors.append(DomainError("invalid_type", "Pilih jenis rapat.", field="type"))
    if draft.mode not in MeetingMode.values:
        errors.append(DomainError("invalid_mode", "Pilih cara rapat: tatap muka, daring, atau hibrida.", field="mode"))
    if not draft.title.strip():
        errors.append(DomainError("missing_title", "Tulis judul rapat.", field="title"))
    # Said, never cut: the API took 100,000 characters and kept the first 300 without a word.
    for name, value, code in (("title", " ".join(draft.title.split()), "title_too_long"),
                              ("theme", draft.theme.strip(), "theme_too_long"),
                              ("venue", draft.venue.strip(), "venue_too_long")):
        if len(value) > TEXT_MAX:
            errors.append(DomainError(code, "Paling panjang %(max)s karakter.", field=name, params={"max": TEXT_MAX}))
    agenda = _agenda(draft.agenda, errors)
    if draft.ends_at <= draft.starts_at:
        errors.append(DomainError("ends_before_start", "Waktu selesai harus setelah waktu mulai.", field="ends_at"))
    if draft.mode in (MeetingMode.ONLINE, MeetingMode.HYBRID) and not draft.online_link:
        errors.append(DomainError("missing_link", "Rapat daring atau hibrida perlu tautan rapat.", field="online_link"))
    if draft.online_link and not is_web_link(draft.online_link, 500):
        errors.append(DomainError("invalid_link", "Tautan rapat harus alamat http(s), paling panjang 500 karakter.",
                                  field="online_link"))
    if draft.participants_reported is not None and not 0 <= draft.participants_reported <= 1_000_000:
        errors.append(DomainError("invalid_participants", "Jumlah peserta tidak masuk akal.",
                                  field="participants_reported"))
    invited = list(Office.objects.filter(code__in=draft.invited_offices))
    if len(invited) != len(set(draft.invited_offices)):
        errors.append(DomainError("unknown_office", "Ada kantor undangan yang tidak dikenal.", field="invited_offices"))
    elif office is not None and any(o.parent_id != office.pk for o in invited):
        # Here, not only in the web form: the API reaches this too, and an invitation lets the
        # invited office read the meeting and queues mail to its head.
        errors.append(DomainError("invited_not_below", "Kantor undangan harus kantor di bawah kantor penyelenggara.",
                                  field="invited_offices"))
    elif merged := next((o for o in invited if o.merged_into_id is not None), None):
        errors.append(DomainError("office_merged", "%(office)s sudah digabung ke %(into)s: undang %(into)s.",
                                  field="invited_offices", params={"office": merged.name,
                                                                   "into": merged.successor().name}))
    people = collect_into(errors, [])(_people, draft.invited_people)
    if not set(draft.invited_roles) <= set(Role.values):
        errors.append(DomainError("unknown_role", "Ada peran undangan yang tidak dikenal.", field="invited_roles"))
    if errors or office is None:
        raise ValidationErrors(errors)
    title = " ".join(draft.title.split())
    with transaction.atomic():
        # The same meeting sent twice (a double click, the form resent after "back") is recorded
        # once: a second copy would send every invited head a second invitation. In turn per office.
        Office.objects.select_for_update().filter(pk=office.pk).first()
        same = Meeting.objects.filter(office=office, type=draft.type, title__iexact=title, starts_at=draft.starts_at,
                                      ends_at=draft.ends_at).first()
        if same is not None:
            raise Conflict("duplicate_meeting", "Rapat ini sudah tercatat.", meeting_id=same.pk)
        meeting = Meeting.objects.create(
            office=office, type=draft.type, title=title, theme=draft.theme.strip(),
            mode=draft.mode, venue=draft.venue.strip(), online_link=draft.online_link,
            starts_at=draft.starts_at, ends_at=draft.ends_at, participants_reported=draft.participants_reported,
            source_item_id=draft.source_item_id, attendance_token=secrets.token_urlsafe(18), created_by=user,
            invited_roles=sorted(set(draft.invited_roles)))
        meeting.invited_offices.set(invited)
        meeting.invited_people.set(people)
        AgendaItem.objects.bulk_create([AgendaItem(meeting=meeting, order=i, title=t) for i, t in enumerate(agenda)])
        for text in draft.decisions:
            if text.strip():
                followups.add_decision(meeting, text)
        send_invitations(meeting)
    return meeting


def _people(names: list[str]) -> list:  # type: ignore[type-arg]
    """Staff accounts by username or e-mail; unknown ones are named in the message."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AbstractBaseUser
    from django.db.models import Q

    from satupintu.organization.models import StaffRole

    wanted = [n.strip() for n in names if n.strip()]
    found: list[AbstractBaseUser] = []
    unknown: list[str] = []
    for name in dict.fromkeys(wanted):
        user = (get_user_model().objects.filter(Q(username__iexact=name) | Q(email__iexact=name))
                .filter(pk__in=StaffRole.objects.values("user_id")).first())
        if user:
            found.append(user)
        else:
            unknown.append(name)
    if unknown:
        raise DomainError("unknown_people", "Petugas tidak ditemukan: %(names)s.", field="invited_people",
                          params={"names": ", ".join(unknown)})
    return found


def send_invitations(meeting: Meeting) -> int:
    """An e-mail with the calendar file to each invited person and to the heads and admins of
    every invited office, through the outbox in the same transaction (once per meeting and person)."""
    from django.conf import settings
    from django.utils.translation import gettext

    from satupintu.core import clock
    from satupintu.core.reading_language import in_language_of
    from satupintu.notifications.outbox import outbox_enqueue
    from satupintu.organization.models import Role, StaffRole

    zone = ZoneInfo(meeting.office.timezone)
    starts = meeting.starts_at.astimezone(zone)
    url = f"{settings.SITE_URL.rstrip('/')}/rakor/{meeting.pk}/"
    calendar = ics(meeting, url)
    rows = (StaffRole.objects.select_related("user")
            .filter(office__in=meeting.invited_offices.all(),
                    role__in={Role.HEAD_OF_OFFICE, Role.ADMIN, *meeting.invited_roles}, user__is_active=True))
    # Disabled accounts (moved, left) are not invited: the invitation names the meeting and its place.
    people = {(r.user_id, r.user.email) for r in rows if r.user.email}
    people |= {(u.pk, u.email) for u in meeting.invited_people.filter(is_active=True) if u.email}
    sent = 0
    for user_id, email in sorted(people):
        with in_language_of(user_id):
            when = f"{clock.shown(starts, 'd/m/Y H.i')} {meeting.office.timezone_label}"  # as the reader writes it
            params = {"office": meeting.office.name, "title": meeting.title, "when": when, "url": url,
                      "where": meeting.venue or meeting.online_link or meeting.get_mode_display()}
            subject = gettext("[Rakor] Undangan: %(title)s") % params
            body = gettext("%(office)s mengundang Anda ke %(title)s.\nWaktu: %(when)s\nTempat: %(where)s\n\n"
                           "Rincian dan presensi: %(url)s\n") % params
        if outbox_enqueue(channel="email", recipient=email, subject=subject, body=body,
                          dedupe_key=f"rakor-invite:{meeting.pk}:{user_id}",
                          attachment=(f"rapat-{meeting.pk}.ics", calendar, "text/calendar")):
            sent += 1
    return sent


@dataclass
class Prefill:
    """What a news article says about the meeting it reports, for the officer to check."""

    type: str
    title: str
    date: date | None
    venue: str
    organiser: str
    participants: int | None
    officials: list[str]
    instructions: list[str]
    deadlines: list[dict]
    found: bool


def prefill_from_article(text: str, title: str = "", published: date | None = None) -> Prefill:
    """The `meeting` part of `satupintu analyze` (#4), shaped for the meeting form."""
    if not text.strip():
        raise DomainError("missing_article", "Tempelkan teks berita terlebih dahulu.", field="article")
    from satupintu.situation.analysis import Analyzer, Record

    published_at = datetime.combine(published, time(12), ZoneInfo("Asia/Jakarta")) if published else None
    analysis = Analyzer().analyze(Record(id="draft", text=text, title=title, published_at=published_at))
    m = analysis.meeting or {}
    found_date = date.fromisoformat(m["date"]) if m.get("date") else None
    return Prefill(
        type=m.get("type") or MeetingType.RAKOR, title=title.strip() or (text.strip().splitlines() or [""])[0][:300],
        date=found_date, venue=m.get("place") or "", organiser=m.get("organiser") or "",
        participants=m.get("participants"), officials=m.get("officials") or [],
        instructions=m.get("instructions") or [], deadlines=m.get("deadlines") or [], found=bool(analysis.meeting))


def add_document(meeting: Meeting, *, title: str, upload, user) -> MeetingDocument:  # type: ignore[no-untyped-def]
    """Attach material to a meeting: the file and its row together, or neither (a full or
    unreachable storage is DomainError storage_full / storage_unavailable)."""
    from satupintu.services import uploads

    title = (title or "").strip()
    errors: list[DomainError] = []
    if not title:
        errors.append(DomainError("missing_document", "Tulis judul dokumen.", field="title"))
    if upload is None:
        errors.append(DomainError("missing_document", "Pilih berkas dokumen.", field="file"))
    checked = collect_into(errors)(uploads.check_upload, upload, label="dokumen", field="file") if upload else None
    if errors or checked is None:
        raise ValidationErrors(errors)
    with uploads.files_in_transaction() as written:
        doc = MeetingDocument(meeting=meeting, title=title[:200], uploaded_by=user)
        written.store(doc.file, checked.original_name, upload)
        doc.save()
    return doc


def minutes_digest(text: str) -> str:
    """A short fingerprint of an item's minutes as a page showed them (``save_minutes``'s ``seen``)."""
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()[:16]


def save_minutes(meeting: Meeting, minutes: dict[int, str], new_item: str = "",
                 seen: dict[int, str] | None = None) -> None:
    """The minutes of the agenda items given (by id; other items untouched), and a new item last.

    ``seen``: each item's ``minutes_digest`` as the page showed it. An item left as it was on the
    page is not written (a page opened earlier would blank what a colleague recorded since), and
    an item changed here that a colleague changed too is refused (409), nothing saved."""
    with transaction.atomic():
        # In turn per meeting: two sends of one page at once add its new agenda item once.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        clashes = []
        for item in meeting.agenda.select_for_update().filter(pk__in=list(minutes)):
            text, before = minutes[item.pk], (seen or {}).get(item.pk)
            if before is not None:
                if minutes_digest(text) == before:
                    continue  # not changed on this page
                if minutes_digest(item.minutes) != before and text != item.minutes:
                    clashes.append(item.title)
                    continue
            if text != item.minutes:
                item.minutes = text
                item.save(update_fields=["minutes"])
        if clashes:
            raise Conflict("minutes_changed", "Notulen %(items)s baru saja diubah orang lain. Muat ulang halaman untuk "
                           "melihatnya, lalu simpan lagi.", params={"items": ", ".join(f"'{t}'" for t in clashes)})
        title = " ".join(new_item.split())[:300]
        # An item the agenda has already is not added again: the page sent twice (a double click,
        # "save" after "back") would list it twice in the minutes and in the PDF.
        if title and not meeting.agenda.filter(title__iexact=title).exists():
            last = meeting.agenda.order_by("-order").first()
            meeting.agenda.create(title=title, order=(last.order + 1) if last else 0)


def record_attendance(meeting: Meeting, user, *, method: str, token: str, now: datetime | None = None) -> Attendance:  # type: ignore[no-untyped-def]
    """Count a person once, only with the meeting's token and only around its time."""
    now = now or timezone.now()
    if token != meeting.attendance_token:
        raise DomainError("invalid_token", "Kode presensi tidak sah untuk rapat ini.")
    if method not in ("qr", "link"):
        raise DomainError("invalid_method", "Cara presensi tidak dikenal.")
    if not (meeting.starts_at - ATTENDANCE_EARLY <= now <= meeting.ends_at + ATTENDANCE_LATE):
        raise Conflict("outside_window", "Presensi hanya dapat dicatat sejak satu jam sebelum rapat dimulai "
                                         "sampai dua jam setelah rapat selesai.")
    from satupintu.organization.access import staff_roles

    roles = staff_roles(user)
    try:
        with transaction.atomic():
            return Attendance.objects.create(meeting=meeting, user=user, method=method, at=now,
                                             office=roles[0].office if roles else None)
    except IntegrityError:
        raise Conflict("already_present", "Kehadiran Anda sudah tercatat.") from None


def attendance_by_method(meeting: Meeting) -> dict[str, int]:
    """In the room (QR at the door) and online (the link): article 001's "online and offline"."""
    from django.db.models import Count

    rows = meeting.attendance.values("method").annotate(n=Count("id")).order_by()
    counts = {"qr": 0, "link": 0}
    counts.update({r["method"]: r["n"] for r in rows})
    return counts


def attendance_counts(meeting: Meeting) -> tuple[int, list[tuple[str, int]]]:
    """Total present and the count per office (the article's "705 participants")."""
    from django.db.models import Count

    rows = (meeting.attendance.values("office__name").annotate(n=Count("id")).order_by("-n", "office__name"))
    per = [(r["office__name"] or "-", r["n"]) for r in rows]
    return sum(n for _, n in per), per


def ics(meeting: Meeting, url: str = "") -> bytes:
    """An iCalendar invitation in the organising office's time zone."""
    from icalendar import Calendar, Event

    zone = ZoneInfo(meeting.office.timezone)
    cal = Calendar()
    cal.add("prodid", "-//Satu Pintu Kemenag//Rakor//ID")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"rakor-{meeting.pk}@satupintu")
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("dtstamp", timezone.now())
    location = meeting.venue or ("Daring" if meeting.mode == MeetingMode.ONLINE else "")
    if location:
        event.add("location", location)
    description = "\n".join(x for x in (meeting.theme, meeting.online_link, url) if x)
    if description:
        event.add("description", description)
    event.add("organizer", f"mailto:rakor@{meeting.office.code.replace('.', '-')}.satupintu.local",
              parameters={"cn": meeting.office.name})
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
