"""Early warning (kewaspadaan dini, issue #15): the index, its explanation, zones, history and
zone-change alerts that reach the heads through the outbox.

Signals are stored rows (items as the pipeline leaves them, verified field reports, harmony
complaints, spike alerts) so that each test states exactly what a region has.
"""

from __future__ import annotations

import math
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from satupintu.core.env import ConfigError
from satupintu.feedback.models import Report, ReportCategory, ReportKind, ReportStatus
from satupintu.field.models import FieldReport
from satupintu.field.models import ReportStatus as FieldStatus
from satupintu.notifications.models import OutboxMessage
from satupintu.organization.models import Office
from satupintu.situation import warning
from satupintu.situation.models import (
    Alert,
    AlertKind,
    AlertRule,
    AlertStatus,
    Item,
    RegionWarning,
    RegionWarningHistory,
    Source,
    SourceKind,
    topics_mask,
)

pytestmark = pytest.mark.django_db

_seq = iter(range(1, 1_000_000))


def item(regency: str, *, kind: str = SourceKind.FEED, age: timedelta = timedelta(0), sentiment: str = "negative",
         topics: tuple[str, ...] = ("kerukunan",), now=None) -> Item:  # type: ignore[no-untyped-def]
    source, _ = Source.objects.get_or_create(name=f"sumber {kind}", kind=kind)
    n = next(_seq)
    return Item.objects.create(
        source=source, external_id=f"w-{n}", title=f"Ketegangan rumah ibadah {regency} ({n})", text="...",
        url=f"https://berita.example/{n}", published_at=(now or timezone.now()) - age,
        province_code=regency[:2], regency_code=regency if "." in regency else "", topics=list(topics),
        topics_mask=topics_mask(list(topics)), sentiment=sentiment)


def field_report(regency: str, reporter, *, urgency: str = "high", category: str = "tension",  # type: ignore[no-untyped-def]
                 status: str = FieldStatus.VERIFIED, age: timedelta = timedelta(0)) -> FieldReport:
    when = timezone.now() - age
    return FieldReport.objects.create(
        client_id=uuid.uuid4(), reporter=reporter, office=Office.objects.get(code=regency), province_code=regency[:2],
        regency_code=regency, district_code=f"{regency}.01", category=category, urgency=urgency,
        description="Dua kelompok warga bersitegang soal rumah ibadat.", occurred_at=when, submitted_at=when,
        status=status, verified_at=when if status == FieldStatus.VERIFIED else None)


def complaint(office: str, *, kind: str = ReportKind.COMPLAINT, status: str = ReportStatus.SUBMITTED) -> Report:
    n = next(_seq)
    return Report.objects.create(
        tracking_code=f"PGD{n:08d}", kind=kind, category=ReportCategory.RELIGIOUS_HARMONY,
        office=Office.objects.get(code=office), title=f"Intimidasi jemaah {n}", text="...", status=status,
        submitted_at=timezone.now(), fingerprint=f"f{n}")


def signals_of(reading: warning.Reading) -> dict[str, dict]:  # type: ignore[type-arg]
    return {s["kind"]: s for s in reading.signals}


# --- the index -------------------------------------------------------------------------------------

