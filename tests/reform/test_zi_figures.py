"""The pack's figures come from real rows of the other parts, each area's own; no rows: said so."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from satupintu.core.errors import DomainError
from satupintu.core.models import PersonalDataAccess
from satupintu.organization.models import Office, Role, StaffRole, Unit
from satupintu.rakor import followups, meetings
from satupintu.reform import integrity
from tests.reform.zi_rows import WITA, YEAR, answer, breakthrough, complaint, completed_application, survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():  # type: ignore[no-untyped-def]
    """The figures are read in the language being served; these tests read them in Indonesian."""
    with translation.override("id"):
        yield
END_OF_YEAR = datetime(YEAR, 12, 31, 12, 0, tzinfo=WITA)


def _figures(pack: integrity.Pack) -> dict[str, integrity.Figure]:
    return {f.key: f for area in pack.areas for f in area.figures}


def test_the_six_areas_of_change_in_order():
    pack = integrity.build_pack(Office.objects.get(code="73.22"), YEAR, now=END_OF_YEAR)
    assert [a.folder for a in pack.areas] == [
        "1-manajemen-perubahan", "2-penataan-tata-laksana", "3-penataan-sistem-manajemen-sdm",
        "4-penguatan-akuntabilitas", "5-penguatan-pengawasan", "6-peningkatan-kualitas-pelayanan-publik"]


def test_an_application_on_time_and_one_late_is_50_percent_per_unit_too(people):
    completed_application(people, late=False)
    completed_application(people, late=True, week=1)
    f = _figures(integrity.build_pack(Office.objects.get(code="73.22"), YEAR, now=END_OF_YEAR))
    sla = f["sla_on_time"]
    assert sla.current.value == 50.0 and "1 dari 2" in sla.current.detail
    assert sla.previous is not None and sla.previous.value is None  # nothing in 2024
    assert sla.current.rows == ((Unit.objects.get(code="pendma").name, "50,0% (1/2)"),)
    assert f["online_share"].current.value == 100.0
    # two completed applications, one front-office and two unit officers in the office
    assert f["workload"].current.value == round(2 / 4, 1)


def test_a_desk_assisted_application_is_not_online(people):
    completed_application(people, late=False)
    completed_application(people, late=False, week=1, assisted_by=people.fo_lutra,
                          assisted_consent=True)
    assert _figures(integrity.build_pack(Office.objects.get(code="73.22"), YEAR, now=END_OF_YEAR))[
        "online_share"].current.value == 50.0


def test_complaints_and_integrity_reports(people):
    inspector = get_user_model().objects.create_user("itwil", "itwil@test.local", "x")
    StaffRole.objects.create(user=inspector, office=Office.objects.get(code="73"), role=Role.INSPECTORATE)
    answer(complaint(1), people.kakan_lutra, late=False)
    answer(complaint(2), people.kakan_lutra, late=True)
    complaint(3)  # not answered yet
    answer(complaint(4, category="illegal_levy"), inspector, late=False)
    complaint(5, category="staff_conduct")
    f = _figures(integrity.build_pack(Office.objects.get(code="73.22"), YEAR, now=END_OF_YEAR))
    assert f["complaints_in_time"].current.value == round(100 / 3, 1)
    assert "2 sudah dijawab" in f["complaints_in_time"].current.detail
    assert f["complaint_hours"].unit == "jam kerja" and f["complaint_hours"].current.value is not None
    assert f["integrity_received"].current.value == 2
    assert dict(f["integrity_received"].current.rows) == {"Pungutan liar / gratifikasi": "1", "Perilaku petugas": "1"}
    assert f["integrity_handled"].current.value == 50.0


def test_personal_data_views_of_the_office_are_counted_per_month(people):
    app = completed_application(people, late=False)
    for reason in ("verify", ""):
        PersonalDataAccess.objects.create(user=people.fo_lutra, subject_type="application",
                                          subject_ref=app.tracking_code, what="identitas pemohon", reason=reason)
    PersonalDataAccess.objects.create(user=people.fo_lutra, subject_type="application", subject_ref="XXXX-XXXX",
                                      what="identitas pemohon")  # not this office's
    year = timezone.now().astimezone(WITA).year
    audit = _figures(integrity.build_pack(Office.objects.get(code="73.22"), year))["personal_data_audit"]
    assert audit.current.value == 2 and audit.current.detail.startswith("1 dengan alasan")
    assert sum(int(n) for _m, n in audit.current.rows) == 2


def test_ikm_per_element_and_unit():
    survey("73.22", date(YEAR, 5, 2), 4, n=2)
    survey("73.22", date(YEAR, 5, 3), 3, unit="bimas-islam", n=2)
    survey("73.22", date(YEAR - 1, 5, 3), 2)
    f = _figures(integrity.build_pack(Office.objects.get(code="73.22"), YEAR, now=END_OF_YEAR))
    assert f["ikm"].current.value == Decimal("87.50")  # (4+4+3+3)/4 * 25
    assert f["ikm"].previous is not None and f["ikm"].previous.value == Decimal("50.00")
    assert len(f["ikm"].current.rows) == 9
    assert f["ikm_units"].current.value == 2


def test_rakor_follow_ups_on_time_and_decisions_followed(people):
    now = timezone.now()
    meeting = meetings.create_meeting(meetings.MeetingDraft(
        office="73.22", type="rakor", title="Rakor ZI", starts_at=now, ends_at=now + timedelta(hours=2),
        agenda=["Zona Integritas"], decisions=["Setiap unit menyiapkan terobosan", "Sosialisasi maklumat"]),
        user=None)
    lutra = Office.objects.get(code="73.22")
    today = followups.office_today(lutra)
    first = meeting.decisions.first()
    done = followups.add_action(first, office=lutra, indicator="Terobosan unit", due_date=today,
                                evidence_required=False)
    followups.close_action(done, user=people.kakan_lutra)
    followups.add_action(first, office=lutra, indicator="Laporan", due_date=today)
    f = _figures(integrity.build_pack(lutra, today.year))
    assert f["rakor_on_time"].current.value == 50.0
    assert f["rakor_meetings"].current.value == 1
    assert f["rakor_decisions"].current.value == 50.0  # one of the two decisions has actions


def test_breakthroughs_are_listed_without_personal_data():
    breakthrough(started=date(YEAR, 2, 1))
    breakthrough(title="Antrean daring", started=date(YEAR - 1, 6, 1))
    pack = integrity.build_pack(Office.objects.get(code="73.22"), YEAR, now=END_OF_YEAR)
    assert _figures(pack)["breakthroughs"].current.value == 1  # new this year; two running
    assert [i.title for i in pack.innovations] == ["Antrean daring", "Legalisir daring"]
    assert "081234567890" not in pack.innovations[0].problem
    # Each indicator's before/after is read through reform.indicators; none here has data yet.
    (label, text), = pack.innovations[1].effects
    assert label == "Layanan selesai tepat waktu (%)"
    assert "Belum ada data" in text


def test_no_rows_is_said_plainly_never_a_zero():
    pack = integrity.build_pack(Office.objects.get(code="73.17"), YEAR, now=END_OF_YEAR)
    f = _figures(pack)
    for key in ("sla_on_time", "complaints_in_time", "integrity_received", "ikm", "breakthroughs", "staff",
                "personal_data_audit", "rakor_on_time"):
        assert f[key].current.value is None
        assert f[key].missing.startswith("Belum ada data di Satu Pintu: lampirkan dari ")
    assert pack.areas[2].with_data == 0 and pack.areas[2].percent == 0


def test_year_is_checked():
    lutra = Office.objects.get(code="73.22")
    assert integrity.parse_year(None, office=lutra) == timezone.now().astimezone(WITA).year
    assert integrity.parse_year("2020", office=lutra) == 2020
    # Next year as the office counts it (at 01.30 WITA on 1 January, UTC's next year is this year).
    for bad in ("abc", "2014", str(timezone.now().astimezone(WITA).year + 1), "20x5", "-2020"):
        with pytest.raises(DomainError, match="Tahun harus berupa angka"):
            integrity.parse_year(bad, office=lutra)


def test_safe_names_never_leave_their_folder():
    assert integrity.safe_name("../../etc/passwd") == "etcpasswd"
    assert integrity.safe_name("..") == "berkas"
    assert integrity.safe_name("Rakor 1/2 ..\\x") == "rakor-12-x"


def test_a_kanwil_rakor_that_gave_the_office_actions_is_its_evidence_too(people):
    now = timezone.now()
    kanwil = meetings.create_meeting(meetings.MeetingDraft(
        office="73", type="rakor", title="Rakor Kanwil Sulsel", starts_at=now, ends_at=now + timedelta(hours=2),
        invited_offices=["73.22"], decisions=["Setiap Kankemenag menyiapkan terobosan"]), user=None)
    lutra = Office.objects.get(code="73.22")
    followups.add_action(kanwil.decisions.get(), office=lutra, indicator="Terobosan",
                         due_date=followups.office_today(lutra) + timedelta(days=400))  # not due yet: running
    pack = integrity.build_pack(lutra, followups.office_today(lutra).year)
    f = _figures(pack)
    assert f["rakor_meetings"].current.value == 0  # held none itself
    assert "1 rapat kantor atasan" in f["rakor_meetings"].current.detail
    assert f["rakor_on_time"].current.value is None  # the one action is not due this year
    minutes = [d for d in pack.areas[3].documents if d.kind == "minutes"]
    assert [d.ref for d in minutes] == [kanwil.pk]
    assert minutes[0].filename.startswith("notulen-rakor/") and minutes[0].filename.endswith("-rakor-kanwil-sulsel.pdf")


def test_the_pack_reads_the_on_time_rate_as_the_breakthrough_indicator_does(people):
    """Review #16 L7: the pack's SLA figure is reform.indicators.on_time_rate over the year, so a
    rejection decided in time counts as it does on a breakthrough's page (the copy left it out)."""
    from satupintu.reform import indicators
    from satupintu.services.applications import application_submit
    from satupintu.services.workflow import application_transition
    from tests.conftest import valid_submission
    from tests.reform.zi_rows import MONDAY

    completed_application(people, late=True)
    app, _ = application_submit(valid_submission(nik="7322015708900077", email="tolak@contoh.id"),
                                now=MONDAY + timedelta(weeks=2))
    start = MONDAY + timedelta(weeks=2)
    app = application_transition(app, "verify", user=people.fo_lutra, now=start + timedelta(minutes=30))
    app = application_transition(app, "process", user=people.pendma_lutra, now=start + timedelta(hours=1))
    application_transition(app, "reject", user=people.pendma_lutra, note="Berkas bukan ijazah madrasah.",
                           now=start + timedelta(hours=2))
    lutra = Office.objects.get(code="73.22")
    expected = indicators.on_time_rate(lutra, indicators.Window(date(YEAR, 1, 1), date(YEAR, 12, 31)))
    sla = _figures(integrity.build_pack(lutra, YEAR, now=END_OF_YEAR))["sla_on_time"]
    assert expected.n == 2 and sla.current.value == expected.value == 50.0
    assert "1 dari 2" in sla.current.detail
    assert sla.current.rows == ((Unit.objects.get(code="pendma").name, "50,0% (1/2)"),)


