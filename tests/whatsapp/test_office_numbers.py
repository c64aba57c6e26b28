"""An office's own WhatsApp number: set by its head, routed to it, and its canned answers."""

from __future__ import annotations

import re

import pytest

from satupintu.feedback.models import Report
from satupintu.organization.models import Office
from satupintu.whatsapp import standin
from satupintu.whatsapp.access import conversation_scope
from satupintu.whatsapp.models import CannedAnswer, Conversation, ConversationStatus, Number

pytestmark = pytest.mark.django_db
LUTRA_ID = "109000000007322"


def test_the_head_sets_the_number_and_events_to_it_belong_to_the_office(client, people, phone):
    client.force_login(people.kakan_lutra)
    done = client.post("/petugas/wa/pengaturan/", {"action": "number", "phone_number_id": LUTRA_ID,
                                                    "display_phone": "+62 811-4400-7322"})
    assert done.status_code == 302
    assert Number.objects.get(phone_number_id=LUTRA_ID).office.code == "73.22"
    wa = "6285744445555"
    phone.say(wa, "halo", phone_number_id=LUTRA_ID)
    conv = Conversation.objects.get(wa_id=wa)
    assert conv.office.code == "73.22" and conv.number.phone_number_id == LUTRA_ID
    assert phone.store.outbound[-1]["phone_number_id"] == LUTRA_ID  # answered from the office's number
    # a report on the office's number is for that office: no question about which office
    for step in ("3", standin.choice("kind:question", "Pertanyaan"),
                 standin.choice("cat:education", "Pendidikan", list_row=True)):
        phone.say(wa, step, phone_number_id=LUTRA_ID)
    assert "Tuliskan laporan Anda" in phone.last(wa)
    for step in ("Kapan pendaftaran madrasah negeri tahun ajaran baru dibuka di Masamba?",
                 standin.choice("photos:skip", "Lewati"), standin.choice("anon:no", "Tampilkan nama"),
                 standin.choice("name:profile", "Pakai nama WhatsApp"), standin.choice("confirm:send", "Kirim laporan")):
        phone.say(wa, step, phone_number_id=LUTRA_ID)
    assert Report.objects.get().office.code == "73.22"


def test_bad_or_taken_numbers_are_field_errors_and_only_heads_and_admins_set_them(client, people, settings):
    settings.WHATSAPP_PHONE_NUMBER_ID = "100000000000001"  # the national line (empty on the PostgreSQL run)
    client.force_login(people.kakan_lutra)
    bad = client.post("/petugas/wa/pengaturan/", {"action": "number", "phone_number_id": "12ab"})
    assert bad.status_code == 400 and 'href="#id_phone_number_id"' in bad.content.decode()
    Number.objects.create(phone_number_id="109000000007371", office_id=people.fo_makassar.staff_roles.get().office_id)
    taken = client.post("/petugas/wa/pengaturan/", {"action": "number", "phone_number_id": "109000000007371"})
    assert taken.status_code == 400 and "sudah dipakai kantor lain" in taken.content.decode()
    # The national line (no office of its own) cannot be taken by one office either.
    national = client.post("/petugas/wa/pengaturan/", {"action": "number",
                                                       "phone_number_id": settings.WHATSAPP_PHONE_NUMBER_ID})
    assert national.status_code == 400 and "sudah dipakai kantor lain" in national.content.decode()
    assert not Number.objects.filter(phone_number_id=settings.WHATSAPP_PHONE_NUMBER_ID, office__isnull=False).exists()
    client.force_login(people.fo_lutra)
    assert client.get("/petugas/wa/pengaturan/").status_code == 403


def test_canned_answers_are_added_used_and_deleted(client, people, phone):
    client.force_login(people.kakan_lutra)
    empty = client.post("/petugas/wa/pengaturan/", {"action": "answer", "title": "", "text": ""})
    assert empty.status_code == 400 and 'href="#id_title"' in empty.content.decode()
    client.post("/petugas/wa/pengaturan/", {"action": "answer", "title": "Jam layanan",
                                             "text": "Loket buka Senin-Jumat 08.00-16.00 WITA."})
    answer = CannedAnswer.objects.get()
    wa = "6285744446666"
    phone.say(wa, "halo", phone_number_id="109000000000001")
    conv = Conversation.objects.get(wa_id=wa)
    conv.office_id = answer.office_id
    conv.save()
    client.force_login(people.fo_lutra)
    with phone.capture(execute=True):
        sent = client.post(f"/petugas/wa/{conv.pk}/aksi/", {"action": "reply", "text": "", "answer": answer.text})
    assert sent.status_code == 302 and phone.texts(wa)[-1] == answer.text
    client.force_login(people.kakan_lutra)
    client.post("/petugas/wa/pengaturan/", {"action": "delete", "answer": answer.pk})
    assert not CannedAnswer.objects.exists()