def test_each_kind_of_signal_weighs_what_the_settings_say(people):
    now = timezone.now()
    item("73.22", now=now)
    item("73.22", kind=SourceKind.SOCIAL, now=now)
    item("73.22", sentiment="neutral", now=now)  # not negative: no signal
    item("73.22", topics=("pendidikan",), now=now)  # not about harmony: no signal
    item("73.22", kind=SourceKind.INTERNAL, now=now)  # a complaint's copy: counted as a complaint
    item("73.22", kind=SourceKind.FIELD, now=now)  # a field report's copy: counted as the report
    field_report("73.22", people.bimas_lutra, urgency="critical", category="disaster")  # disaster counts little
    field_report("73.22", people.bimas_lutra, urgency="high", status=FieldStatus.SUBMITTED)  # not verified
    complaint("73.22")
    complaint("73.22", kind=ReportKind.ASPIRATION)  # asks for dialogue: no warning
    complaint("73.22", status=ReportStatus.REJECTED)
    reading = warning.read_all()["73.22"]
    s = signals_of(reading)
    assert set(s) == {"news", "social", "field_critical", "complaint"}
    assert s["news"]["count"] == 1 and s["news"]["contribution"] == pytest.approx(3.0, abs=0.05)
    assert s["social"]["contribution"] == pytest.approx(1.0, abs=0.05)
    assert s["field_critical"]["contribution"] == pytest.approx(10.0, abs=0.05)  # 40 x 0.25
    assert s["complaint"]["contribution"] == pytest.approx(6.0, abs=0.05)
    assert reading.index == pytest.approx(20.0, abs=0.1) and reading.zone == "hijau"


def test_weights_and_thresholds_from_settings_change_the_result(settings):
    now = timezone.now()
    for _ in range(3):
        item("73.22", now=now)
    assert warning.read_all(now)["73.22"].index == pytest.approx(9.0, abs=0.05)
    assert warning.read_all(now)["73.22"].zone == "hijau"

    settings.SITUATION_WARNING_WEIGHTS = {"news": 10}
    reading = warning.read_all(now)["73.22"]
    assert reading.index == pytest.approx(30.0, abs=0.05) and reading.zone == "kuning"

    settings.SITUATION_WARNING_THRESHOLDS = "10,29"
    assert warning.read_all(now)["73.22"].zone == "merah"

    for bad in ({"berita": 3}, {"news": -1}, {"field_urgency": {"critical": "banyak"}}):
        settings.SITUATION_WARNING_WEIGHTS = bad
        with pytest.raises(ConfigError):
            warning.warning_config()
    settings.SITUATION_WARNING_WEIGHTS = {}
    for bad_thresholds in ("60,25", "25", "kuning,merah", "0,50"):
        settings.SITUATION_WARNING_THRESHOLDS = bad_thresholds
        with pytest.raises(ConfigError):
            warning.warning_config()


def test_older_signals_weigh_less_and_signals_outside_the_window_not_at_all():
    now = timezone.now()
    item("73.22", age=timedelta(days=7), now=now)  # one half-life: half
    item("73.22", age=timedelta(days=15), now=now)  # outside the 14-day window
    reading = warning.read_all(now)["73.22"]
    assert signals_of(reading)["news"]["count"] == 1
    assert reading.index == pytest.approx(1.5, abs=0.05)


def test_the_explanation_adds_up_to_the_index_and_links_to_its_signals(people):
    now = timezone.now()
    for k in range(7):
        item("73.22", age=timedelta(hours=k), now=now)
    report = field_report("73.22", people.bimas_lutra, urgency="medium", category="hoax")
    c = complaint("73.22")
    spike = Alert.objects.create(kind=AlertKind.NEGATIVE, province_code="73", regency_code="73.22", topic="kerukunan",
                                 window_start=now - timedelta(days=1), window_end=now, count=9, baseline=1, score=5,
                                 summary="kerukunan di Luwu Utara: 9 butir negatif", key="t1", created_at=now)
    reading = warning.read_all()["73.22"]
    assert math.isclose(sum(s["contribution"] for s in reading.signals), reading.index, abs_tol=1e-6)
    s = signals_of(reading)
    assert s["news"]["count"] == 7 and len(s["news"]["links"]) == warning.MAX_LINKS
    assert s["news"]["links"][0]["url"].startswith("https://berita.example/")
    # The complaint by its id, never its tracking code (shown to all staff, mailed with alerts).
    assert s["complaint"]["links"] == [{"label": f"Pengaduan: {c.title}", "url": "", "report": c.pk,
                                        "kind": "complaint", "head": c.title}]
    assert c.tracking_code not in str(reading.signals)
    assert s["spike"]["links"][0]["url"] == f"/situasi/peringatan/{spike.pk}/"
    assert s["field_medium"]["links"] == [{"label": "Hoaks: Dua kelompok warga bersitegang soal rumah ibadat.",
                                           "url": f"/petugas/lapangan/{report.pk}/", "kind": "hoax",
                                           "head": "Dua kelompok warga bersitegang soal rumah ibadat."}]
    # Stored in Indonesian with the index; what they are is said in the reader's language.
    from django.utils import translation

    with translation.override("en"):
        assert warning.link_text(s["complaint"]["links"][0]) == f"Complaint: {c.title}"
        assert warning.link_text(s["field_medium"]["links"][0]).endswith(": Dua kelompok warga bersitegang soal rumah ibadat.")
        assert not warning.link_text(s["field_medium"]["links"][0]).startswith("Hoaks")
    assert [x["kind"] for x in reading.signals][0] == "news"  # largest first (7 x 3 = 21)

    # Past 100 every contribution is scaled by the same factor: they still add up (to 100).
    for _ in range(40):
        item("73.22", now=now)
    capped = warning.read_all()["73.22"]
    assert capped.index == 100.0 and capped.capped and capped.zone == "merah"
    assert math.isclose(sum(x["contribution"] for x in capped.signals), 100.0, abs_tol=1e-6)


