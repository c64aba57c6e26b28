"""The officers' inbox: scope by office and role, replies inside and outside the window, the
first-response clock, masking with an audited reveal, linking and filing a report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from satupintu.core.errors import DomainError
from satupintu.core.models import PersonalDataAccess
from satupintu.feedback.models import Report
from satupintu.whatsapp import conversations
from satupintu.whatsapp.models import Conversation, ConversationStatus, Direction, Message, OptIn
from tests.conftest import VALID_NIK, upload

pytestmark = pytest.mark.django_db
WA = "6285711112222"


@pytest.fixture
def waiting(phone, submit):  # type: ignore[no-untyped-def]
    """A Luwu Utara citizen who asked for a person (inside office hours: the clock is not needed)."""
    app = submit(phone="085711112222")
    phone.say(WA, app.tracking_code)
    phone.say(WA, "Pak, ijazah saya kapan bisa diambil? Saya dari Masamba, mau ambil besok pagi.")
    phone.say(WA, "bicara dengan petugas")
    conv = Conversation.objects.get(wa_id=WA)
    assert conv.status == ConversationStatus.WAITING and conv.office.code == "73.22"
    return conv


def test_the_office_sees_its_conversation_masked_others_do_not(client, people, waiting):
    client.force_login(people.fo_lutra)
    page = client.get("/petugas/wa/")
    assert page.status_code == 200 and "Siti" in page.content.decode()
    assert "+6285711112222" not in page.content.decode() and "2222" not in page.content.decode()
    client.force_login(people.fo_makassar)
    assert f'href="/petugas/wa/{waiting.pk}/"' not in client.get("/petugas/wa/").content.decode()
    assert client.get(f"/petugas/wa/{waiting.pk}/").status_code == 404
    client.force_login(people.pendma_lutra)  # a unit officer: not their job
    assert client.get("/petugas/wa/").status_code == 403


def test_kanwil_head_reads_but_does_not_answer(client, people, waiting):
    client.force_login(people.kakanwil_sulsel)
    page = client.get(f"/petugas/wa/{waiting.pk}/")
    assert page.status_code == 200 and 'value="reply"' not in page.content.decode()
    refused = client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "reply", "text": "Halo"})
    assert refused.status_code == 403
    assert not Message.objects.filter(direction=Direction.OUT, sender=people.kakanwil_sulsel).exists()


def test_reply_goes_to_the_phone_and_starts_the_first_response_clock(client, people, phone, waiting):
    client.force_login(people.fo_lutra)
    with phone.capture(execute=True):
        done = client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "reply",
                                                               "text": "Bisa diambil besok pukul 09.00, Bu."})
    assert done.status_code == 302
    phone.settle()
    assert phone.texts(WA)[-1] == "Bisa diambil besok pukul 09.00, Bu."
    waiting.refresh_from_db()
    assert waiting.status == ConversationStatus.ASSIGNED and waiting.assignee == people.fo_lutra
    assert waiting.first_response_seconds is not None and waiting.first_responder == people.fo_lutra
    timeline = client.get(f"/petugas/wa/{waiting.pk}/").content.decode()
    assert "Bisa diambil besok" in timeline and "Sampai" in timeline  # delivered, from the webhook


def test_outside_the_window_text_is_refused_and_the_template_offered(client, people, phone, waiting):
    Conversation.objects.filter(pk=waiting.pk).update(last_inbound_at=timezone.now() - timedelta(hours=25))
    client.force_login(people.fo_lutra)
    page = client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "reply", "text": "Halo lagi"})
    assert page.status_code == 409 and "24 jam" in page.content.decode()
    assert 'href="#id_text"' in page.content.decode()  # the error summary links to the field
    OptIn.objects.create(wa_id=WA, source="whatsapp")
    with phone.capture(execute=True):
        assert client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "template"}).status_code == 302
    assert phone.replies(WA)[-1]["template"]["name"] == "satupintu_reply_later"


def test_reveal_is_audited(client, people, waiting):
    client.force_login(people.fo_lutra)
    page = client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "reveal", "reason": "contact"})
    assert "+6285711112222" in page.content.decode()
    assert PersonalDataAccess.objects.filter(user=people.fo_lutra, subject_type="whatsapp").count() == 1


def test_assign_only_to_colleagues_who_answer_whatsapp(client, people, waiting):
    client.force_login(people.kakan_lutra)
    bad = client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "assign", "assignee": people.pendma_lutra.pk})
    assert bad.status_code == 400 and 'href="#id_assignee"' in bad.content.decode()
    ok = client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "assign", "assignee": people.fo_lutra.pk})
    assert ok.status_code == 302
    waiting.refresh_from_db()
    assert waiting.assignee == people.fo_lutra


def test_file_a_report_from_the_conversation_and_send_a_file(client, people, phone, waiting):
    client.force_login(people.fo_lutra)
    done = client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "report", "kind": "question",
                                                           "category": "service_quality",
                                                           "title": "Pengambilan ijazah"})
    assert done.status_code == 302
    report = Report.objects.get()
    assert "kapan bisa diambil" in report.text and report.office.code == "73.22"
    with phone.capture(execute=True):
        sent = client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "file", "file": upload("jadwal.pdf")})
    assert sent.status_code == 302
    document = phone.replies(WA)[-1]
    assert document["type"] == "document" and document["document"]["id"]  # uploaded to Graph, sent by id
    assert phone.store.get_media(document["document"]["id"])[0].startswith(b"%PDF")


def test_link_checks_the_code_and_the_office(client, people, submit, waiting):
    other = submit(office="73.71")
    client.force_login(people.fo_lutra)
    bad = client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "link", "code": other.tracking_code})
    assert bad.status_code == 404 and 'href="#id_code"' in bad.content.decode()


def test_heads_see_response_times(client, people, phone, waiting):
    client.force_login(people.fo_lutra)
    with phone.capture(execute=True):
        client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "reply", "text": "Baik, kami cek."})
    client.force_login(people.kakan_lutra)
    page = client.get("/petugas/wa/kinerja/").content.decode()
    assert "Kantor Kementerian Agama Kabupaten Luwu Utara" in page and "fo.lutra" in page
    client.force_login(people.fo_lutra)
    assert client.get("/petugas/wa/kinerja/").status_code == 403


def test_closing_ends_the_conversation_and_a_new_message_opens_another(client, people, phone, waiting):
    client.force_login(people.fo_lutra)
    client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "close"})
    waiting.refresh_from_db()
    assert waiting.status == ConversationStatus.CLOSED
    phone.say(WA, "halo")
    assert Conversation.objects.filter(wa_id=WA).count() == 2


def test_the_demo_fills_the_inbox(phone, submit, people, client):
    from satupintu.whatsapp.demo import load_whatsapp_demo

    submit(submission_key="demo:0", phone="081234560001")
    submit(submission_key="demo:1", phone="081234560002", name="Muhammad Ilham", nik="7322021203880002")
    with phone.capture(execute=True):
        assert "3 percakapan demo" in load_whatsapp_demo({"fo.lutra": people.fo_lutra})
    statuses = sorted(Conversation.objects.values_list("status", flat=True))
    assert statuses == [ConversationStatus.ASSIGNED, ConversationStatus.BOT, ConversationStatus.WAITING]
    client.force_login(people.fo_lutra)
    page = client.get("/petugas/wa/").content.decode()
    assert "Andi" in page and "Ilham" in page and 'href="/petugas/wa/' in page
    assert load_whatsapp_demo({"fo.lutra": people.fo_lutra}) == ""  # once


# --- two officers on one conversation: every action works on the conversation as it is now ----------

def _copy(conv: Conversation) -> Conversation:
    """What an officer's request read before a colleague acted."""
    return Conversation.objects.select_related("office", "number").get(pk=conv.pk)


