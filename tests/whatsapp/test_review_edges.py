"""Edges a review found: half an emoji, one bad value among good ones, a late-handled message's
24-hour window, MENU while waiting, a sealed anonymous report, reveal and NIKs for readers,
notifications that run out of retries, template parameters Meta refuses, the copy-code button."""

from __future__ import annotations

import json
import time

import pytest

from satupintu.core.models import PersonalDataAccess
from satupintu.feedback.models import Report
from satupintu.notifications.models import OutboxMessage, OutboxStatus
from satupintu.notifications.outbox import outbox_flush
from satupintu.organization.models import Role
from satupintu.services.workflow import application_transition
from satupintu.whatsapp import inbound, outbound, standin
from satupintu.whatsapp.models import (
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    Message,
    OptIn,
    WebhookEvent,
)
from satupintu.whatsapp.webhook import signature_for
from tests.conftest import VALID_NIK, _staff

pytestmark = pytest.mark.django_db
PID = "109000000000001"
OWNER = "6281234567890"


def _post(phone, body: bytes):  # type: ignore[no-untyped-def]
    with phone.capture(execute=True):
        return phone.post(body, {"X-Hub-Signature-256": signature_for(body, "test-app-secret")})


def _value(wa_id: str, wamid: str, text: str, name: str = "Siti", metadata: object = None) -> dict:
    return {"messaging_product": "whatsapp",
            "metadata": metadata if metadata is not None else {"display_phone_number": "1", "phone_number_id": PID},
            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
            "messages": [{"from": wa_id, "id": wamid, "timestamp": str(int(time.time())), "type": "text",
                          "text": {"body": text}}]}


def _event(*values: dict) -> bytes:
    return json.dumps({"object": "whatsapp_business_account", "entry": [
        {"id": "1", "changes": [{"field": "messages", "value": v} for v in values]}]}).encode()


# --- inbound -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,name", [("tolong \ud83d", "Siti"), ("halo", "Siti \udc00")])
def test_half_an_emoji_is_dropped_not_the_message(phone, text, name):
    wa = "6281211110000"
    assert _post(phone, _event(_value(wa, "wamid.S1", text, name=name))).status_code == 200
    stored = Message.objects.get(wamid="wamid.S1")  # the message was lost before
    assert "\ud83d" not in stored.text and "\udc00" not in stored.conversation.profile_name
    assert phone.replies(wa)  # and the citizen is answered


def test_one_value_of_a_wrong_shape_does_not_lose_the_good_ones_beside_it(phone):
    body = _event(_value("6281211110002", "wamid.B1", "x", metadata="oops"), _value("6281211110003", "wamid.G1", "halo"))
    _post(phone, body)
    event = WebhookEvent.objects.get()
    assert event.processed_at is not None and event.last_error == "malformed value"
    assert Message.objects.filter(wamid="wamid.G1").exists()
    assert inbound.process_event(event.pk)  # done: not retried, nothing twice


def test_the_window_runs_from_when_the_citizen_wrote(phone):
    wa = "6285711113333"
    real = phone.sim.clock
    phone.sim.clock = lambda: time.time() - 25 * 3600  # written 25 hours ago, handled now (Meta retried)
    phone.sim.citizen_says(PID, wa, {"type": "text", "text": {"body": "halo"}})
    phone.sim.clock = real
    phone.settle()
    assert not outbound.window_open(Conversation.objects.get(wa_id=wa))


def test_menu_while_waiting_hands_the_citizen_back_to_the_bot(phone):
    wa = "6281211110004"
    for said in ("halo", "bicara dengan petugas", "Luwu Utara"):
        phone.say(wa, said)
    assert Conversation.objects.get(wa_id=wa).status == ConversationStatus.WAITING
    phone.say(wa, "menu")
    conv = Conversation.objects.get(wa_id=wa)
    assert conv.status == ConversationStatus.BOT and conv.waiting_since is None
    shown = len(phone.replies(wa))
    phone.say(wa, standin.choice("track", "1. Lacak permohonan", list_row=True))
    assert len(phone.replies(wa)) > shown  # the menu's choice is answered (it was silent)


# --- the inbox -----------------------------------------------------------------------------------------

def test_an_anonymous_report_s_conversation_is_read_by_no_one(phone, client):
    wa = "6285700000003"
    text = "Loket PTSP tutup jam 10 pagi padahal jadwal buka sampai jam 4 sore, saya sudah datang dua kali."
    for step in ("3", standin.choice("kind:complaint", "Pengaduan"),
                 standin.choice("cat:service_quality", "Kualitas layanan", list_row=True), "Luwu Utara", text,
                 standin.choice("photos:skip", "Lewati"), standin.choice("anon:yes", "Rahasiakan"),
                 standin.choice("confirm:send", "Kirim laporan")):
        phone.say(wa, step, name="Rahmat Hidayat")
    assert Report.objects.get().anonymous
    conv = Conversation.objects.get(wa_id=wa)
    assert conv.sealed
    for user in (_staff("fo.pusat", "pusat", Role.FRONT_OFFICE), _staff("kepala.pusat", "pusat", Role.HEAD_OF_OFFICE)):
        client.force_login(user)
        assert f"/petugas/wa/{conv.pk}/" not in client.get("/petugas/wa/?status=all").content.decode()
        assert client.get(f"/petugas/wa/{conv.pk}/").status_code == 404
        assert client.post(f"/petugas/wa/{conv.pk}/aksi/", {"action": "reveal", "reason": "contact"}).status_code == 404


