"""Rises against each subject's own baseline, and the alert reaching its subscriber's inbox."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from satupintu.notifications.outbox import outbox_flush
from satupintu.organization.models import Office, Role, StaffRole
from satupintu.situation import trends
from satupintu.situation.ingest.raw import RawItem
from satupintu.situation.models import Alert, AlertKind, AlertRule, Source, SourceKind
from satupintu.situation.store import save_raw_items

pytestmark = pytest.mark.django_db

TOWNS = ["Kota Semarang", "Kota Magelang", "Kabupaten Kendal", "Kabupaten Demak", "Kota Salatiga"]
ANGLES = ["memanas", "dimediasi", "jadi sorotan", "dibahas DPRD", "dikecam tokoh", "dilaporkan ke polisi",
          "meluas", "diliput media", "dibahas FKUB", "ditanggapi Kemenag", "berujung ricuh", "dikawal aparat"]


def background(source, days=14, per_day=3):  # type: ignore[no-untyped-def]
    """A steady stream about madrasah in Jawa Tengah: the baseline that must not alarm."""
    now = timezone.now()
    raws = []
    for d in range(days, 0, -1):
        for k in range(per_day):
            town = TOWNS[(d + k) % len(TOWNS)]
            raws.append(RawItem(f"bg-{d}-{k}", f"Madrasah di {town} menggelar kegiatan belajar dan lomba siswa ke-{d}{k}. "
                                f"Guru madrasah dan siswa madrasah {town} mengikuti kegiatan pendidikan hari ke-{d} "
                                f"dengan tema {k * d} dan peserta dari {d + k} sekolah.",
                                published_at=now - timedelta(days=d, hours=k)))
    save_raw_items(source, raws)


def spike(source, n=10):  # type: ignore[no-untyped-def]
    now = timezone.now()
    save_raw_items(source, [RawItem(
        f"sp-{i}",
        f"Penolakan pendirian rumah ibadah di Kabupaten Bogor {ANGLES[i % len(ANGLES)]}. Warga menggelar unjuk rasa "
        f"dan kericuhan sempat terjadi; FKUB dan Kementerian Agama menyerukan kerukunan. Laporan ke-{i} dari "
        f"lokasi menyebut {i + 3} orang luka dan polemik meluas di media sosial.",
        title=f"Rumah ibadah di Bogor {ANGLES[i % len(ANGLES)]}", published_at=now - timedelta(hours=i + 1))
        for i in range(n)])


def test_poisson_rule():
    assert trends.is_rise(10, 1.0) and not trends.is_rise(4, 0.0)  # too few to mean anything
    assert not trends.is_rise(12, 10.0)  # a busy place's usual noise


def test_a_planted_spike_raises_an_alert_that_reaches_the_subscriber():
    src = Source.objects.create(name="S", kind=SourceKind.SOCIAL)
    background(src)
    users = get_user_model().objects
    jabar = users.create_user("pemantau.jabar", "jabar@test.local", "x")
    sulsel = users.create_user("pemantau.sulsel", "sulsel@test.local", "x")
    left = users.create_user("pensiun.jabar", "pensiun@test.local", "x", is_active=False)  # an account closed
    # Subscribed while an officer, now only reporting from the field (who does not read the room).
    reporter = users.create_user("penyuluh.jabar", "penyuluh@test.local", "x")
    for user, office in ((jabar, "32"), (sulsel, "73"), (left, "32")):
        StaffRole.objects.create(user=user, office=Office.objects.get(code=office), role=Role.FRONT_OFFICE)
    StaffRole.objects.create(user=reporter, office=Office.objects.get(code="32.01"), role=Role.FIELD_REPORTER)
    AlertRule.objects.create(user=jabar, province_code="32", topic="kerukunan", kind=AlertKind.NEGATIVE)
    AlertRule.objects.create(user=sulsel, province_code="73")
    AlertRule.objects.create(user=left, province_code="32")
    AlertRule.objects.create(user=reporter, province_code="32")

    assert trends.detect() == []  # the steady baseline alone raises nothing

    spike(src)
    raised = trends.detect()
    negative = [a for a in raised if a.kind == AlertKind.NEGATIVE and a.province_code == "32"
                and a.topic == "kerukunan"]
    assert negative, [a.summary for a in raised]
    assert not [a for a in raised if a.province_code == "33"]
    assert any(a.kind == AlertKind.ISSUE and a.issue and "32.01" in a.issue.regencies for a in raised)
    # Stored in Indonesian (the e-mails), read in the reader's language in the room.
    from django.utils import translation

    summary = negative[0].summary
    assert summary.startswith("Kerukunan umat beragama di Jawa Barat: ") and "butir negatif dalam 24 jam" in summary
    with translation.override("en"):
        assert negative[0].headline.startswith("Interreligious harmony in Jawa Barat: "), negative[0].headline
        assert "negative items in 24 hours (usually " in negative[0].headline
        issue_alert = next(a for a in raised if a.kind == AlertKind.ISSUE)
        assert issue_alert.headline.startswith("Issue rising: ") and "items in 24 hours" in issue_alert.headline

    outbox_flush()
    to_jabar = [m for m in mail.outbox if m.to == ["jabar@test.local"]]
    assert len(to_jabar) == 1 and f"/situasi/peringatan/{negative[0].pk}/" in to_jabar[0].body
    assert not [m for m in mail.outbox if m.to == ["sulsel@test.local"]]
    assert not [m for m in mail.outbox if m.to == ["pensiun@test.local"]]  # who left gets no alerts
    assert not [m for m in mail.outbox if m.to == ["penyuluh@test.local"]]

    # Running again the same day updates the alerts, raises none anew and sends nothing more.
    count = Alert.objects.count()
    assert trends.detect() == []
    outbox_flush()
    assert Alert.objects.count() == count
    assert len([m for m in mail.outbox if m.to == ["jabar@test.local"]]) == 1
