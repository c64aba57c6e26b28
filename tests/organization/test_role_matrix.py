"""Every role against every kind of record, through the real pages (issue #11, point 5).

The table below is the intended access; each row is checked by signing in as that role and
asking for every kind of record of Kankemenag Luwu Utara (73.22). The rules live in
satupintu/organization/access.py; this test is their contract.

Capabilities (a name in a row means "allowed"; anything not named must be refused):

- applications: ``app_queue`` (listed in /petugas/), ``app_detail``, ``app_reveal`` (NIK and
  phone in clear), ``app_document`` (a requirement file such as the KTP), ``app_product``
  (the product file), ``app_verify`` (the action works), ``app_reject`` (offered);
- public reports of the office (complaint, forwarded to Pendidikan Madrasah):
  ``report_queue``, ``report_detail``, ``report_reveal`` (reporter's phone in clear),
  ``report_attachment``, ``report_verify``;
- integrity reports: ``integrity_queue``, ``integrity_detail``, ``integrity_verify``;
- ``dialogue`` (an NGOPAS dialogue of the office), ``survey`` (the IKM report of the office),
  ``rakor`` (a Rakor meeting of the office; ``rakor_api`` the same through /api/v1/), ``rakor_record``
  (a decision recorded on that meeting: its organisers, rakor/access.py), ``situation`` (the Situation Room, read national),
  ``settings`` (the office settings page of one's own office).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from satupintu.feedback import dialogues, reports
from satupintu.feedback.models import Report, ReportStatus
from satupintu.organization.models import Office, Role, StaffRole, Unit
from satupintu.rakor import meetings
from satupintu.services.models import Document, DocumentKind, Status
from tests.conftest import VALID_NIK, upload

pytestmark = pytest.mark.django_db

PASSWORD = "sandi-uji-123"
REPORTER_PHONE = "081298765432"

APP_READ = {"app_queue", "app_detail", "app_reveal", "app_document", "app_product"}
REPORT_READ = {"report_queue", "report_detail", "report_reveal", "report_attachment"}
INTEGRITY = {"integrity_queue", "integrity_detail", "integrity_verify"}
EVERY_STAFF = {"situation"}  # every staff role but the field reporter

# role name: (office, role, unit, allowed capabilities)
MATRIX: dict[str, tuple[str, str | None, str | None, set[str]]] = {
    "front_office": ("73.22", Role.FRONT_OFFICE, None, APP_READ | {"app_verify", "survey", "rakor"} | EVERY_STAFF),
    "unit_officer": ("73.22", Role.UNIT_OFFICER, "pendma",
                     APP_READ | {"app_verify", "app_reject"} | REPORT_READ | {"survey", "rakor"} | EVERY_STAFF),
    "unit_officer_other_unit": ("73.22", Role.UNIT_OFFICER, "bimas-islam", {"survey", "rakor"} | EVERY_STAFF),
    "unit_officer_without_unit": ("73.22", Role.UNIT_OFFICER, None, {"survey", "rakor"} | EVERY_STAFF),
    "head_of_unit": ("73.22", Role.HEAD_OF_UNIT, "pendma",
                     APP_READ | {"app_verify", "app_reject"} | REPORT_READ | {"survey", "rakor", "rakor_record"}
                     | EVERY_STAFF),
    "head_of_office": ("73.22", Role.HEAD_OF_OFFICE, None,
                       APP_READ | {"app_reject"} | REPORT_READ | {"report_verify", "dialogue", "survey", "rakor",
                                                                 "rakor_record", "settings"} | EVERY_STAFF),
    # The Kanwil head sees the work of the Kankemenags below; acting on applications stays with the office.
    "head_of_kanwil": ("73", Role.HEAD_OF_OFFICE, None,
                       APP_READ | REPORT_READ | {"report_verify", "survey", "settings"} | EVERY_STAFF),
    "head_of_other_kanwil": ("33", Role.HEAD_OF_OFFICE, None, {"settings"} | EVERY_STAFF),
    "front_office_other_office": ("73.71", Role.FRONT_OFFICE, None, EVERY_STAFF),
    # Settings and aggregate figures; no applications, no reports: no personal data.
    "administrator": ("73.22", Role.ADMIN, None, {"survey", "rakor", "rakor_record", "settings"} | EVERY_STAFF),
    # The case: reports only, never applications.
    "complaint_officer": ("73.22", Role.COMPLAINT_OFFICER, None,
                          REPORT_READ | {"report_verify", "dialogue", "survey", "rakor"} | EVERY_STAFF),
    "complaint_officer_other_office": ("73.71", Role.COMPLAINT_OFFICER, None, EVERY_STAFF),
    "inspectorate": ("73", Role.INSPECTORATE, None, INTEGRITY | EVERY_STAFF),
    "inspectorate_of_office": ("73.22", Role.INSPECTORATE, None, INTEGRITY | {"rakor"} | EVERY_STAFF),
    "inspectorate_other_region": ("33", Role.INSPECTORATE, None, EVERY_STAFF),
    # Humas follows the news (press releases and clarifications are its work) and publishes the
    # office's service figures; a field reporter (penyuluh, KUA head) reports from /lapangan/ and
    # reads only the coordination meetings of the office it belongs to, whose instructions reach it.
    "humas": ("73.22", Role.HUMAS, None, {"survey", "rakor"} | EVERY_STAFF),
    "field_reporter": ("73.22", Role.FIELD_REPORTER, None, {"rakor"}),
    "citizen": ("", None, None, set()),
}

CAPABILITIES = sorted(APP_READ | {"app_verify", "app_reject"} | REPORT_READ | {"report_verify"} | INTEGRITY
                      | {"dialogue", "survey", "rakor", "rakor_record", "situation", "settings"})


def _person(name: str, office: str, role: str | None, unit: str | None):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(name, f"{name}@test.local", PASSWORD)
    if role:
        StaffRole.objects.create(user=user, office=Office.objects.get(code=office), role=role,
                                 unit=Unit.objects.get(code=unit) if unit else None)
    return user


def _records(submit):  # type: ignore[no-untyped-def]
    app = submit(office="73.22")
    assert app.unit.code == "pendma" and app.status == Status.SUBMITTED
    requirement = app.documents.first()
    product = Document.objects.create(
        application=app, kind=DocumentKind.PRODUCT, file=requirement.file.name, original_name="legalisir.pdf",
        content_type="application/pdf", size=requirement.size, sha256=requirement.sha256,
        uploaded_at=timezone.now())
    report = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Legalisir ijazah lambat",
        text="Pengurusan legalisir ijazah sudah dua minggu belum selesai.", name="Budi Santoso",
        phone=REPORTER_PHONE, files=[upload("bukti.pdf")]))
    # As if the complaint officer had sent it to the unit (the status stays open for the verify check).
    Report.objects.filter(pk=report.pk).update(unit=Unit.objects.get(code="pendma"))
    integrity = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="illegal_levy", office="73.22", title="Diminta uang pelicin",
        text="Petugas meminta uang pelicin untuk mempercepat legalisir ijazah.", name="Siti Aminah",
        phone="081211112222"))
    assert integrity.integrity
    office = Office.objects.get(code="73.22")
    organiser = _person("organiser", "73.22", Role.COMPLAINT_OFFICER, None)
    dialogue = dialogues.dialogue_schedule(user=organiser, office=office, title="NGOPAS Majelis Taklim",
                                           venue_type="mosque", place="Masjid Raya Masamba",
                                           starts_at=timezone.now() + timedelta(days=3))
    start = timezone.now() + timedelta(days=2)
    meeting = meetings.create_meeting(meetings.MeetingDraft(
        office="73.22", type="rakor", title="Rakor bulanan Luwu Utara", starts_at=start,
        ends_at=start + timedelta(hours=2), agenda=list(meetings.STANDARD_AGENDA[:1])), user=None)
    return app, requirement, product, report, integrity, dialogue, meeting


def _observe(client: Client, submit) -> set[str]:  # type: ignore[no-untyped-def]
    app, requirement, product, report, integrity, dialogue, meeting = _records(submit)
    seen: set[str] = set()
    detail_url = f"/petugas/permohonan/{app.tracking_code}/"

    queue = client.get("/petugas/", follow=True)
    if queue.status_code == 200 and app.tracking_code in queue.content.decode():
        seen.add("app_queue")
    detail = client.get(detail_url)
    if detail.status_code == 200:
        seen.add("app_detail")
        if "reject" in detail.context["actions"]:
            seen.add("app_reject")
    revealed = client.post(detail_url, {"reveal": "1", "reason": "verify"})
    if revealed.status_code == 200 and VALID_NIK in revealed.content.decode():
        seen.add("app_reveal")
    if client.get(f"{detail_url}berkas/{requirement.pk}/").status_code == 200:
        seen.add("app_document")
    if client.get(f"{detail_url}berkas/{product.pk}/").status_code == 200:
        seen.add("app_product")
    client.post(f"{detail_url}aksi/", {"action": "verify"})
    app.refresh_from_db()
    if app.status == Status.VERIFIED:
        seen.add("app_verify")

    report_url = f"/petugas/pengaduan/{report.tracking_code}/"
    report_queue = client.get("/petugas/pengaduan/", follow=True)
    page = report_queue.content.decode() if report_queue.status_code == 200 else ""
    if report.tracking_code in page:
        seen.add("report_queue")
    if integrity.tracking_code in page:
        seen.add("integrity_queue")
    if client.get(report_url).status_code == 200:
        seen.add("report_detail")
    revealed = client.post(report_url, {"reveal": "1", "reason": "verify"})
    if revealed.status_code == 200 and report.reporter_phone in revealed.content.decode():
        seen.add("report_reveal")
    attachment = report.attachments.get()
    if client.get(f"{report_url}lampiran/{attachment.pk}/").status_code == 200:
        seen.add("report_attachment")
    client.post(f"{report_url}aksi/", {"action": "verify"})
    report.refresh_from_db()
    if report.status == ReportStatus.VERIFIED:
        seen.add("report_verify")

    integrity_url = f"/petugas/pengaduan/{integrity.tracking_code}/"
    if client.get(integrity_url).status_code == 200:
        seen.add("integrity_detail")
    client.post(f"{integrity_url}aksi/", {"action": "verify"})
    integrity.refresh_from_db()
    if integrity.status == ReportStatus.VERIFIED:
        seen.add("integrity_verify")

    if client.get(f"/petugas/ngopas/{dialogue.pk}/").status_code == 200:
        seen.add("dialogue")
    if client.get("/petugas/skm/", {"office": "73.22"}).status_code == 200:
        seen.add("survey")
    if client.get(f"/rakor/{meeting.pk}/").status_code == 200:
        seen.add("rakor")
    if client.get(f"/api/v1/meetings/{meeting.pk}").status_code == 200:
        seen.add("rakor_api")
    client.post(f"/rakor/{meeting.pk}/aksi/", {"action": "decision", "text": "Percepat legalisir ijazah"})
    if meeting.decisions.filter(text="Percepat legalisir ijazah").exists():
        seen.add("rakor_record")
    if client.get("/situasi/", follow=True).status_code == 200:
        seen.add("situation")
    if client.get("/petugas/kantor/").status_code == 200:
        seen.add("settings")
    return seen


@pytest.mark.parametrize("name", list(MATRIX))
def test_each_role_sees_only_its_work(name: str, submit) -> None:  # type: ignore[no-untyped-def]
    office, role, unit, allowed = MATRIX[name]
    assert allowed <= set(CAPABILITIES)
    # The API reads meetings under the same rule as the pages.
    allowed = allowed | ({"rakor_api"} if "rakor" in allowed else set())
    client = Client()
    assert client.login(username=_person(name, office, role, unit).username, password=PASSWORD)
    seen = _observe(client, submit)
    too_much, missing = sorted(seen - allowed), sorted(allowed - seen)
    assert not (too_much or missing), f"{name}: sees too much {too_much}, misses {missing}"


def test_complaint_officer_is_sent_to_the_reports_not_the_applications(submit) -> None:  # type: ignore[no-untyped-def]
    """The "Petugas" link of a role without applications opens its own work, not an empty or leaky queue."""
    app = submit(office="73.22")
    client = Client()
    officer = _person("pengaduan", "73.22", Role.COMPLAINT_OFFICER, None)
    assert client.login(username=officer.username, password=PASSWORD)
    response = client.get("/petugas/")
    assert response.status_code == 302 and response["Location"] == "/petugas/pengaduan/"
    assert app.tracking_code not in client.get("/petugas/", follow=True).content.decode()
    admin = Client()
    assert admin.login(username=_person("admin.lutra", "73.22", Role.ADMIN, None).username, password=PASSWORD)
    assert admin.get("/petugas/")["Location"] == "/petugas/kantor/"
