"""The reform demo: a unit's breakthrough with its before/after figures, and a Rakor decision of Kanwil
Sulsel asking every Tusi for breakthroughs by a date (one delivered, one late, the rest missing).

The figures are not typed in: the demo files applications (through ``application_submit`` and the
workflow, so the SLA clock runs), and survey answers, on both sides of the start date, as the
change would have made them: before, most legalisir applications came in at the desk and a third
were late; after, most come online and are done the same day. Complaints answered by Pendma: none,
so that indicator shows its "no data yet" message. Safe to run twice: it stops when the
breakthrough is there (everything is made in one transaction).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from satupintu.organization.models import Office, Unit
from satupintu.organization.working_calendar import office_today
from satupintu.reform import breakthroughs
from satupintu.reform.models import Breakthrough, BreakthroughCall, IndicatorKind

TITLE = "Legalisir ijazah daring, selesai sehari"
SERVICE = "legalisir-ijazah-madrasah"
STARTED_DAYS_AGO = 35
# (days ago submitted, at the desk, days to complete): before the start, then after it.
BEFORE = [(110, True, 5), (104, True, 0), (97, True, 6), (92, False, 0), (86, True, 4), (80, True, 0),
          (73, False, 0), (66, True, 5), (60, True, 0), (55, False, 0), (50, True, 4), (45, False, 0)]
AFTER = [(30, False, 0), (27, True, 0), (24, False, 0), (21, False, 0), (18, False, 3), (15, False, 0),
         (12, True, 0), (9, False, 0), (7, False, 0), (4, False, 0)]
NAMES = ["Nurul Hidayah", "Syamsul Bahri", "Hasnah Latif", "Irwan Saputra", "Sitti Aminah", "Arif Rahman",
         "Megawati Rasyid", "Fadli Amir", "Wahyuni Hamzah", "Ridwan Yusuf", "Darmawati", "Akbar Maulana"]


def _workday(day: date, tz: ZoneInfo, hour: int = 9) -> datetime:
    while day.isoweekday() > 4:  # Monday to Thursday: the day after is a working day too
        day -= timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=tz)


def _applications(users: dict, office: Office, today: date) -> int:  # type: ignore[type-arg]
    from satupintu.demo import _fields, _files
    from satupintu.services.applications import Submission, application_submit
    from satupintu.services.models import Service
    from satupintu.services.workflow import application_transition

    service = Service.objects.get(slug=SERVICE)
    tz = ZoneInfo(office.timezone)
    made = 0
    for i, (days_ago, desk, days) in enumerate([*BEFORE, *AFTER]):
        submitted = _workday(today - timedelta(days=days_ago), tz)
        desk_extra = {"assisted_by": users["fo.lutra"], "assisted_consent": True} if desk else {}
        app, created = application_submit(Submission(
            service=SERVICE, office=office.code, name=NAMES[i % len(NAMES)], nik=f"732201570890{1100 + i:04d}",
            phone=f"0812345{61000 + i:05d}", email=f"legalisir{i}@contoh.local", fields=_fields(service),
            files=_files(service, office), submission_key=f"demo:reform:{i}", **desk_extra), now=submitted)
        if not created:
            continue
        app = application_transition(app, "verify", user=users["fo.lutra"], now=submitted + timedelta(minutes=20))
        app = application_transition(app, "process", user=users["pendma.lutra"], now=submitted + timedelta(hours=1))
        application_transition(app, "complete", user=users["pendma.lutra"], note="Ambil di loket PTSP Masamba.",
                               now=submitted + timedelta(days=days, hours=3))
        made += 1
    return made


def _surveys(office: Office, started: date, today: date) -> int:
    """Answers about legalisir: waiting time (u3) and speed (u4... u9 as usual) weak before, better after."""
    from satupintu.feedback.models import SurveyResponse
    from satupintu.services.models import Service

    rng = random.Random(16)
    service = Service.objects.get(slug=SERVICE)
    rows = []
    for side, count, span, lift in (("before", 24, (started - timedelta(days=88), started - timedelta(days=1)), 0.0),
                                    ("after", 16, (started, today), 0.45)):
        first, last = span
        for i in range(count):
            answers = {f"u{n}": max(1, min(4, round(3 + lift + rng.gauss(0, 0.5) - (0.8 - lift if n in (2, 3) else 0))))
                       for n in range(1, 10)}
            rows.append(SurveyResponse(
                office=office, service=service, unit=service.unit, channel="online",
                answered_on=first + timedelta(days=rng.randint(0, max(0, (last - first).days))),
                import_key=f"demo:reform:{side}:{i}", **answers))
    SurveyResponse.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _evidence() -> SimpleUploadedFile:
    from satupintu.demo import demo_pdf

    return SimpleUploadedFile("sk-tim-inovasi-legalisir.pdf", demo_pdf("SK Tim Inovasi Legalisir Daring"),
                              content_type="application/pdf")


def _call(users: dict, today: date) -> BreakthroughCall:  # type: ignore[type-arg]
    from satupintu.rakor import followups, meetings
    from satupintu.rakor.models import MeetingType

    start = timezone.now() - timedelta(days=60)
    meeting = meetings.create_meeting(meetings.MeetingDraft(
        office="73", type=MeetingType.RAKOR, title="Rakor Percepatan Reformasi Birokrasi dan Zona Integritas "
        "Kanwil Kemenag Sulsel", venue="Aula Kanwil Kemenag Sulsel, Makassar", starts_at=start,
        ends_at=start + timedelta(hours=4), invited_offices=["73.22", "73.71"],
        agenda=["Tindak lanjut Rakernas: transformasi layanan publik", "Pembangunan Zona Integritas"]),
        user=users.get("kakanwil.sulsel"))
    decision = followups.add_decision(
        meeting, "Setiap Tusi memiliki dan menunjukkan terobosan layanan: layanan dapat diakses dari ponsel, "
        "tanpa berkas kertas, sebelum tenggat.", "Kepala Kanwil Kemenag Sulsel")
    call = breakthroughs.call_create(decision, user=users["kakanwil.sulsel"], due_date=today + timedelta(days=1),
                                     offices=list(Office.objects.filter(code__in=["73.22", "73.71"])), per_unit=True)
    # The demo needs a call whose date has passed (delivered, late, missing); the form never takes a past date.
    BreakthroughCall.objects.filter(pk=call.pk).update(due_date=today - timedelta(days=7))
    call.refresh_from_db()
    return call


def load_reform_demo(users: dict) -> str:  # type: ignore[type-arg]
    lutra = Office.objects.filter(code="73.22").first()
    if lutra is None or "kasi.pendma.lutra" not in users:
        return ""
    if Breakthrough.objects.filter(office=lutra, title=TITLE).exists():
        return " Terobosan: data demo sudah ada."
    today = office_today(lutra)
    started = today - timedelta(days=STARTED_DAYS_AGO)
    now = timezone.now()
    with transaction.atomic():
        apps = _applications(users, lutra, today)
        surveys = _surveys(lutra, started, today)
        call = _call(users, today)
        pendma = breakthroughs.breakthrough_register(breakthroughs.BreakthroughDraft(
            office=lutra, unit=Unit.objects.get(code="pendma"), title=TITLE,
            problem="Warga dari kecamatan jauh (Rampi, Seko) datang ke loket PTSP Masamba untuk legalisir ijazah "
                    "madrasah, antre, dan sering kembali keesokan harinya: sepertiga permohonan melewati tenggat.",
            change="Legalisir diajukan daring dari ponsel (scan ijazah), diverifikasi pagi hari dan ditandatangani "
                   "kasi pada hari yang sama; loket hanya untuk warga yang perlu dibantu.",
            started_on=started, people="Kasi Pendma (penanggung jawab)\nPetugas Pendma (verifikasi daring)\n"
                                       "Petugas FO (pendampingan warga di loket)",
            kinds=[IndicatorKind.ON_TIME_RATE, IndicatorKind.ONLINE_SHARE, IndicatorKind.IKM,
                   IndicatorKind.COMPLAINT_HOURS],
            call=call, files=[_evidence()], links=["https://lutra.kemenag.go.id/ptsp"]),
            user=users["kasi.pendma.lutra"])
        late = breakthroughs.breakthrough_register(breakthroughs.BreakthroughDraft(
            office=lutra, unit=Unit.objects.get(code="bimas-islam"), title="Pengukuran arah kiblat dijadwalkan daring",
            problem="Pengurus masjid harus datang ke kantor untuk meminta jadwal pengukuran arah kiblat.",
            change="Jadwal diminta dan dikonfirmasi lewat WhatsApp Layanan; tim datang sesuai jadwal.",
            started_on=today - timedelta(days=4), people="Petugas Bimas Islam",
            kinds=[IndicatorKind.ONLINE_SHARE], call=call), user=users["bimas.lutra"])
        # Registered as they would have been: Pendma before the due date, Bimas Islam after it.
        Breakthrough.objects.filter(pk=pendma.pk).update(created_at=now - timedelta(days=30),
                                                         answered_at=now - timedelta(days=30))
        Breakthrough.objects.filter(pk=late.pk).update(created_at=now - timedelta(days=3),
                                                       answered_at=now - timedelta(days=3))
    return (f" Terobosan: {apps} permohonan legalisir dan {surveys} jawaban survei sebelum/sesudah; "
            f"'{TITLE}' di /terobosan/{pendma.pk}/ (kasi.pendma.lutra), papan permintaan terobosan rakor di "
            f"/rakor/keputusan/{call.decision_id}/#terobosan (kakanwil.sulsel). Bukti Zona Integritas Luwu Utara "
            f"di /zona-integritas/73.22/ (kakan.lutra; PDF dan ZIP).")