def test_the_public_simulator_page_offers_only_a_demo_applicant(client, settings, submit):
    """/wa-simulator/ is public wherever the simulator is on: a real citizen's number and tracking code
    must never be prefilled there, only the demo's own."""
    settings.WHATSAPP_SIMULATOR = True
    real = submit(phone="081298760011")  # the newest application, not from the demo
    page = client.get("/wa-simulator/").content.decode()
    assert real.tracking_code not in page and real.phone.lstrip("+") not in page


@pytest.mark.parametrize(("category", "identity"), [
    ("service_quality", standin.choice("anon:yes", "Rahasiakan")),  # anonymous
    ("illegal_levy", standin.choice("anon:no", "Tampilkan nama")),  # integrity: the inspectorate's, named or not
])
def test_an_anonymous_or_integrity_report_on_the_offices_own_number_leaves_the_office(
        client, people, phone, category, identity):
    """The bot promised "Petugas tidak akan melihat nama dan nomor Anda", and integrity reports are the
    inspectorate's: on an office's own number as on the national line, that office's staff neither open
    the conversation (the complaint, its code) nor reveal the number."""
    Number.objects.create(phone_number_id=LUTRA_ID, office=Office.objects.get(code="73.22"))
    wa = "6285744447777"
    for step in ("3", standin.choice("kind:complaint", "Pengaduan"),
                 standin.choice("cat:" + category, "Kategori", list_row=True),
                 "Petugas loket Budi meminta uang tiga ratus ribu rupiah untuk mempercepat legalisir ijazah.",
                 standin.choice("photos:skip", "Lewati")):
        phone.say(wa, step, phone_number_id=LUTRA_ID, name="Rahmat")
    # While it is being written (anonymous or not is asked last), the office does not read along either.
    client.force_login(people.fo_lutra)
    writing = Conversation.objects.get(wa_id=wa)
    assert writing.office.code == "73.22" and writing.state["flow"] == "report"
    assert client.get(f"/petugas/wa/{writing.pk}/").status_code == 404
    assert "Rahmat" not in client.get("/petugas/wa/?status=all").content.decode()
    phone.say(wa, identity, phone_number_id=LUTRA_ID, name="Rahmat")
    if identity == standin.choice("anon:no", "Tampilkan nama"):  # named: the bot asks for the name first
        phone.say(wa, "Rahmat Hidayat", phone_number_id=LUTRA_ID, name="Rahmat")
    phone.say(wa, standin.choice("confirm:send", "Kirim laporan"), phone_number_id=LUTRA_ID, name="Rahmat")
    report = Report.objects.get()
    assert report.office.code == "73.22" and (report.anonymous or report.integrity)
    conv = Conversation.objects.get(wa_id=wa)
    assert conv.office is None and conv.report is None and conv.status == ConversationStatus.CLOSED
    assert not Conversation.objects.filter(conversation_scope(people.fo_lutra), pk=conv.pk).exists()
    assert client.get(f"/petugas/wa/{conv.pk}/").status_code == 404
    revealed = client.post(f"/petugas/wa/{conv.pk}/aksi/", {"action": "reveal", "reason": "contact"})
    assert revealed.status_code == 404 and f"+{wa}" not in revealed.content.decode()
    assert "tiga ratus ribu" not in client.get("/petugas/wa/?status=all").content.decode()
    # The next message opens a new conversation, the office's again, without the report.
    phone.say(wa, "halo", phone_number_id=LUTRA_ID, name="Rahmat")
    fresh = Conversation.objects.exclude(pk=conv.pk).get(wa_id=wa)
    assert fresh.office.code == "73.22" and fresh.status != ConversationStatus.CLOSED
    assert not fresh.messages.filter(text__contains="tiga ratus ribu").exists()
    assert client.get(f"/petugas/wa/{fresh.pk}/").status_code == 200


