"""What a citizen can do from WhatsApp, end to end through the webhook, the bot and the stand-in."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from satupintu.feedback.models import Report, SurveyResponse
from satupintu.services.applications import application_upload_product
from satupintu.services.models import Status
from satupintu.services.workflow import application_transition
from satupintu.whatsapp import standin
from satupintu.whatsapp.access import conversation_scope
from satupintu.whatsapp.models import Conversation, ConversationStatus, OptIn
from tests.conftest import png_bytes, upload

pytestmark = pytest.mark.django_db
OWNER = "6281234567890"  # tests.conftest.VALID_PHONE in E.164 without the plus
STRANGER = "6285700000001"


def test_owner_gets_the_full_status_in_any_spacing_a_stranger_only_the_public_part(phone, submit, people):
    app = submit()
    application_transition(app, "request_completion", user=people.fo_lutra, note="Ijazah legalisir belum terbaca")
    spaced = app.tracking_code.replace("-", " ").lower()
    phone.say(OWNER, f"status {spaced} dong")
    owner = phone.last(OWNER)
    assert app.tracking_code in owner and "Perlu Dilengkapi" in owner
    assert "Ijazah legalisir belum terbaca" in owner and f"/lacak/{app.tracking_code}/" in owner
    phone.say(STRANGER, app.tracking_code.replace("-", ""))
    stranger = phone.last(STRANGER)
    assert "Perlu Dilengkapi" in stranger and "Ijazah legalisir belum terbaca" not in stranger
    assert "hanya dikirim ke nomor yang tercatat" in stranger
    assert "Andi" not in stranger  # no name to a stranger


def test_a_mistyped_or_unknown_code_is_not_a_dead_end(phone):
    phone.say(STRANGER, "ABCDE-FGH2Z")  # well-formed but unknown, or a typo: the bot answers the catalog way
    assert "Menu" in str(phone.replies(STRANGER)[-1]) or "menu" in phone.last(STRANGER).lower()


def test_a_question_about_a_service_gets_requirements_time_fee_and_a_link(phone):
    phone.say(STRANGER, "apa saja syarat legalisir ijazah madrasah?")
    first = phone.texts(STRANGER)[0]
    assert first.startswith("*Legalisir Ijazah") and "hari kerja" in first and "Persyaratan" in first
    assert "/layanan/legalisir-ijazah-madrasah/" in first


def test_menu_by_number_and_english(phone):
    phone.say(STRANGER, "1")
    assert "kode lacak" in phone.last(STRANGER)
    phone.say("6285700000002", "hello, what are the requirements for legalisir ijazah?")
    texts = "\n".join(phone.texts("6285700000002"))
    assert "Requirements" in texts or "working days" in texts
    # The requirements in English too (the reply was English around Indonesian requirement names).
    assert "- Original diploma for verification" in texts and "Ijazah asli untuk dicocokkan" not in texts


def test_a_complaint_with_a_photo_by_conversation_gets_a_code(phone):
    wa = "6285700000003"
    phone.say(wa, "3")
    phone.say(wa, standin.choice("kind:complaint", "Pengaduan"))
    phone.say(wa, standin.choice("cat:service_quality", "Kualitas layanan", list_row=True))
    phone.say(wa, "Luwu Utara")
    phone.say(wa, "Loket PTSP tutup jam 10 pagi padahal jadwal buka sampai jam 4 sore, saya sudah datang dua kali.")
    media_id = phone.store.put_media(png_bytes(), "image/png")
    phone.say(wa, standin.media("image", media_id, "image/png"))
    phone.say(wa, standin.choice("photos:done", "Selesai"))
    phone.say(wa, standin.choice("anon:yes", "Rahasiakan"))
    phone.say(wa, standin.choice("confirm:send", "Kirim laporan"))
    report = Report.objects.get()
    assert report.office.code == "73.22" and report.kind == "complaint" and report.anonymous
    assert report.attachments.count() == 1
    assert report.tracking_code in phone.last(wa)
    # Anonymous: the conversation (the number, the profile name) is not handed to the office reported to.
    conv = Conversation.objects.get(wa_id=wa)
    assert conv.report is None and conv.office is None and conv.status == ConversationStatus.CLOSED


def test_an_integrity_report_by_location_goes_where_the_web_sends_it(phone, client, people):
    wa = "6285700000004"
    for step in ("3", standin.choice("kind:complaint", "Pengaduan"),
                 standin.choice("cat:illegal_levy", "Pungutan liar", list_row=True),
                 standin.location(-2.5427, 120.3294),
                 "Petugas meminta uang dua ratus ribu rupiah untuk mempercepat legalisir ijazah anak saya.",
                 standin.choice("photos:skip", "Lewati"), standin.choice("anon:no", "Tampilkan nama")):
        phone.say(wa, step, name="Rahmat")
    # Named: the bot asks for the name (the profile's is offered); it was filed under the profile's at once.
    assert "Tulis nama lengkap Anda untuk laporan ini, atau pakai nama WhatsApp Anda (Rahmat)." in phone.last(wa)
    assert not Report.objects.exists()
    phone.say(wa, "R", name="Rahmat")
    assert "Tulis nama Anda: 2 sampai 100 huruf." in phone.last(wa)
    phone.say(wa, "Rahmat Hidayat", name="Rahmat")
    phone.say(wa, standin.choice("confirm:send", "Kirim laporan"), name="Rahmat")
    report = Report.objects.get()
    assert report.reporter_name == "Rahmat Hidayat"
    assert report.office.code == "73.22" and report.category == "illegal_levy"
    assert report.integrity  # the inspectorate's, never the unit reported on
    # ... and its conversation is not filed with the office it accuses: its front office cannot open it.
    conv = Conversation.objects.get(wa_id=wa)
    assert conv.report is None and conv.office is None and conv.status == ConversationStatus.CLOSED
    client.force_login(people.fo_lutra)
    assert client.get(f"/petugas/wa/{conv.pk}/").status_code == 404
    assert not Conversation.objects.filter(conversation_scope(people.fo_lutra), pk=conv.pk).exists()
    # Writing about an application of that office afterwards opens a new conversation, without the report.
    phone.say(wa, "menu", name="Rahmat")
    assert Conversation.objects.filter(wa_id=wa).count() == 2


def test_survey_with_buttons_after_completion_counts_once(phone, submit, people):
    app = submit()
    app = application_transition(app, "verify", user=people.fo_lutra)
    app = application_transition(app, "process", user=people.pendma_lutra)
    application_upload_product(app, user=people.pendma_lutra, upload=upload("surat.pdf"))
    app = application_transition(app, "complete", user=people.pendma_lutra)
    phone.say(OWNER, app.tracking_code)
    last = phone.replies(OWNER)[-1]
    assert any(b["reply"]["id"] == f"survey:{app.tracking_code}" for b in last["interactive"]["action"]["buttons"])
    phone.say(OWNER, standin.choice(f"survey:{app.tracking_code}", "Isi survei"))
    for _ in range(9):
        phone.say(OWNER, standin.choice("sv:4", "Sangat", list_row=True))
    response = SurveyResponse.objects.get(application=app)
    assert response.verified and response.u1 == 4 and response.u9 == 4
    phone.say(OWNER, standin.choice(f"survey:{app.tracking_code}", "Isi survei"))
    for _ in range(9):
        phone.say(OWNER, standin.choice("sv:1", "Tidak", list_row=True))
    assert SurveyResponse.objects.filter(application=app).count() == 1
    assert "sudah diisi" in phone.last(OWNER)


def test_a_stranger_cannot_answer_someone_elses_survey(phone, submit):
    app = submit()
    phone.say(STRANGER, standin.choice(f"survey:{app.tracking_code}", "Isi survei"))
    assert "nomor yang tercatat" in phone.last(STRANGER)


def test_talk_to_an_officer_outside_hours_says_when_the_office_opens(phone, submit, monkeypatch):
    app = submit()
    phone.say(OWNER, app.tracking_code)  # the conversation now knows the office (Luwu Utara, WITA)
    saturday_night = datetime(2026, 12, 5, 21, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    monkeypatch.setattr(timezone, "now", lambda: saturday_night)
    phone.say(OWNER, "bicara dengan petugas")
    conv = Conversation.objects.get(wa_id=OWNER)
    assert conv.status == ConversationStatus.WAITING and conv.office.code == "73.22"
    assert "buka kembali 7 Desember 2026 08.00 WITA" in phone.last(OWNER)
    phone.say(OWNER, "halo?")  # waits for a person: the bot keeps quiet
    assert "halo" not in phone.last(OWNER).lower() or len(phone.replies(OWNER)) >= 1


def test_stop_opts_out_and_start_opts_back_in(phone):
    phone.say(STRANGER, "STOP")
    assert OptIn.objects.get(wa_id=STRANGER).opted_in is False
    assert "MULAI" in phone.last(STRANGER)
    phone.say(STRANGER, "mulai")
    assert OptIn.objects.get(wa_id=STRANGER).opted_in is True


def test_cancel_leaves_a_flow_and_the_menu_is_back(phone):
    phone.say(STRANGER, "3")
    phone.say(STRANGER, "batal")
    assert Conversation.objects.get(wa_id=STRANGER).state == {}
    assert phone.replies(STRANGER)[-1]["type"] == "interactive"


def test_status_words_are_real(phone, submit):
    app = submit()
    phone.say(OWNER, app.tracking_code)
    assert str(Status.SUBMITTED.label) in phone.last(OWNER)


def test_a_status_question_without_a_code_asks_for_the_code(phone):
    phone.say(STRANGER, "Assalamualaikum, kapan legalisir ijazah saya selesai?")
    assert "ketik kode lacaknya" in phone.texts(STRANGER)[0]


def test_a_place_name_that_fits_several_offices_is_asked_back_as_a_list(phone):
    # "luwu" went to Kabupaten Luwu with no question (the citizen was in Luwu Utara); "Masamba", the
    # seat of Luwu Utara, found no office at all.
    wa = "6285700000009"
    for step in ("3", standin.choice("kind:complaint", "Pengaduan"),
                 standin.choice("cat:illegal_levy", "Kategori", list_row=True)):
        phone.say(wa, step)
    categories = next(r["interactive"]["action"]["sections"][0]["rows"] for r in phone.replies(wa)
                      if r["type"] == "interactive" and "sections" in r["interactive"]["action"]
                      and r["interactive"]["action"]["sections"][0]["rows"][0]["id"].startswith("cat:"))
    levy = next(r for r in categories if r["id"] == "cat:illegal_levy")
    assert len(levy["title"]) <= 24 and levy["title"].endswith("…") and " " not in levy["title"][-2:]
    assert levy["description"].startswith(levy["title"][:-1])  # the whole name below the cut one
    phone.say(wa, "luwu")
    asked = phone.replies(wa)[-1]
    assert asked["type"] == "interactive" and "beberapa tempat" in asked["interactive"]["body"]["text"]
    rows = asked["interactive"]["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == ["office:73.17", "office:73.22", "office:73.24"]
    phone.say(wa, standin.choice("office:73.22", "Kabupaten Luwu Utara", list_row=True))
    assert "Kantor: Kantor Kementerian Agama Kabupaten Luwu Utara." in "\n".join(phone.texts(wa)[-2:])
    other = "6285700000010"
    for step in ("3", standin.choice("kind:complaint", "Pengaduan"),
                 standin.choice("cat:service_quality", "Kualitas layanan", list_row=True), "Masamba"):
        phone.say(other, step)
    assert "Kantor: Kantor Kementerian Agama Kabupaten Luwu Utara." in "\n".join(phone.texts(other)[-2:])


def test_a_report_is_read_back_and_filed_only_when_the_citizen_says_so(phone):
    """Nothing is filed on the last answer: the summary comes first, with Kirim / Ubah isi / Batal."""
    wa = "6285700000009"
    for step in ("3", standin.choice("kind:complaint", "Pengaduan"),
                 standin.choice("cat:service_quality", "Kualitas layanan", list_row=True), "Luwu Utara",
                 "Loket PTSP tutup jam 10 pagi padahal jadwal buka sampai jam 4 sore, saya sudah datang dua kali."):
        phone.say(wa, step, name="Rahmat")
    media_id = phone.store.put_media(png_bytes(), "image/png")
    phone.say(wa, standin.media("image", media_id, "image/png"), name="Rahmat")
    for step in (standin.choice("photos:done", "Selesai"), standin.choice("anon:no", "Tampilkan nama"),
                 "Rahmat Hidayat"):
        phone.say(wa, step, name="Rahmat")
    summary = phone.texts(wa)[-1]
    assert not Report.objects.exists()
    assert summary.startswith("Periksa laporan Anda sebelum dikirim:")
    for part in ("Pengaduan · Kualitas layanan", "Kabupaten Luwu Utara", "Loket PTSP tutup jam 10 pagi",
                 "Berkas: 1", "Identitas: Rahmat Hidayat"):
        assert part in summary, part
    # Changing the text comes back to the summary with the file and the name kept.
    phone.say(wa, standin.choice("confirm:edit", "Ubah isi"), name="Rahmat")
    assert "Tulis ulang isi laporan Anda" in phone.last(wa)
    phone.say(wa, "Loket PTSP di Masamba tutup jam 10 pagi setiap Jumat, padahal jadwalnya sampai sore.",
              name="Rahmat")
    assert "Isi: Loket PTSP di Masamba" in phone.last(wa) and "Berkas: 1" in phone.last(wa)
    phone.say(wa, "kirim", name="Rahmat")  # typed, as people do
    report = Report.objects.get()
    assert report.text.startswith("Loket PTSP di Masamba") and report.reporter_name == "Rahmat Hidayat"
    assert report.attachments.count() == 1 and report.tracking_code in phone.last(wa)


def test_a_report_cancelled_at_the_summary_is_not_filed(phone):
    wa = "6285700000010"
    for step in ("3", standin.choice("kind:question", "Pertanyaan"),
                 standin.choice("cat:education", "Pendidikan", list_row=True), "Luwu Utara",
                 "Kapan pendaftaran madrasah negeri tahun ajaran baru dibuka di Masamba?",
                 standin.choice("photos:skip", "Lewati"), standin.choice("anon:yes", "Rahasiakan")):
        phone.say(wa, step)
    assert "Identitas: dirahasiakan" in phone.last(wa)
    phone.say(wa, standin.choice("batal", "Batal"))
    assert not Report.objects.exists()
    assert "Dibatalkan." in phone.last(wa)


def test_a_reports_last_public_note_is_masked_for_whoever_sends_its_code(phone):
    """Anyone who knows a report's code may send it from any number: the reporter's added contact
    details are masked as on the public tracking page."""
    from satupintu.feedback import reports

    report = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Antrean legalisir lama",
        text="Antrean legalisir di loket PTSP memakan waktu tiga jam.", name="Budi Santoso", email="budi@contoh.id"))
    reports.report_add_information(report, text="Hubungi saya di 0812-9988-7766 atau budi.santoso@gmail.com, "
                                   "NIK 7322015708900009.", files=[])
    phone.say(STRANGER, report.tracking_code)
    said = phone.last(STRANGER)
    assert "Tanggapan terakhir:" in said and "[nomor telepon]" in said and "[email]" in said and "[NIK]" in said
    assert "9988" not in said and "budi.santoso" not in said and "7322015708900009" not in said


def test_a_merged_office_named_or_known_hands_over_to_the_office_doing_its_work(phone, submit):
    """Nobody reads a merged office's queue: a conversation about it joins its successor's."""
    from satupintu.organization.models import Office

    app = submit()  # at Luwu Utara
    Office.objects.filter(code="73.22").update(merged_into=Office.objects.get(code="73.73"))
    phone.say(OWNER, app.tracking_code)
    phone.say(OWNER, "bicara dengan petugas")
    assert Conversation.objects.get(wa_id=OWNER).office.code == "73.73"
    wa = "6285700000011"
    for step in ("3", standin.choice("kind:complaint", "Pengaduan"),
                 standin.choice("cat:service_quality", "Kualitas layanan", list_row=True), "Masamba"):
        phone.say(wa, step)
    assert "Kantor: Kantor Kementerian Agama Kota Palopo." in "\n".join(phone.texts(wa)[-2:])
