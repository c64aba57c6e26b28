"""Rows for the Zona Integritas pack tests, made through the product's own functions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile

from satupintu.feedback import reports
from satupintu.feedback.models import Report, SurveyResponse
from satupintu.organization.models import Office, Unit
from satupintu.reform.models import Breakthrough, BreakthroughEvidence, BreakthroughIndicator
from satupintu.services.models import Application
from satupintu.services.workflow import application_transition
from tests.conftest import pdf_bytes, valid_submission

WITA = ZoneInfo("Asia/Makassar")
YEAR = 2025
MONDAY = datetime(YEAR, 3, 3, 9, 0, tzinfo=WITA)  # Monday 3 March 2025, 09.00 in Luwu Utara


def completed_application(people, *, late: bool, week: int = 0, **overrides) -> Application:  # type: ignore[no-untyped-def]
    """An application of 73.22 submitted on a Monday (``week`` weeks after MONDAY: the same person
    twice on one day is a duplicate) and completed within its SLA or weeks after it."""
    from satupintu.services.applications import application_submit

    start = MONDAY + timedelta(weeks=week)
    app, _ = application_submit(valid_submission(**overrides), now=start)
    app = application_transition(app, "verify", user=people.fo_lutra, now=start + timedelta(minutes=30))
    app = application_transition(app, "process", user=people.pendma_lutra, now=start + timedelta(hours=1))
    done = app.due_at + timedelta(days=14) if late else start + timedelta(hours=2)
    return application_transition(app, "complete", user=people.pendma_lutra, note="Ambil di loket PTSP", now=done)


def complaint(n: int, *, category: str = "service_quality", name: str = "Siti Pelapor") -> Report:
    return reports.report_submit(reports.ReportSubmission(
        kind="complaint", category=category, office="73.22", title=f"Pengaduan nomor {n}",
        text=f"Pelayanan loket lambat dan berbelit, mohon diperbaiki segera (laporan {n}).", name=name,
        phone=f"08129876543{n}"), now=MONDAY + timedelta(minutes=n))


def answer(report: Report, user, *, late: bool) -> Report:  # type: ignore[no-untyped-def]
    when = report.due_at + timedelta(days=10) if late else MONDAY + timedelta(days=1)
    if report.integrity:  # the inspectorate verifies and answers it itself
        report = reports.report_act(report, "verify", user=user, now=MONDAY + timedelta(hours=2))
    else:
        report = reports.report_act(report, "forward", user=user, unit=Unit.objects.get(code="tu"),
                                    note="Ke TU", now=MONDAY + timedelta(hours=2))
    return reports.report_act(report, "answer", user=user, note="Sudah ditindaklanjuti.", now=when)


def survey(office: str, day: date, value: int, unit: str = "pendma", n: int = 1) -> None:
    for _ in range(n):
        SurveyResponse.objects.create(office=Office.objects.get(code=office), unit=Unit.objects.get(code=unit),
                                      channel="paper", answered_on=day, **{f"u{i}": value for i in range(1, 10)})


def breakthrough(office: str = "73.22", title: str = "Legalisir daring", started: date = date(YEAR, 2, 1),
                 evidence_title: str = "Foto layanan") -> Breakthrough:
    b = Breakthrough.objects.create(office=Office.objects.get(code=office), unit=Unit.objects.get(code="pendma"),
                                    title=title, problem="Warga antre lama; hubungi 081234567890",
                                    change="Legalisir diajukan dari ponsel", started_on=started,
                                    people="Andi Rahmawati (ketua tim)")
    BreakthroughIndicator.objects.create(breakthrough=b, kind="on_time_rate")
    evidence = BreakthroughEvidence(breakthrough=b, title=evidence_title)
    evidence.file.save("bukti.pdf", ContentFile(pdf_bytes("Bukti terobosan")), save=True)
    return b