def test_with_saved_replies_neither_reply_field_is_called_optional(people, settings):  # type: ignore[no-untyped-def]
    """Both read "(optional)", and an empty send then said "Write a reply.": one of the two is needed."""
    settings.WHATSAPP_PHONE_NUMBER_ID = "100000000000001"
    from django.test import Client

    from satupintu.organization.models import Office
    from satupintu.whatsapp.outbound import national_number

    lutra = Office.objects.get(code="73.22")
    from django.utils import timezone

    conv = Conversation.objects.create(number=national_number(), wa_id="6281234567001", office=lutra,
                                       status=ConversationStatus.WAITING, last_inbound_at=timezone.now())
    CannedAnswer.objects.create(office=lutra, title="Jam buka", text="Kantor buka pukul 08.00-16.00.")
    c = Client()
    c.force_login(people.fo_lutra)
    c.cookies["django_language"] = "en"
    page = c.get(f"/petugas/wa/{conv.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Write a reply, or choose a saved reply above." in page
    assert not re.search(r'for="[^"]*text"[^>]*>Reply <span class="mark">\(optional\)', page)
    assert re.search(r'>File <span class="mark">\(required\)</span>', page)  # one file: "File", not "Documents"


def test_pusat_does_not_read_a_report_being_written_either(client, people, phone):
    """The promise holds for Pusat too: its front office on the national line, its head over every
    office's number (both read the complaint as it was typed, and could reveal the number)."""
    from satupintu.organization.models import Role
    from tests.conftest import _staff

    fo_pusat, head_pusat = _staff("fo.pusat", "pusat", Role.FRONT_OFFICE), _staff("kepala.pusat", "pusat",
                                                                                   Role.HEAD_OF_OFFICE)
    Number.objects.create(phone_number_id=LUTRA_ID, office=Office.objects.get(code="73.22"))
    typed = "Petugas loket Budi meminta uang tiga ratus ribu rupiah untuk mempercepat legalisir ijazah."
    national, local = "6285744448888", "6285744449999"
    for step in ("3", standin.choice("kind:complaint", "Pengaduan")):
        phone.say(national, step, name="Rahmat")
    for step in ("3", standin.choice("kind:complaint", "Pengaduan"),
                 standin.choice("cat:illegal_levy", "Kategori", list_row=True), typed):
        phone.say(local, step, phone_number_id=LUTRA_ID, name="Rahmat")
    on_national, on_lutra = Conversation.objects.get(wa_id=national), Conversation.objects.get(wa_id=local)
    assert on_national.office is None and on_national.state["flow"] == "report"
    assert on_lutra.office.code == "73.22" and on_lutra.state["flow"] == "report"
    client.force_login(fo_pusat)
    assert client.get(f"/petugas/wa/{on_national.pk}/").status_code == 404
    revealed = client.post(f"/petugas/wa/{on_national.pk}/aksi/", {"action": "reveal", "reason": "contact"})
    assert revealed.status_code == 404 and f"+{national}" not in revealed.content.decode()
    client.force_login(head_pusat)
    assert client.get(f"/petugas/wa/{on_lutra.pk}/").status_code == 404
    assert "tiga ratus ribu" not in client.get("/petugas/wa/?status=all").content.decode()
    # Once it is not a report being written, Pusat reads again as before.
    phone.say(national, "batal", name="Rahmat")
    on_national.refresh_from_db()
    assert on_national.state.get("flow") != "report"
    client.force_login(fo_pusat)
    assert client.get(f"/petugas/wa/{on_national.pk}/").status_code == 200


def test_the_simulators_graph_takes_a_media_upload(client, settings):
    """An officer's file goes up to Graph as multipart (POST /media). On the demo's stand-in the
    request guard read the form first and the stand-in then failed on the raw body (a 500): every
    file an officer sent from the inbox failed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.WHATSAPP_SIMULATOR, settings.WHATSAPP_ACCESS_TOKEN = True, "simulator-token"
    response = client.post("/wa-simulator/graph/v21.0/100000000000001/media",
                           {"messaging_product": "whatsapp", "type": "application/pdf",
                            "file": SimpleUploadedFile("surat.pdf", b"%PDF-1.4 isi", content_type="application/pdf")},
                           headers={"Authorization": "Bearer simulator-token"})
    assert response.status_code == 200, response.content
    assert response.json()["id"]