def test_a_province_reads_its_worst_regency_its_mean_and_its_own_signals():
    now = timezone.now()
    for _ in range(10):
        item("73.22", now=now)  # 30: kuning
    readings = warning.read_all(now)
    province = readings["73"]
    n = sum(1 for code, r in readings.items() if code.startswith("73.") and r.level == "regency")
    assert province.index == pytest.approx(0.7 * 30 + 0.3 * 30 / n, abs=0.1)
    assert province.zone == "hijau"  # one kuning regency does not colour a province
    assert signals_of(province)["regency_max"]["links"][0]["url"] == "/situasi/kewaspadaan/73.22/"
    # The index is kept as a number and written as the reader's tables write it: it read "(30.0)"
    # beside "30,0" in Indonesian, and "(30,0)" on an English page.
    worst = signals_of(province)["regency_max"]["links"][0]
    with translation.override("id"):
        assert warning.link_text(worst) == "Kabupaten Luwu Utara (30,0)"
    with translation.override("en"):
        assert warning.link_text(worst) == "Kabupaten Luwu Utara (30.0)"
    item("73", now=now)  # named only the province: the province's own signal
    assert "news" in signals_of(warning.read_all(now)["73"])


def test_a_region_with_no_signals_is_hijau_at_zero_with_a_clear_explanation():
    reading = warning.read_all()["11.01"]
    assert (reading.index, reading.zone, reading.signals) == (0.0, "hijau", [])
    assert warning.no_signals_text() == "Tidak ada sinyal dalam 14 hari terakhir."


# --- storing, history, alerts --------------------------------------------------------------------