def test_a_reader_who_does_not_answer_may_not_reveal_and_reads_nik_masked(client, people, phone, submit):
    wa = "6285711112222"
    app = submit(phone="085711112222")
    for said in (app.tracking_code, f"NIK saya {VALID_NIK}", "bicara dengan petugas"):
        phone.say(wa, said)
    conv = Conversation.objects.get(wa_id=wa)
    client.force_login(people.kakanwil_sulsel)  # reads Luwu Utara's conversations, does not answer them
    page = client.get(f"/petugas/wa/{conv.pk}/").content.decode()
    assert VALID_NIK not in page and "[NIK]" in page
    forged = client.post(f"/petugas/wa/{conv.pk}/aksi/", {"action": "reveal", "reason": "contact"})
    assert forged.status_code == 403 and "+6285711112222" not in forged.content.decode()
    assert not PersonalDataAccess.objects.exists()
    client.force_login(people.fo_lutra)  # answers it: reads it whole, on record
    assert VALID_NIK in client.get(f"/petugas/wa/{conv.pk}/").content.decode()
    look = PersonalDataAccess.objects.get()
    assert (look.user, look.subject_type, look.subject_ref) == (people.fo_lutra, "whatsapp", str(conv.pk))


# --- notifications -------------------------------------------------------------------------------------

def test_a_notification_out_of_retries_is_failed_and_e_mailed(phone, submit):
    phone.sim.fail_next.append((503, 0))
    with phone.capture(execute=True):
        app = submit(whatsapp_updates=True)
    row = OutboxMessage.objects.get(channel="whatsapp")
    OutboxMessage.objects.filter(pk=row.pk).update(attempts=7, next_attempt_at=row.created_at)  # the last try next
    phone.sim.fail_next.append((503, 0))
    with phone.capture(execute=True):
        outbox_flush()
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
    assert Message.objects.get(application=app).status == DeliveryStatus.FAILED  # it said "queued" for ever
    assert OutboxMessage.objects.filter(channel="email", recipient=app.email).exists()  # the fallback goes


def test_status_parameters_are_one_line_and_in_indonesian(phone, submit, people):
    from django.utils import translation

    with phone.capture(execute=True):
        app = submit(whatsapp_updates=True)
    with translation.override("en"), phone.capture(execute=True):  # the officer works in English
        application_transition(app, "request_completion", user=people.fo_lutra,
                               note="Mohon lengkapi:\n1. KTP jelas\n2. Ijazah\tasli      berwarna")
    phone.settle()
    last = [b for b in phone.replies(OWNER) if b["type"] == "template"][-1]
    params = [p["text"] for p in last["template"]["components"][0]["parameters"]]
    # Meta refuses a parameter with a line break, a tab or more than four spaces in a row (132018)
    assert params[2] == "Perlu Dilengkapi: Mohon lengkapi: 1. KTP jelas 2. Ijazah asli berwarna"
    assert params[1] == app.service.name  # the Indonesian template reads the Indonesian name


def test_the_one_time_code_carries_its_copy_code_button(phone):
    phone.sim.templates = None  # the stand-in accepts any template name
    OptIn.objects.create(wa_id=OWNER, source="whatsapp")
    with phone.capture(execute=True):
        assert outbound.send_one_time_code(OWNER, "123456")
    otp = [b for b in phone.replies(OWNER) if b["type"] == "template"][-1]
    assert [c["type"] for c in otp["template"]["components"]] == ["body", "button"]
    assert otp["template"]["components"][1]["parameters"] == [{"type": "text", "text": "123456"}]


def test_the_administrator_reads_no_citizens_conversation(client, phone, submit):
    """The administrator keeps the office's settings: no personal data (organization/access), so
    neither the inbox nor a conversation, nor revealing a number."""
    wa = "6285711113333"
    app = submit(phone="085711113333")
    for said in (app.tracking_code, "bicara dengan petugas"):
        phone.say(wa, said)
    conv = Conversation.objects.get(wa_id=wa)
    assert conv.office is not None
    client.force_login(_staff("admin.kantor", conv.office.code, Role.ADMIN))
    assert client.get("/petugas/wa/").status_code == 403
    assert client.get(f"/petugas/wa/{conv.pk}/").status_code == 403
    assert client.post(f"/petugas/wa/{conv.pk}/aksi/", {"action": "reveal", "reason": "contact"}).status_code == 403


def test_a_stop_from_the_number_is_not_undone_by_an_application_anyone_can_file(phone, submit):
    """Someone applying with a person's number (ticking WhatsApp news) turned that person's STOP back
    into paid template messages from the ministry's number, one per application. MULAI from the number
    itself still undoes it."""
    phone.say(OWNER, "STOP")
    with phone.capture(execute=True):
        submit(whatsapp_updates=True)
    assert OptIn.objects.get(wa_id=OWNER).opted_in is False
    assert not [b for b in phone.replies(OWNER) if b["type"] == "template"]
    phone.say(OWNER, "MULAI")
    assert OptIn.objects.get(wa_id=OWNER).opted_in is True
