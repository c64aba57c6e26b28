"""Demo data for Rakor: a Rakernas decision adopted by the Kanwil Sulsel Rakor and broken into
actions for two Kankemenags; Luwu Utara finished with evidence, Kota Makassar is late."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from satupintu.organization.models import Office
from satupintu.rakor import followups, meetings
from satupintu.rakor.models import Action, Meeting, MeetingType


def load_rakor_demo(users: dict) -> str:  # type: ignore[type-arg]
    if Meeting.objects.filter(title__startswith="Rakernas Kementerian Agama").exists():
        return "Rakor: data demo sudah ada."
    now = timezone.now()
    start = now - timedelta(days=20)
    rakernas = meetings.create_meeting(meetings.MeetingDraft(
        office="pusat", type=MeetingType.RAKERNAS, title="Rakernas Kementerian Agama: Percepatan Transformasi Layanan Publik",
        theme="Percepatan Transformasi Layanan Publik", mode="hybrid", venue="Jakarta",
        online_link="https://vicon.kemenag.go.id/rakernas", starts_at=start, ends_at=start + timedelta(hours=8),
        participants_reported=705, invited_offices=["73", "33"],
        agenda=["Arahan Menteri Agama", "Moderasi beragama", "Tata kelola organisasi"]), user=users.get("admin"))
    decision = followups.add_decision(
        rakernas, "Setiap satuan kerja menunjukkan terobosan layanan publik digital sebelum akhir triwulan",
        "Menteri Agama")
    local_start = now - timedelta(days=12)
    rakor = meetings.create_meeting(meetings.MeetingDraft(
        office="73", type=MeetingType.RAKOR, title="Rapat Koordinasi Kanwil Kemenag Sulawesi Selatan",
        venue="Hotel BM Residence Palopo", starts_at=local_start, ends_at=local_start + timedelta(hours=4),
        agenda=list(meetings.STANDARD_AGENDA), invited_offices=["73.22", "73.71"]),
        user=users.get("kakanwil.sulsel"))
    local = followups.adopt(decision, rakor)
    followups.add_decision(rakor, "Seluruh ASN menjaga netralitas dalam pemilu dan integritas kementerian",
                           "Kakanwil Kemenag Sulsel")
    lutra, makassar = Office.objects.get(code="73.22"), Office.objects.get(code="73.71")
    done = followups.add_action(local, office=lutra, indicator="Layanan PTSP daring berjalan dan dipakai warga",
                                due_date=followups.office_today(lutra) + timedelta(days=5))
    followups.report_progress(done, user=users.get("kakan.lutra"), note="Layanan legalisir daring dibuka; 40 "
                              "permohonan pertama selesai.", link="https://lutra.kemenag.go.id/ptsp", percent=100)
    followups.close_action(done, user=users.get("kakan.lutra"))
    late = followups.add_action(local, office=makassar, indicator="Layanan PTSP daring berjalan dan dipakai warga",
                                due_date=followups.office_today(makassar) + timedelta(days=1))
    # The demo needs a late action; the form never accepts a past date.
    Action.objects.filter(pk=late.pk).update(due_date=followups.office_today(makassar) - timedelta(days=3))
    return "Rakor: 1 Rakernas, 1 Rakor Kanwil Sulsel, 2 tindak lanjut (1 selesai, 1 terlambat)."
