"""The Rakor cascade in real Chromium.

Pusat records a Rakernas with one decision through the web forms. The head of Kanwil Sulawesi
Selatan records his own Rakor, adopts the Rakernas decision into it and assigns it to the
Kankemenag of Luwu Utara and of Kota Makassar. Luwu Utara reports progress with an evidence
link and closes its action; Makassar's goes late (its due date moved into the past in the
database: the form rightly refuses past dates) and the deadline sweep queues the escalation.
Pusat's decision board then shows Sulawesi Selatan adopted, one action done and one late, with
Makassar named in the late list.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from satupintu.notifications.models import OutboxMessage
from satupintu.organization.models import Office, Role, StaffRole
from satupintu.rakor import followups
from satupintu.rakor.models import Action, ActionStatus, Decision, Meeting
from tests.e2e.conftest import login
from tests.e2e.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DECISION = "Setiap satuan kerja menunjukkan satu terobosan layanan publik digital"
INDICATOR = "Laporan terobosan layanan digital"


def _article() -> str:
    seed = sorted(Path("/work/shared/seeds").glob("001_*.txt"))
    if seed:
        return seed[0].read_text(encoding="utf-8")
    return ("Kemenag Gelar Rakernas 2021\n\nJakarta (Humas) - Kementerian Agama menggelar rapat kerja nasional "
            "(Rakernas) pada Senin, 5 April 2021 yang diikuti oleh 705 peserta. Menteri Agama Yaqut Cholil Qoumas "
            "meminta jalur layanan lebih ringkas dan cepat.")


def _local_day(code: str, days: int) -> str:
    return (followups.office_today(Office.objects.get(code=code)) + timedelta(days=days)).isoformat()


def test_a_rakernas_decision_cascades_to_kankemenags_and_rolls_up_on_the_board(  # type: ignore[no-untyped-def]
        people, new_context, artifacts):
    sekjen = get_user_model().objects.create_user("sekjen", "sekjen@test.local", "sandi-uji-123",
                                                  first_name="Sekretaris Jenderal")
    StaffRole.objects.create(user=sekjen, office=Office.objects.get(code="pusat"), role=Role.HEAD_OF_OFFICE)
    # The article is read by the analysis pipeline, whose models load once per process (about 5 s,
    # over 10 s on a machine busy with CI's other streams): load them here, in the process the live
    # server runs in, so the click below waits for the reading only, not for the loading.
    from satupintu.rakor.meetings import prefill_from_article

    prefill_from_article(_article())

    # --- Pusat records the Rakernas and its decision.
    pusat = new_context("desktop").new_page()
    login(pusat, "sekjen")
    pusat.goto("/rakor/")
    pusat.get_by_role("link", name="Catat rapat").click()
    expect(pusat).to_have_url(re.compile(r"/rakor/baru/$"))
    # The Humas article of the last Rakernas fills the form in; the officer checks and corrects it.
    pusat.get_by_text("Isi dari berita Humas").click()
    pusat.get_by_label("Teks berita").fill(_article())
    pusat.get_by_role("button", name="Isi formulir dari berita").click()
    expect(pusat.get_by_label("Jenis rapat")).to_have_value("rakernas")
    expect(pusat.get_by_label("Jumlah peserta (dilaporkan)")).to_have_value("705")
    expect(pusat.get_by_test_id("prefill")).to_contain_text("Yaqut Cholil Qoumas")
    shot(pusat, path=artifacts / "49-rakor-prefilled-form-desktop.png", full_page=True)
    pusat.get_by_label("Judul").fill("Rakernas Kementerian Agama 2026")
    pusat.get_by_label("Tempat").fill("Jakarta")
    pusat.get_by_label("Tanggal (wajib)", exact=True).fill(_local_day("pusat", 7))
    pusat.get_by_label("Provinsi Sulawesi Selatan").check()
    pusat.get_by_label("Provinsi Jawa Tengah").check()
    pusat.get_by_role("button", name="Simpan rapat").click()
    expect(pusat).to_have_url(re.compile(r"/rakor/\d+/$"))
    expect(pusat.locator(".messages")).to_contain_text("Rapat tercatat.")
    expect(pusat.get_by_test_id("meeting-time")).to_contain_text("09.00–12.00 WIB")
    pusat.get_by_label("Keputusan / arahan").fill(DECISION)
    pusat.get_by_label("Disampaikan oleh").fill("Menteri Agama")
    pusat.get_by_role("button", name="Simpan keputusan").click()
    expect(pusat.locator("article.decision h3")).to_have_text(DECISION)
    rakernas = Meeting.objects.get(office__code="pusat")
    decision = Decision.objects.get(meeting=rakernas)

    # --- Kanwil Sulsel records its Rakor (on a phone), adopts the decision and assigns it.
    kanwil = new_context().new_page()
    login(kanwil, people.kakanwil_sulsel.username)
    kanwil.goto("/rakor/baru/")
    expect(kanwil.locator("#tz-hint")).to_contain_text("WITA")
    kanwil.get_by_label("Judul").fill("Rakor Kanwil Kemenag Sulawesi Selatan")
    kanwil.get_by_label("Tempat").fill("Aula Kanwil, Makassar")
    kanwil.get_by_label("Tanggal (wajib)", exact=True).fill(_local_day("73", 10))
    kanwil.get_by_role("button", name="Simpan rapat").click()
    expect(kanwil).to_have_url(re.compile(r"/rakor/\d+/$"))
    rakor = Meeting.objects.get(office__code="73")
    kanwil.goto("/rakor/")
    kanwil.get_by_role("link", name="Rakernas Kementerian Agama 2026").click()
    kanwil.get_by_text("Adopsi ke rapat kantor saya").click()
    kanwil.get_by_label("Rapat kantor saya").select_option(str(rakor.pk))
    kanwil.get_by_role("button", name="Adopsi", exact=True).click()
    expect(kanwil).to_have_url(re.compile(rf"/rakor/{rakor.pk}/#keputusan-\d+$"))
    expect(kanwil.locator(".messages")).to_contain_text("Keputusan diadopsi")
    expect(kanwil.locator("article.decision").get_by_role("link", name="Rakernas Kementerian Agama 2026")).to_be_visible()
    for office in ("Kabupaten Luwu Utara", "Kota Makassar"):
        kanwil.get_by_text("Tambah tindak lanjut").click()
        kanwil.get_by_label("Kantor yang menindaklanjuti").select_option(label=f"Kantor Kementerian Agama {office}")
        kanwil.get_by_label("Indikator / yang harus ditunjukkan").fill(INDICATOR)
        kanwil.get_by_label("Tenggat").fill(_local_day("73", 14))
        kanwil.get_by_role("button", name="Tugaskan").click()
        expect(kanwil.locator(".messages")).to_contain_text(f"Tindak lanjut ditugaskan ke Kantor Kementerian Agama {office}")
    expect(kanwil.locator(".action-list li")).to_have_count(2)
    expect(kanwil.locator(".action-list .badge.state-not_started")).to_have_count(2)

    # --- Luwu Utara reports with an evidence link and closes its action.
    lutra = new_context().new_page()
    login(lutra, people.kakan_lutra.username)
    lutra.goto("/rakor/papan/")
    lutra.locator("[data-state=not_started]").get_by_role("link", name=INDICATOR).click()
    expect(lutra.get_by_test_id("action-state")).to_contain_text("Belum dimulai")
    lutra.get_by_label("Perkembangan (wajib)", exact=True).fill("Layanan legalisir daring sudah berjalan di PTSP.")
    lutra.get_by_label("Tautan bukti").fill("https://luwuutara.kemenag.example/terobosan")
    lutra.get_by_label("Persentase selesai").fill("100")
    lutra.get_by_role("button", name="Laporkan perkembangan").click()
    expect(lutra.get_by_test_id("action-state")).to_contain_text("Sesuai jadwal")
    lutra.get_by_role("button", name="Tutup").click()
    expect(lutra.locator(".messages")).to_contain_text("Tindak lanjut ditutup: selesai.")
    expect(lutra.get_by_test_id("action-state")).to_contain_text("Selesai")
    shot(lutra, path=artifacts / "52-rakor-action-done-phone.png", full_page=True)
    assert Action.objects.get(office__code="73.22").status == ActionStatus.DONE

    # --- Makassar goes late; the sweep escalates to the heads.
    makassar = Action.objects.get(office__code="73.71")
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from satupintu.organization.working_calendar import WorkingCalendar
    from satupintu.rakor.deadlines import rakor_deadline_sweep

    Action.objects.filter(pk=makassar.pk).update(due_date=followups.office_today(makassar.office) - timedelta(days=1))
    # Escalation waits for a working day: the sweep of the first one from now, whatever day today is.
    calendar, when = WorkingCalendar.for_office(makassar.office), timezone.now()
    while not calendar.is_working_day(when.astimezone(ZoneInfo(makassar.office.timezone)).date()):
        when += timedelta(days=1)
    assert rakor_deadline_sweep(now=when)["escalated"] == 1
    escalation = OutboxMessage.objects.get(subject__startswith="[Rakor] Tindak lanjut terlambat")
    assert escalation.recipient == people.kakanwil_sulsel.email and "Kota Makassar" in escalation.subject
    assert f"/rakor/tindak-lanjut/{makassar.pk}/" in escalation.body

    # --- Pusat's board: Sulsel adopted, one done and one late, Makassar in the late list.
    pusat.goto(f"/rakor/keputusan/{decision.pk}/")
    expect(pusat.get_by_test_id("percent-done")).to_have_text("50%")
    sulsel = pusat.locator('tr[data-office="73"]')
    expect(sulsel.locator('[data-col="adopted"]')).to_contain_text("Ya")
    expect(sulsel.locator('[data-col="done"]')).to_contain_text("1")
    expect(sulsel.locator('[data-col="late"]')).to_contain_text("1")
    expect(sulsel.locator('[data-col="overall"]')).to_contain_text("Terlambat")
    expect(pusat.locator('tr[data-office="33"] [data-col="overall"]')).to_contain_text("Belum diadopsi")
    late = pusat.get_by_test_id("late-offices")
    expect(late).to_contain_text("Provinsi Sulawesi Selatan")
    expect(late).to_contain_text("Kantor Kementerian Agama Kota Makassar")
    expect(late).not_to_contain_text("Luwu Utara")
    expect(pusat.get_by_test_id("not-adopted")).to_contain_text("Provinsi Jawa Tengah")
    shot(pusat, path=artifacts / "50-rakor-decision-board-desktop.png", full_page=True)

    kanwil.goto(f"/rakor/{rakor.pk}/")
    expect(kanwil.locator("svg.qr")).to_be_visible()
    expect(kanwil.locator(".action-list .badge.state-done")).to_have_count(1)
    expect(kanwil.locator(".action-list .badge.state-late")).to_have_count(1)
    shot(kanwil, path=artifacts / "51-rakor-meeting-phone.png", full_page=True)