@pytest.mark.parametrize("citizen_writes_again", [True, False])
def test_a_reply_or_assignment_on_a_conversation_a_colleague_closed_is_refused(phone, people, waiting,
                                                                              citizen_writes_again):
    seen_by_a, also_a = _copy(waiting), _copy(waiting)
    conversations.close(_copy(waiting), user=people.kakan_lutra)  # officer B closes it meanwhile
    if citizen_writes_again:
        phone.say(WA, "Masih ada yang ingin saya tanyakan soal ijazah.")  # a new conversation opens
    for act in (lambda: conversations.reply(seen_by_a, user=people.fo_lutra, text="Baik, kami cek."),
                lambda: conversations.assign(also_a, user=people.fo_lutra, assignee=people.fo_lutra)):
        with pytest.raises(DomainError) as refused:  # was an IntegrityError (a 500), or the old one reopened
            act()
        assert refused.value.code == "conversation_closed" and refused.value.status == 409
    waiting.refresh_from_db()
    assert waiting.status == ConversationStatus.CLOSED and waiting.assignee is None
    assert not Message.objects.filter(direction=Direction.OUT, sender=people.fo_lutra).exists()
    opened = Conversation.objects.filter(wa_id=WA).exclude(status=ConversationStatus.CLOSED)
    assert opened.count() == (1 if citizen_writes_again else 0)