def test_a_zone_change_raises_exactly_one_alert_and_reaches_both_heads(people):
    AlertRule.objects.create(user=people.kakanwil_sulsel, province_code="73")  # also subscribed: one e-mail
    first = warning.compute()
    assert first.changes == [] and RegionWarning.objects.count() == 514 + 38
    assert not RegionWarningHistory.objects.exists()  # nothing moved from 0

    for _ in range(4):
        item("73.22")
    field_report("73.22", people.bimas_lutra, urgency="high")  # 12 + 20 = 32: kuning
    result = warning.compute()
    assert [(c.code, c.previous, c.zone) for c in result.changes] == [("73.22", "hijau", "kuning")]
    alert = Alert.objects.get(kind=AlertKind.ZONE)
    assert (alert.province_code, alert.regency_code, alert.status) == ("73", "73.22", AlertStatus.NEW)
    assert "hijau → kuning" in alert.summary and "Luwu Utara" in alert.summary
    assert "(indeks 32,0)" in alert.summary  # an Indonesian decimal comma, as the room's tables
    # The room reads the headline in the reader's language, made from the alert's parts.
    from django.utils import translation

    with translation.override("en"):
        assert alert.headline.startswith("Alert zone of Kabupaten Luwu Utara rose: green → yellow (index 32.0); "
                                         "main signals: "), alert.headline
        assert "Zona" not in alert.headline and "sinyal" not in alert.headline
    with translation.override("id"):
        assert alert.headline == alert.summary
    mails = OutboxMessage.objects.filter(dedupe_key__startswith=f"alert:{alert.pk}:")
    assert sorted(m.recipient for m in mails) == ["kakan.lutra@test.local", "kakanwil.sulsel@test.local"]
    body = mails[0].body
    assert "/situasi/kewaspadaan/73.22/" in body and "Laporan lapangan terverifikasi, tinggi" in body
    assert "Laporan lapangan terverifikasi, tinggi: 1 x 20 -> 20,0" in body

    row = RegionWarning.objects.get(code="73.22")
    assert row.zone == "kuning" and row.index == pytest.approx(32.0, abs=0.1)
    history = RegionWarningHistory.objects.get(code="73.22")
    assert (history.previous_zone, history.zone, history.alert_id) == ("hijau", "kuning", alert.pk)

    # Unchanged: no alert, no e-mail, no history row.
    again = warning.compute()
    assert again.changes == [] and Alert.objects.filter(kind=AlertKind.ZONE).count() == 1
    assert OutboxMessage.objects.filter(dedupe_key__startswith="alert:").count() == 2
    assert RegionWarningHistory.objects.filter(code="73.22").count() == 1


def test_the_index_falling_back_is_a_change_too():
    now = timezone.now()
    for _ in range(9):
        item("33.71", now=now)  # 27: kuning
    warning.compute(now)
    assert RegionWarning.objects.get(code="33.71").zone == "kuning"
    later = warning.compute(now + timedelta(days=3))  # decayed below 25
    assert [(c.code, c.previous, c.zone) for c in later.changes] == [("33.71", "kuning", "hijau")]
    assert "turun" in later.changes[0].alert.summary
    assert list(RegionWarningHistory.objects.filter(code="33.71").values_list("zone", flat=True)) == ["kuning", "hijau"]


def test_the_computation_is_a_fixed_number_of_queries_however_many_regions_have_signals(
        django_assert_max_num_queries, people):
    warning.compute()  # every row exists
    now = timezone.now()
    item("73.22", now=now)
    with django_assert_max_num_queries(16) as one:
        warning.compute(now)
    regencies = [r["code"] for r in warning.reference.regencies()][:120]
    for code in regencies:
        item(code, now=now)
    field_report("73.22", people.bimas_lutra, urgency="low", category="other")
    with django_assert_max_num_queries(16) as many:
        warning.compute(now + timedelta(minutes=1))
    # 120 regions more cost the field reports' link query and one more batch each of the
    # bulk update and the history insert: no query per region.
    assert len(many.captured_queries) <= len(one.captured_queries) + 3


def test_a_run_older_than_the_last_one_written_changes_nothing():
    # A slow run read the signals, a later run read more and wrote (kuning, an alert); the slow one
    # then wrote its older reading: back to hijau, and an alert "turun: kuning -> hijau".
    now = timezone.now()
    warning.compute(now - timedelta(minutes=10))
    for _ in range(10):  # 10 x 3 = 30: kuning
        item("73.22", now=now)
    later = warning.compute(now)
    assert [(c.code, c.zone) for c in later.changes] == [("73.22", "kuning")]
    stale = warning.compute(now - timedelta(minutes=1))
    assert stale.changes == [] and stale.history_rows == 0
    assert RegionWarning.objects.get(code="73.22").zone == "kuning"
    assert Alert.objects.filter(kind=AlertKind.ZONE).count() == 1
    assert RegionWarning.objects.get(code="73.22").computed_at == now
