"""Helpers for the breakthrough tests: real applications, complaints and survey answers at chosen
days (office-local, on working days), and a breakthrough with its indicators."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.test import Client

from satupintu.feedback import reports
from satupintu.feedback.models import Report, SurveyResponse
from satupintu.organization.models import Office, Unit
from satupintu.reform.models import Breakthrough, BreakthroughIndicator
from satupintu.services.applications import application_submit
from satupintu.services.models import Application, Service
from satupintu.services.workflow import application_transition
from tests.conftest import valid_submission

TZ = ZoneInfo("Asia/Makassar")  # Luwu Utara's time zone (WITA)


def login(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    assert c.login(username=user.username, password="sandi-uji-123")
    return c


def workday_at(day: date, hour: int) -> datetime:
    """``day`` (or the Thursday before, at a weekend) at ``hour``, Luwu Utara time: a day after is a working day too."""
    while day.isoweekday() > 4:
        day -= timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=TZ)


def decided_application(people, *, submitted: datetime, closed: datetime, serial: int,  # type: ignore[no-untyped-def]
                        assisted: bool = False) -> Application:
    """A legalisir application of Luwu Utara submitted then completed at the given times."""
    extra = {"assisted_by": people.fo_lutra, "assisted_consent": True} if assisted else {}
    app, _ = application_submit(valid_submission(nik=f"7322015708900{serial:03d}", email=f"p{serial}@contoh.id",
                                                 **extra), now=submitted)
    app = application_transition(app, "verify", user=people.fo_lutra, now=submitted + timedelta(minutes=10))
    app = application_transition(app, "process", user=people.pendma_lutra, now=submitted + timedelta(minutes=20))
    return application_transition(app, "complete", user=people.pendma_lutra, note="Ambil di loket PTSP Masamba.",
                                  now=closed)


def answered_complaint(people, *, submitted: datetime, answered: datetime, n: int) -> Report:  # type: ignore[no-untyped-def]
    report = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title=f"Antrean legalisir {n}",
        text=f"Antrean legalisir ijazah di loket PTSP lama sekali, keluhan nomor {n}.", name="Warga",
        email=f"warga{n}@contoh.id"), now=submitted)
    report = reports.report_act(report, "verify", user=people.kakan_lutra, now=submitted + timedelta(minutes=5))
    report = reports.report_act(report, "forward", user=people.kakan_lutra, unit=Unit.objects.get(code="pendma"),
                                note="Mohon dijawab.", now=submitted + timedelta(minutes=10))
    return reports.report_act(report, "answer", user=people.kakan_lutra, note="Sudah kami perbaiki.", now=answered)


def survey_answers(day: date, count: int, value: int, *, service: str = "legalisir-ijazah-madrasah",
                   key: str = "") -> None:
    svc = Service.objects.get(slug=service)
    SurveyResponse.objects.bulk_create(SurveyResponse(
        office=Office.objects.get(code="73.22"), service=svc, unit=svc.unit, channel="online", answered_on=day,
        import_key=f"t:{key}{day}:{value}:{i}", **{f"u{k}": value for k in range(1, 10)}) for i in range(count))


def breakthrough(*, started_on: date, kinds: list[str], unit: str | None = "pendma", office: str = "73.22",
                 title: str = "Legalisir daring satu hari", **extra) -> Breakthrough:  # type: ignore[no-untyped-def]
    b = Breakthrough.objects.create(
        office=Office.objects.get(code=office), unit=Unit.objects.get(code=unit) if unit else None, title=title,
        problem="Antrean panjang di loket.", change="Legalisir diajukan daring dan selesai sehari.",
        started_on=started_on, **extra)
    for k in kinds:
        BreakthroughIndicator.objects.create(breakthrough=b, kind=k)
    return b