def test_two_officers_claiming_at_once_do_not_both_get_it(client, people, waiting):
    seen_by_a, seen_by_b = _copy(waiting), _copy(waiting)
    conversations.assign(seen_by_a, user=people.fo_lutra, assignee=people.fo_lutra)
    with pytest.raises(DomainError) as taken:
        conversations.assign(seen_by_b, user=people.kakan_lutra, assignee=people.kakan_lutra)
    assert taken.value.code == "conversation_taken" and taken.value.status == 409
    waiting.refresh_from_db()
    assert waiting.assignee == people.fo_lutra and waiting.status == ConversationStatus.ASSIGNED
    # Through the pages: the head's page was opened while nobody had it; meanwhile fo.lutra has it.
    client.force_login(people.kakan_lutra)
    page = client.get(f"/petugas/wa/{waiting.pk}/").content.decode()
    assert 'name="seen"' in page
    stale = client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "assign", "assignee": people.kakan_lutra.pk,
                                                            "seen": ""})
    assert stale.status_code == 409 and "sudah ditangani petugas lain" in stale.content.decode()
    assert f'name="seen" value="{people.fo_lutra.pk}"' in stale.content.decode()  # the page as it is now
    waiting.refresh_from_db()
    assert waiting.assignee == people.fo_lutra
    again = client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "assign", "assignee": people.kakan_lutra.pk,
                                                            "seen": people.fo_lutra.pk})  # knowingly, now
    assert again.status_code == 302
    waiting.refresh_from_db()
    assert waiting.assignee == people.kakan_lutra


def test_a_report_filed_twice_from_one_conversation_is_made_once(people, waiting):
    seen_by_a, seen_by_b = _copy(waiting), _copy(waiting)
    first = conversations.file_report(seen_by_a, user=people.fo_lutra, kind="question", category="service_quality",
                                      title="Pengambilan ijazah")
    with pytest.raises(DomainError) as again:
        conversations.file_report(seen_by_b, user=people.kakan_lutra, kind="question", category="service_quality",
                                  title="Pengambilan ijazah")
    assert again.value.code == "report_already_filed" and first.tracking_code in again.value.message
    assert Report.objects.count() == 1


def test_the_inbox_list_masks_a_nik_or_a_number_in_the_last_message(client, people, phone, waiting):
    phone.say(WA, f"NIK saya {VALID_NIK}, hubungi istri saya di 0812-9876-5432 ya Pak")
    client.force_login(people.fo_lutra)
    listed = client.get("/petugas/wa/").content.decode()
    assert "NIK saya [NIK], hubungi istri saya di [nomor telepon]" in listed
    assert VALID_NIK not in listed and "9876" not in listed


def test_the_integrity_pack_says_the_answer_target_in_the_readers_words(client, people, phone, waiting):
    from datetime import timedelta

    from django.utils import timezone, translation

    from satupintu.reform.integrity_figures import Span, whatsapp_first_answer

    client.force_login(people.fo_lutra)
    with phone.capture(execute=True):
        client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "reply", "text": "Baik, kami cek."})
    later = timezone.now() + timedelta(minutes=1)
    span = Span.of(waiting.office, timezone.localtime(later).year, later)
    with translation.override("en"):
        english = whatsapp_first_answer(waiting.office, span).detail
    with translation.override("id"):
        indonesian = whatsapp_first_answer(waiting.office, span).detail
    assert english.endswith("answered within 1 working hour, 1 conversation"), english  # was "hour(s)"
    assert indonesian.endswith("dijawab dalam 1 jam kerja, 1 percakapan"), indonesian


def test_after_a_reply_the_officer_is_told_and_lands_under_the_conversation(client, people, phone, waiting):
    # A bare "Tersimpan." and the page back at its top, far from the message just sent.
    client.force_login(people.fo_lutra)
    with phone.capture(execute=True):
        sent = client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "reply", "text": "Baik, kami cek."})
    assert sent.status_code == 302 and sent["Location"] == f"/petugas/wa/{waiting.pk}/#reply-title"
    assert "Balasan dikirim." in client.get(sent["Location"]).content.decode()
    closed = client.post(f"/petugas/wa/{waiting.pk}/aksi/", {"action": "close"}, follow=True).content.decode()
    assert "Percakapan ditutup." in closed


def test_the_inbox_shows_each_conversations_last_message_in_a_fixed_number_of_queries(client, people, waiting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people.fo_lutra)

    def inbox() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/petugas/wa/").content.decode()
        return page, len(ctx.captured_queries)

    _, one = inbox()
    for n in range(4):
        other = Conversation.objects.create(number=waiting.number, wa_id=f"62857000000{n:02d}", office=waiting.office,
                                            status=ConversationStatus.WAITING, last_inbound_at=timezone.now(),
                                            waiting_since=timezone.now())
        Message.objects.create(conversation=other, number=waiting.number, wa_id=other.wa_id, direction=Direction.IN,
                               kind="text", text=f"Pertanyaan warga nomor {n}")
    page, five = inbox()
    assert all(f"Pertanyaan warga nomor {n}" in page for n in range(4))
    assert five == one  # was one more query per conversation listed
