"""Early warning's pages (the zones map, a region's explanation and history, the room's zone
layer), who may open them, and `satupintu situation kewaspadaan`."""

from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from satupintu import cli
from satupintu.feedback.models import Report
from satupintu.situation import warning
from satupintu.situation.models import Item, RegionWarning
from tests.situation.test_warning import field_report, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def lutra_kuning(people):  # type: ignore[no-untyped-def]
    """Luwu Utara turned kuning: hijau three days ago with one item, kuning now."""
    now = timezone.now()
    item("73.22", age=timedelta(days=3), now=now)
    warning.compute(now - timedelta(days=3) + timedelta(minutes=1))
    for _ in range(3):
        item("73.22", now=now)
    field_report("73.22", people.bimas_lutra, urgency="high")
    warning.compute()
    assert RegionWarning.objects.get(code="73.22").zone == "kuning"
    return people


def test_the_zones_map_has_a_legend_a_text_alternative_and_the_kuning_regency(client, lutra_kuning):
    client.force_login(lutra_kuning.fo_lutra)  # every staff member reads the room
    # It opens at the reader's province, as the room does (in its time zone: WITA, not WIB).
    assert client.get("/situasi/kewaspadaan/")["Location"] == "/situasi/kewaspadaan/?provinsi=73"
    assert "WITA" in client.get("/situasi/kewaspadaan/?provinsi=73").content.decode()
    page = client.get("/situasi/kewaspadaan/?provinsi=")  # the whole country ("Seluruh Indonesia")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="zone-legend"' in body and "Kuning" in body and "Merah" in body and "Hijau" in body
    assert 'data-code="73"' in body and 'role="group"' in body  # a labelled group of region links

    page = client.get("/situasi/kewaspadaan/?provinsi=73")
    body = page.content.decode()
    assert 'data-code="73.22" data-zone="kuning"' in body
    assert 'href="/situasi/kewaspadaan/73.22/"' in body  # the table: the words, not only the colours
    assert "Kabupaten Luwu Utara" in body

    page = client.get("/situasi/kewaspadaan/?provinsi=99")
    assert page.status_code == 200 and "Provinsi tidak dikenal" in page.content.decode()


def test_the_region_page_explains_the_index_and_shows_its_history(client, lutra_kuning):
    client.force_login(lutra_kuning.kakan_lutra)
    body = client.get("/situasi/kewaspadaan/73.22/").content.decode()
    assert "Zona Kuning" in body
    assert "Laporan lapangan terverifikasi, tinggi" in body and "Berita negatif" in body
    assert 'href="https://berita.example/' in body  # links to the signals
    assert "Hijau → " in body  # the history table: the change from hijau (the label, in the reader's language)
    assert "<polyline" in body  # the line chart
    import datetime

    from django.utils import timezone

    from satupintu.situation.models import RegionWarningHistory

    last = RegionWarningHistory.objects.filter(code="73.22").latest("computed_at")
    # The chart's axis in the region's time zone, as its table (it was in UTC).
    assert timezone.localtime(last.computed_at, ZoneInfo("Asia/Makassar")).strftime("%d/%m %H.%M") in body
    assert last.computed_at.astimezone(datetime.UTC).strftime("%d/%m %H.%M") not in body
    assert "/situasi/peringatan/" in body  # the zone-change alert

    quiet = client.get("/situasi/kewaspadaan/11.01/").content.decode()
    assert "Tidak ada sinyal dalam 14 hari terakhir." in quiet

    assert client.get("/situasi/kewaspadaan/99.99/").status_code == 404

    # The signal counts agree with their number, in both languages (one field report, four news items).
    assert "1 sinyal × bobot 20" in body and "4 sinyal × bobot 3" in body
    client.cookies["django_language"] = "en"
    english = client.get("/situasi/kewaspadaan/73.22/").content.decode()
    assert "1 signal × weight 20" in english and "4 signals × weight 3" in english


def test_the_room_has_a_zone_layer(client, lutra_kuning):
    client.force_login(lutra_kuning.kakanwil_sulsel)
    body = client.get("/situasi/?provinsi=73&ukuran=zona").content.decode()
    assert 'data-testid="zone-map"' in body and 'data-code="73.22" data-zone="kuning"' in body
    assert 'name="ukuran" value="zona"' in body
    assert "zona kewaspadaan" in client.get("/situasi/?provinsi=73").content.decode()


