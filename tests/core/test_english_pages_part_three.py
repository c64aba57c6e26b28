"""The third English walkthrough's findings (390 px, citizen, officer, leader): what the pages
compose in Python or JavaScript reads in the page's language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def _english(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's cookie
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("path, reason", [
    ("/petugas/kantor/", "This page is for administrators and heads of office."),
    ("/petugas/ngopas/", "This page is for heads of office and complaint officers."),
])
def test_a_refusal_gives_its_reason_in_the_pages_language(people, path, reason):
    response = _english(people.fo_lutra).get(path)
    assert response.status_code == 403
    assert reason in response.content.decode()
    assert "Halaman ini" not in response.content.decode()


def test_the_field_app_says_who_verifies_as_the_status_stands_in_the_readers_way(db):
    """'Awaiting verification … verified by …' contradicted itself; the list the phone redraws
    wrote the phone's zone and an Indonesian clock on English pages."""
    from satupintu.field import reports
    from satupintu.organization.models import Role
    from tests.conftest import _staff
    from tests.field.conftest import API, report_data

    reporter = _staff("penyuluh.waktu", "73.22", Role.FIELD_REPORTER)
    head = _staff("kakan.waktu", "73.22", Role.HEAD_OF_OFFICE)
    client = _english(reporter)
    assert client.post(API, report_data(occurred_at="2026-12-04T09:30:00+08:00")).status_code == 201
    office = "Kantor Kementerian Agama Kabupaten Luwu Utara"
    page = client.get("/lapangan/").content.decode()
    assert f"4 Dec 2026 09:30 WITA · to be verified by {office}" in page
    assert f"· verified by {office}" not in page
    listed = client.get(API).json()["reports"][0]
    assert (listed["occurred_shown"], listed["checked_by"]) == ("4 Dec 2026 09:30 WITA", f"to be verified by {office}")
    from satupintu.field.models import FieldReport

    reports.verify(head, FieldReport.objects.get())
    assert client.get(API).json()["reports"][0]["checked_by"] == f"verified by {office}"
    indonesian = Client()
    indonesian.force_login(reporter)
    assert f"04-12-2026 09.30 WITA · diverifikasi oleh {office}" in indonesian.get("/lapangan/").content.decode()


def test_an_escalation_note_and_the_whatsapp_latest_step_write_times_the_readers_way():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from satupintu.organization.models import Office
    from satupintu.situation.models import ResponseNote
    from satupintu.whatsapp.talk import local_time

    note = ResponseNote(event="escalated", details={"due": "01/12/2026 13.00", "office": "Kanwil Sulsel"})
    at = datetime(2026, 12, 7, 5, 30, tzinfo=ZoneInfo("UTC"))
    office = Office.objects.get(code="73.22")
    with translation.override("en"):
        assert note.shown_text == "Deadline 1 Dec 2026 13:00 missed; escalated to Kanwil Sulsel."
        assert local_time(at, office) == "7 December 2026 13:30 WITA"
    with translation.override("id"):
        assert note.shown_text == "Tenggat 01/12/2026 13.00 terlewati; dinaikkan ke Kanwil Sulsel."
        assert local_time(at, office) == "7 Desember 2026 13.30 WITA"


def test_an_office_working_saturdays_names_its_days_not_digits():
    from django.utils import translation

    from satupintu.organization.contacts import working_days_label
    from satupintu.organization.models import Office

    Office.objects.filter(code="73.22").update(working_weekdays="123456", opening_hours_text="")
    assert "Monday–Saturday" in _english().get("/kantor/73.22/").content.decode()
    with translation.override("id"):
        assert working_days_label("12345") == "Senin–Jumat"
        assert working_days_label("1346") == "Senin, Rabu–Kamis, Sabtu"


def test_the_rooms_own_sources_are_named_in_the_pages_language():
    from django.utils import translation

    from satupintu.field.room import field_source
    from satupintu.situation.internal import internal_source

    with translation.override("en"):
        assert field_source().shown_name == "Field reports (internal)"
        assert internal_source().shown_name == "Complaints and aspirations (internal)"
    with translation.override("id"):
        assert internal_source().shown_name == "Pengaduan dan aspirasi (internal)"


def test_a_breakthrough_effect_without_figures_says_only_why():
    from django.utils import translation

    from satupintu.reform.indicators import IndicatorEffect
    from satupintu.reform.integrity import _effect_text

    none = IndicatorEffect("complaints", "Waktu penanganan", "jam kerja", None, None, 0, 0, "Belum ada data", None)
    some = IndicatorEffect("complaints", "Waktu penanganan", "jam kerja", 12.0, None, 4, 0, "Belum ada data", None)
    with translation.override("en"):
        assert _effect_text(none) == "Belum ada data"  # it read "- -> - (…)"
        assert _effect_text(some) == "12.0 working hours -> - (Belum ada data)"


def test_an_electronic_seal_is_named_in_the_pages_language():
    from django.utils import translation

    from satupintu.documents.models import IssuedDocument

    seal = IssuedDocument(signer_name="Segel elektronik Kantor Kementerian Agama Kabupaten Luwu Utara")
    person = IssuedDocument(signer_name="Drs. H. Andi Rahman")
    with translation.override("en"):
        assert seal.shown_signer_name == "Electronic seal of Kantor Kementerian Agama Kabupaten Luwu Utara"
        assert person.shown_signer_name == "Drs. H. Andi Rahman"
    with translation.override("id"):
        assert seal.shown_signer_name == seal.signer_name