def test_one_definition_of_the_office_date_the_upload_hint_and_the_pdf_style():
    """Review #16 L7: reform imports what it used to copy."""
    from satupintu.core import pdf_style
    from satupintu.rakor import forms as rakor_forms
    from satupintu.reform import forms as reform_forms
    from satupintu.reform import indicators, integrity_pdf, selectors

    assert indicators.office_today is followups.office_today and selectors.office_today is followups.office_today
    assert not hasattr(selectors, "_local_today")
    assert reform_forms.limit_file is rakor_forms.limit_file and not hasattr(rakor_forms, "_limit_file")
    assert integrity_pdf._table is pdf_style.table and integrity_pdf._styles is pdf_style.styles
    assert not hasattr(integrity_pdf, "GREEN") and not hasattr(integrity_pdf, "LIGHT_GREEN")


def test_breakthrough_figures_in_the_pack_end_on_the_office_date_not_the_server_date(people, monkeypatch):
    """Review #16 L8: at 23.30 in Jakarta it is already tomorrow in Luwu Utara (WITA): the
    breakthrough's "after" window ends on Luwu Utara's date, as on the breakthrough's page."""
    from django.utils import timezone as django_timezone

    from satupintu.reform import indicators

    moment = datetime(2026, 3, 10, 16, 30, tzinfo=ZoneInfo("UTC"))
    monkeypatch.setattr(django_timezone, "now", lambda: moment)
    b = breakthrough(started=date(2025, 6, 2))
    text = " ".join(t for _label, t in integrity.breakthrough_effects(b, date(2026, 12, 31)))
    office_day, server_day = date(2026, 3, 11), date(2026, 3, 10)
    assert indicators.office_today(b.office) == office_day and django_timezone.localdate() == server_day
    with translation.override("id"):
        assert indicators.describe_window(b.started_on, office_day)["after_start"] in text
        assert indicators.describe_window(b.started_on, server_day)["after_start"] not in text