def test_the_zone_alert_page_links_to_the_explanation(client, lutra_kuning):
    from satupintu.situation.models import Alert, AlertKind

    alert = Alert.objects.get(kind=AlertKind.ZONE, regency_code="73.22")
    client.force_login(lutra_kuning.kakan_lutra)
    body = client.get(f"/situasi/peringatan/{alert.pk}/").content.decode()
    assert "/situasi/kewaspadaan/73.22/" in body and "Perubahan zona kewaspadaan" in body


@pytest.mark.parametrize("path", ["/situasi/kewaspadaan/", "/situasi/kewaspadaan/73.22/"])
def test_only_staff_may_look(client, people, path):
    assert client.get(path).status_code == 302  # to the sign-in page
    client.force_login(get_user_model().objects.create_user("warga.biasa", "w@test.local", "x"))
    assert client.get(path).status_code == 403


# --- the command -----------------------------------------------------------------------------------

def test_the_command_prints_a_table_and_json_with_exactly_the_contract_fields(capsys, lutra_kuning):
    assert cli.main(["situation", "kewaspadaan", "--province", "73"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Kewaspadaan dini: Sulawesi Selatan")
    assert "KODE" in lines[1] and "ZONA" in lines[1]
    assert lines[2].split()[0] == "73.22" and " kuning " in lines[2]  # highest first
    assert "Laporan lapangan terverifikasi, tinggi 1x" in lines[2]
    assert any("73.71" in x and "tidak ada sinyal" in x for x in lines)
    assert all(x.split()[0].startswith("73") for x in lines[2:])

    assert cli.main(["situation", "kewaspadaan", "--province", "73", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(set(r) == {"code", "name", "index", "zone", "signals"} for r in rows)
    lutra = next(r for r in rows if r["code"] == "73.22")
    assert lutra["name"] == "Kabupaten Luwu Utara" and lutra["zone"] == "kuning"
    assert isinstance(lutra["signals"], list) and all(isinstance(s, dict) for s in lutra["signals"])
    assert {"kind", "count", "weight", "contribution", "links"} <= set(lutra["signals"][0])
    assert abs(sum(s["contribution"] for s in lutra["signals"]) - lutra["index"]) < 1e-6
    quiet = next(r for r in rows if r["code"] == "73.71")
    assert (quiet["index"], quiet["zone"], quiet["signals"]) == (0.0, "hijau", [])
    assert len(rows) == 1 + 24  # Sulawesi Selatan and its 24 regencies and cities


def test_the_command_refuses_an_unknown_province(capsys, db):
    assert cli.main(["situation", "kewaspadaan", "--province", "99"]) == 2
    assert "Provinsi dengan kode '99' tidak dikenal" in capsys.readouterr().err
    assert cli.main(["situation", "kewaspadaan", "--province", "73.22"]) == 2
    assert "kode kabupaten/kota" in capsys.readouterr().err


def test_the_command_computes_once_when_nothing_was_computed(capsys, db):
    assert cli.main(["situation", "kewaspadaan", "--json"]) == 0
    captured = capsys.readouterr()
    assert "menghitung sekarang" in captured.err
    rows = json.loads(captured.out)
    assert len(rows) == 514 + 38 and {r["zone"] for r in rows} == {"hijau"}


# --- the demo --------------------------------------------------------------------------------------

def test_the_demo_turns_luwu_utara_kuning_with_its_history_and_alert_once(people):
    from satupintu.field.demo import load_field_demo
    from satupintu.notifications.models import OutboxMessage
    from satupintu.situation.models import Alert, AlertKind, RegionWarningHistory
    from satupintu.situation.warning_demo import load_warning_demo

    load_field_demo({"kakan.lutra": people.kakan_lutra}, "sandi-uji-123")
    message = load_warning_demo()
    assert "Luwu Utara zona kuning" in message
    lutra = RegionWarning.objects.get(code="73.22")
    kinds = {s["kind"] for s in lutra.signals}
    assert {"news", "social", "complaint", "field_high"} <= kinds  # the field demo's verified report too
    history = list(RegionWarningHistory.objects.filter(code="73.22").values_list("previous_zone", "zone"))
    assert len(history) >= 3 and history[0] == ("hijau", "hijau") and history[-1] == ("hijau", "kuning")
    alert = Alert.objects.get(kind=AlertKind.ZONE, regency_code="73.22")
    heads = set(OutboxMessage.objects.filter(dedupe_key__startswith=f"alert:{alert.pk}:")
                .values_list("recipient", flat=True))
    assert heads == {"kakan.lutra@test.local", "kakanwil.sulsel@test.local"}

    items, complaints = Item.objects.count(), Report.objects.count()
    load_warning_demo()  # again: nothing doubles, no second alert
    assert Alert.objects.filter(kind=AlertKind.ZONE, regency_code="73.22").count() == 1
    assert (Item.objects.count(), Report.objects.count()) == (items, complaints)
    assert RegionWarning.objects.get(code="73.22").zone == "kuning"


NIK, PHONE = "7322011203850001", "0812-3456-7890"


def test_signal_labels_mask_what_reporters_and_citizens_wrote(client, people):
    """The labels are stored with the index, shown to every staff member nationwide and mailed with
    zone alerts: a NIK or phone number in a field report or a complaint title never gets there."""
    from tests.situation.test_warning import complaint, field_report

    report = field_report("73.22", people.bimas_lutra)
    report.description = f"Pak Yani (NIK {NIK}, HP {PHONE}) memprovokasi warga di depan musala."
    report.save()
    harm = complaint("73.22")
    harm.title = f"Intimidasi oleh tetangga, NIK {NIK}"
    harm.save()
    warning.compute()
    stored = json.dumps(RegionWarning.objects.get(code="73.22").signals, ensure_ascii=False)
    assert "[NIK]" in stored and "[nomor telepon]" in stored
    client.force_login(get_user_model().objects.create_user("kakanwil.jateng.uji"))  # any staff reads the room
    from satupintu.organization.models import Office, Role, StaffRole

    StaffRole.objects.create(user=get_user_model().objects.get(username="kakanwil.jateng.uji"),
                             office=Office.objects.get(code="33"), role=Role.HEAD_OF_OFFICE)
    page = client.get("/situasi/kewaspadaan/73.22/").content.decode()
    for text in (stored, page):
        assert NIK not in text and "3456-7890" not in text
    assert "Pak Yani (NIK [NIK]" in page


def test_the_migration_masks_labels_stored_before(people):
    from importlib import import_module

    from django.apps import apps

    from satupintu.situation.models import RegionWarningHistory

    field_report_label = {"label": f"Konflik antarwarga: Pak Yani NIK {NIK} HP {PHONE}", "url": "/petugas/lapangan/1/"}
    signals = [{"kind": "field_high", "count": 1, "weight": 20, "contribution": 20.0, "links": [field_report_label]}]
    warning.compute()
    RegionWarning.objects.filter(code="73.22").update(signals=signals)
    RegionWarningHistory.objects.create(level="regency", code="73.22", index=20.0, zone="hijau", previous_zone="hijau",
                                        signals=signals, computed_at=timezone.now())
    assert RegionWarning.objects.filter(code="73.22").exists()
    import_module("satupintu.situation.migrations.0006_mask_warning_signal_labels").mask_stored_labels(apps, None)
    for model in (RegionWarning, RegionWarningHistory):
        for row in model.objects.filter(code="73.22"):
            label = row.signals[0]["links"][0]["label"]
            assert label == "Konflik antarwarga: Pak Yani NIK [NIK] HP [nomor telepon]", label


def test_a_province_page_says_its_regency_entries_are_indexes_times_weights(client, lutra_kuning):
    # "Kabupaten/kota tertinggi 38,3" beside "Kabupaten Luwu Utara (54,7)" read as the highest regency's index.
    lutra = RegionWarning.objects.get(code="73.22")
    province = RegionWarning.objects.get(code="73")
    client.force_login(lutra_kuning.kakanwil_sulsel)
    body = client.get("/situasi/kewaspadaan/73/").content.decode()
    top = f"{lutra.index:.1f}".replace(".", ",")
    assert f"indeks {top} × bobot 0,70" in body
    assert "Indeks provinsi: sinyal tingkat provinsi, ditambah 0,70 × indeks kabupaten/kota tertinggi" in body
    mean = next(s for s in province.signals if s["kind"] == "regency_mean")
    assert f"rata-rata {mean['points'] / 0.3:.1f}".replace(".", ",") + " × bobot 0,30; 1 kabupaten/kota bersinyal:" in body
    assert "Rata-rata semua kabupaten/kota" in body
    client.cookies["django_language"] = "en"
    english = client.get("/situasi/kewaspadaan/73/").content.decode()
    assert f"index {lutra.index:.1f} × weight 0.70" in english and "1 regency/city with signals:" in english


def test_a_long_signal_is_cut_at_a_word_with_an_ellipsis(client, people):
    # "…batas tanah waka", "…perlu b": cut mid-word, the label read as a typo.
    from satupintu.field.models import FieldReport

    report = field_report("73.22", people.bimas_lutra, urgency="high")
    long = ("Warga dua dusun bersitegang soal batas tanah wakaf masjid yang belum bersertifikat; tokoh agama "
            "meminta mediasi segera oleh KUA dan FKUB sebelum perlu bantuan aparat.")
    FieldReport.objects.filter(pk=report.pk).update(description=long)
    warning.compute()
    client.force_login(people.kakan_lutra)
    body = client.get("/situasi/kewaspadaan/73.22/").content.decode()
    label = next(link["label"] for s in RegionWarning.objects.get(code="73.22").signals for link in s["links"]
                 if link["url"].startswith("/petugas/lapangan/"))
    assert label.endswith("…") and label[:-1] == label[:-1].rstrip() and len(label) <= 140
    assert long.startswith(label.split(": ", 1)[1][:-1]) and f"{label}</a>" in body.replace("&quot;", '"')
    from satupintu.core.texts import clipped

    assert clipped("kata " * 40, 20) == "kata kata kata kata…" and clipped("Pungutan liar / gratifikasi", 24) == "Pungutan liar…"


def test_a_complaint_s_tracking_code_never_reaches_the_explanation_or_the_alert_mail(client, people):
    """The code opens the complaint's public page and lets its holder act as the complainant
    (confirm it resolved, rate it); the explanation is read by all staff and mailed with alerts.
    The complaint is named by its title, and linked only for a reader who may open it."""
    from satupintu.notifications.models import OutboxMessage
    from satupintu.organization.models import Office, Role, StaffRole
    from tests.situation.test_warning import complaint

    harm = complaint("73.22")
    for _ in range(3):
        item("73.22")
    field_report("73.22", people.bimas_lutra, urgency="high")
    result = warning.compute()
    assert [c.code for c in result.changes] == ["73.22"]  # turned kuning: the alert went out by e-mail
    mails = list(OutboxMessage.objects.filter(dedupe_key__startswith="alert:"))
    assert mails and all(harm.tracking_code not in m.body for m in mails)
    assert any(f"Pengaduan: {harm.title}" in m.body for m in mails)
    assert harm.tracking_code not in json.dumps(RegionWarning.objects.get(code="73.22").signals)

    far = get_user_model().objects.create_user("fo.jateng.uji")
    StaffRole.objects.create(user=far, office=Office.objects.get(code="33"), role=Role.FRONT_OFFICE)
    client.force_login(far)
    page = client.get("/situasi/kewaspadaan/73.22/").content.decode()
    assert f"Pengaduan: {harm.title}" in page and harm.tracking_code not in page
    client.force_login(people.kakan_lutra)  # the head of the office it was filed with opens it
    page = client.get("/situasi/kewaspadaan/73.22/").content.decode()
    assert f'href="/petugas/pengaduan/{harm.tracking_code}/"' in page


def test_the_migration_takes_tracking_codes_out_of_labels_stored_before(people):
    from importlib import import_module

    from django.apps import apps

    from satupintu.situation.models import RegionWarningHistory

    old = {"label": "PGD00000042: Intimidasi jemaah", "url": "/petugas/pengaduan/PGD00000042/"}
    signals = [{"kind": "complaint", "count": 1, "weight": 6, "contribution": 6.0, "links": [old]},
               {"kind": "news", "count": 1, "weight": 3, "contribution": 3.0,
                "links": [{"label": "Berita: 2 orang", "url": "https://berita.example/1"}]}]
    warning.compute()
    RegionWarning.objects.filter(code="73.22").update(signals=signals)
    RegionWarningHistory.objects.create(level="regency", code="73.22", index=9.0, zone="hijau", previous_zone="hijau",
                                        signals=signals, computed_at=timezone.now())
    import_module("satupintu.situation.migrations.0009_complaint_codes_out_of_warning_labels").drop_codes(apps, None)
    for model in (RegionWarning, RegionWarningHistory):
        for row in model.objects.filter(code="73.22"):
            assert row.signals[0]["links"] == [{"label": "Pengaduan: Intimidasi jemaah", "url": ""}]
            assert row.signals[1]["links"][0]["label"] == "Berita: 2 orang"  # other kinds untouched
