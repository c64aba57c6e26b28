"""Who looked at my data: every reveal asks for a reason, and the person sees the reveals of
their own things (office, role, time, reason; never the officer's name)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from satupintu.core.models import PersonalDataAccess
from satupintu.feedback import reports
from satupintu.whatsapp.models import Conversation
from satupintu.whatsapp.outbound import national_number
from tests.citizen.conftest import PHONE, claim, login
from tests.conftest import VALID_NIK

pytestmark = pytest.mark.django_db


def _staff(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _report(phone: str = PHONE, title: str = "Antrean lama"):  # type: ignore[no-untyped-def]
    return reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title=title,
        text=f"{title}: mohon ditindaklanjuti.", name="Andi", email="andi@contoh.id", phone=phone))


def test_application_reveal_without_a_reason_is_refused_on_the_field(submit, people):
    app = submit()
    c = _staff(people.fo_lutra)
    url = f"/petugas/permohonan/{app.tracking_code}/"
    assert 'name="reason"' in c.get(url).content.decode()
    r = c.post(url, {"reveal": "1"})
    page = r.content.decode()
    assert r.status_code == 400 and 'href="#id_reason"' in page and VALID_NIK not in page
    r = c.post(url, {"reveal": "1", "reason": "other", "reason_note": "  "})
    assert r.status_code == 400 and 'href="#id_reason_note"' in r.content.decode()
    r = c.post(url, {"reveal": "1", "reason": "bogus"})
    assert r.status_code == 400 and 'href="#id_reason"' in r.content.decode()
    assert not PersonalDataAccess.objects.exists()
    assert VALID_NIK in c.post(url, {"reveal": "1", "reason": "other", "reason_note": "Warga minta dicek"}).content.decode()
    access = PersonalDataAccess.objects.get()
    assert (access.reason, access.reason_note) == ("other", "Warga minta dicek")


def test_report_reveal_without_a_reason_is_refused_on_the_field(people):
    from satupintu.organization.models import Office, Role, StaffRole

    report = _report()
    officer = people.outsider
    StaffRole.objects.create(user=officer, office=Office.objects.get(code="73.22"), role=Role.COMPLAINT_OFFICER)
    c = _staff(officer)
    url = f"/petugas/pengaduan/{report.tracking_code}/"
    r = c.post(url, {"reveal": "1"})
    assert r.status_code == 400 and 'href="#id_reason"' in r.content.decode() and report.reporter_phone not in r.content.decode()
    assert report.reporter_phone in c.post(url, {"reveal": "1", "reason": "follow_up"}).content.decode()
    assert PersonalDataAccess.objects.get().reason == "follow_up"


def test_whatsapp_reveal_without_a_reason_is_refused_on_the_field(people, settings):
    settings.WHATSAPP_PHONE_NUMBER_ID = "100000000000001"
    from satupintu.organization.models import Office

    conv = Conversation.objects.create(number=national_number(), wa_id=PHONE.lstrip("+"),
                                       office=Office.objects.get(code="73.22"), status="waiting")
    c = _staff(people.fo_lutra)
    assert 'name="reason"' in c.get(f"/petugas/wa/{conv.pk}/").content.decode()
    r = c.post(f"/petugas/wa/{conv.pk}/aksi/", {"action": "reveal"})
    assert r.status_code == 400 and 'href="#id_reason"' in r.content.decode() and PHONE not in r.content.decode()
    assert PHONE in c.post(f"/petugas/wa/{conv.pk}/aksi/", {"action": "reveal", "reason": "contact"}).content.decode()
    assert PersonalDataAccess.objects.get().reason == "contact"


def test_tracker_lists_the_persons_own_reveals_with_office_role_and_reason(citizen, stranger, submit, people, settings):
    settings.WHATSAPP_PHONE_NUMBER_ID = "100000000000001"
    from satupintu.organization.models import Office

    mine, theirs = submit(), submit(phone="081298765432", nik="7322014509910002", email="lain@contoh.id")
    report = _report()
    conv = Conversation.objects.create(number=national_number(), wa_id=PHONE.lstrip("+"),
                                       office=Office.objects.get(code="73.22"), status="waiting")
    officer = _staff(people.fo_lutra)
    officer.post(f"/petugas/permohonan/{mine.tracking_code}/", {"reveal": "1", "reason": "verify"})
    officer.post(f"/petugas/permohonan/{theirs.tracking_code}/", {"reveal": "1", "reason": "contact"})
    officer.get(f"/petugas/permohonan/{mine.tracking_code}/berkas/{mine.documents.first().pk}/")
    officer.post(f"/petugas/wa/{conv.pk}/aksi/", {"action": "reveal", "reason": "other", "reason_note": "Salah sambung"})
    assert PersonalDataAccess.objects.count() == 4
    c = login(citizen)
    assert "Belum ada petugas" in c.get("/akun/data-saya/").content.decode()  # nothing claimed yet
    claim(c)
    page = c.get("/akun/data-saya/").content.decode()
    assert page.count("<tr><td>") == 3  # two of the application, one WhatsApp; not the other person's
    assert mine.tracking_code in page and theirs.tracking_code not in page and report.tracking_code not in page
    assert "Kantor Kementerian Agama Kabupaten Luwu Utara · Petugas front office" in page
    assert "Memeriksa berkas atau identitas" in page and "Lainnya: Salah sambung" in page
    assert "Menghubungi warga" not in page
    assert "fo.lutra" not in page  # never the officer's name
    # The time with its zone, the office's (it read WIB for a Luwu Utara file, WITA on its other pages).
    assert re.search(r"<tr><td>\d\d-\d\d-\d{4} \d\d\.\d\d WITA</td>", page)
    # What was opened, in the reader's words: the requirement's name, not its code ("berkas ijazah_asli").
    doc = mine.documents.first()
    requirement = mine.service.requirements.get(code=doc.requirement_code, office__isnull=True)
    assert f": berkas {requirement.name}</td>" in page and f"berkas {doc.requirement_code}<" not in page
    assert ": identitas pemohon</td>" in page
    c.cookies["django_language"] = "en"
    english = c.get("/akun/data-saya/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f": file: {requirement.name_en}</td>" in english and ": applicant&#x27;s identity</td>" in english
    assert "Belum ada petugas" in login(stranger).get("/akun/data-saya/").content.decode()
