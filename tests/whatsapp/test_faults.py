"""Faults: oversized media, a download that fails, the Graph API failing, the broker down."""

from __future__ import annotations

import pytest

from satupintu.whatsapp import standin
from satupintu.whatsapp.inbound import unprocessed_ids
from satupintu.whatsapp.models import Direction, Message, WebhookEvent
from satupintu.whatsapp.tasks import sweep_events
from tests.conftest import png_bytes

pytestmark = pytest.mark.django_db
WA = "6285733334444"


def test_oversized_media_is_refused_with_a_clear_reply(phone, settings, caplog):
    settings.WHATSAPP_MEDIA_MAX_BYTES = 1000
    media_id = phone.store.put_media(b"\x89PNG\r\n\x1a\n" + b"0" * 5000, "image/png")
    phone.say(WA, standin.media("image", media_id, "image/png"))
    stored = Message.objects.get(direction=Direction.IN)
    assert not stored.media and stored.error_title == "media too large"
    assert "tidak dapat kami terima" in phone.last(WA)
    assert "media not fetched: 413" in caplog.text


def test_a_failing_download_is_told_and_logged(phone, caplog):
    media_id = phone.store.put_media(png_bytes(), "image/png")
    phone.sim.fail_next.append((500, 1))  # GET /{media_id} answers 500
    phone.say(WA, standin.media("image", media_id, "image/png"))
    assert "tidak dapat kami terima" in phone.last(WA)
    assert "media not fetched: 500" in caplog.text


def test_a_photo_that_is_not_an_image_we_take_is_refused(phone):
    media_id = phone.store.put_media(b"GIF89a....", "image/gif")
    phone.say(WA, standin.media("image", media_id, "image/gif"))
    assert Message.objects.get(direction=Direction.IN).error_title == "media type not accepted"


@pytest.mark.parametrize("content, mime, code", [
    (b"<html><script>alert(1)</script></html>" + b" " * 200, "application/pdf", "file_type_not_allowed"),
    (png_bytes(), "image/jpeg", "file_type_mismatch"),  # the phone said JPEG: the bytes are PNG
    (png_bytes()[:40], "image/png", "file_corrupt"),
    (b"%PDF-1.4\nbukan PDF\n%%EOF\n", "application/pdf", "file_corrupt"),
], ids=["html-named-pdf", "png-said-jpeg", "cut-png", "fake-pdf"])
def test_media_whose_bytes_are_not_what_whatsapp_says_is_refused(phone, content, mime, code):
    """The type in a WhatsApp message comes from the sender's phone: the bytes decide, as for any
    upload, before an officer opens it at /petugas/wa/."""
    media_id = phone.store.put_media(content, mime)
    phone.say(WA, standin.media("document" if mime == "application/pdf" else "image", media_id, mime))
    stored = Message.objects.get(direction=Direction.IN)
    assert not stored.media and stored.error_title == f"media content not accepted: {code}"
    assert "tidak dapat kami terima" in phone.last(WA)


def test_a_locked_pdf_is_refused_with_what_to_send_instead(phone):
    from tests.conftest import pdf_bytes

    media_id = phone.store.put_media(pdf_bytes(password="rahasia"), "application/pdf")
    phone.say(WA, standin.media("document", media_id, "application/pdf"))
    assert not Message.objects.get(direction=Direction.IN).media
    assert "dikunci dengan kata sandi" in phone.last(WA) and "tanpa kata sandi" in phone.last(WA)


def test_a_real_pdf_is_kept_under_the_senders_name_with_the_type_its_bytes_have(phone):
    from tests.conftest import pdf_bytes

    media_id = phone.store.put_media(pdf_bytes(), "application/pdf")
    phone.say(WA, standin.media("document", media_id, "application/pdf", filename="..\\surat keterangan.PDF"))
    stored = Message.objects.get(direction=Direction.IN)
    assert stored.media and stored.media_type == "application/pdf" and not stored.error_title
    assert stored.media.name.rsplit("/", 1)[-1] == "surat_keterangan.pdf"  # no path, the extension its bytes have


def test_graph_errors_retry_with_backoff_and_nothing_is_sent_twice(phone):
    from satupintu.notifications.models import OutboxMessage, OutboxStatus
    from satupintu.notifications.outbox import outbox_flush

    phone.sim.fail_next += [(503, 2), (500, 1)]
    phone.say(WA, "halo")
    row = OutboxMessage.objects.get(channel="whatsapp")
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    for _ in range(2):
        OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)
        with phone.capture(execute=True):
            outbox_flush()
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.attempts == 3
    assert len(phone.replies(WA)) == 1


def test_an_event_the_broker_never_carried_is_kept_and_handled_by_the_sweep(phone):
    """The webhook answers 200 after storing the event; here its "handle it now" kick never
    reaches a worker (on-commit callbacks not run: what a broker outage does). The scheduler's
    sweep handles it, once."""
    from datetime import timedelta

    from django.utils import timezone

    phone.sim.citizen_says("109000000000001", WA, standin.text("halo"))
    body = phone.sim.pending.pop()
    response = phone.post(body, {"X-Hub-Signature-256": standin.signature_for(body, phone.sim.app_secret)})
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.processed_at is None and not phone.replies(WA)
    assert unprocessed_ids() == []  # a fresh event is left to the task that may still come
    WebhookEvent.objects.filter(pk=event.pk).update(received_at=timezone.now() - timedelta(minutes=2))
    with phone.capture(execute=True):
        assert sweep_events() == 1
    phone.settle()
    assert len(phone.replies(WA)) == 1 and unprocessed_ids() == []
    with phone.capture(execute=True):
        assert sweep_events() == 0  # handled once


def test_a_free_form_message_outside_the_window_fails_with_131047_as_meta_reports_it(phone):
    """The stand-in accepts the send and reports the failure by webhook, as the Cloud API does."""
    from datetime import timedelta

    from django.utils import timezone

    from satupintu.whatsapp import outbound
    from satupintu.whatsapp.models import Conversation, DeliveryStatus
    from satupintu.whatsapp.replies import Reply

    phone.say(WA, "halo")
    phone.store.last_seen[("109000000000001", WA)] -= 25 * 3600  # the citizen wrote 25 hours ago
    conv = Conversation.objects.get(wa_id=WA)
    with phone.capture(execute=True):
        late = outbound.send_replies(conv, [Reply("Maaf baru kami balas.")])[0]
    phone.settle()
    late.refresh_from_db()
    assert late.status == DeliveryStatus.FAILED and late.error_code == "131047"
    assert late.error_title == "Re-engagement message"
    Conversation.objects.filter(pk=conv.pk).update(last_inbound_at=timezone.now() - timedelta(hours=25))
    conv.refresh_from_db()
    assert not outbound.window_open(conv)  # and so the inbox offers only the template (test_inbox.py)


def test_replies_reach_the_phone_in_the_order_written_whichever_worker_runs_first(phone):
    """Each message is its own task: a second worker sent "Ada lagi?" before the answer it follows.
    A message waits its turn (not counted as an attempt) while an earlier one to the person is queued."""
    from satupintu.notifications.models import OutboxMessage, OutboxStatus
    from satupintu.notifications.outbox import outbox_deliver
    from satupintu.whatsapp.models import Conversation, Number
    from satupintu.whatsapp.outbound import send_replies
    from satupintu.whatsapp.replies import Reply

    conv = Conversation.objects.create(number=Number.objects.get(), wa_id="6281299990000")
    with phone.capture(execute=False):  # written together, delivered by hand below
        first, second = send_replies(conv, [Reply("Jawaban Anda."), Reply("Ada lagi yang bisa kami bantu?")])
    out = {m.body: m for m in OutboxMessage.objects.filter(channel="whatsapp")}
    first_out, second_out = out[f'{{"message": {first.pk}}}'], out[f'{{"message": {second.pk}}}']
    assert outbox_deliver(second_out.pk) is False  # the second worker was quicker: it waits
    second_out.refresh_from_db()
    assert (second_out.status, second_out.attempts, second_out.last_error) == (OutboxStatus.PENDING, 0, "")
    assert phone.texts(conv.wa_id) == []
    assert outbox_deliver(first_out.pk) is True
    OutboxMessage.objects.filter(pk=second_out.pk).update(next_attempt_at=second_out.created_at)  # its turn now
    assert outbox_deliver(second_out.pk) is True
    assert phone.texts(conv.wa_id) == ["Jawaban Anda.", "Ada lagi yang bisa kami bantu?"]


def test_a_message_stuck_for_minutes_no_longer_holds_the_conversation_up(phone):
    from datetime import timedelta

    from satupintu.notifications.models import OutboxMessage
    from satupintu.notifications.outbox import outbox_deliver
    from satupintu.whatsapp.models import Conversation, Message, Number
    from satupintu.whatsapp.outbound import send_replies
    from satupintu.whatsapp.replies import Reply

    conv = Conversation.objects.create(number=Number.objects.get(), wa_id="6281299990001")
    with phone.capture(execute=False):
        stuck, fresh = send_replies(conv, [Reply("Lama."), Reply("Baru.")])
    Message.objects.filter(pk=stuck.pk).update(created_at=fresh.created_at - timedelta(minutes=6))
    assert outbox_deliver(OutboxMessage.objects.get(body=f'{{"message": {fresh.pk}}}').pk) is True
    assert phone.texts(conv.wa_id) == ["Baru."]


def test_past_its_daily_count_a_numbers_files_are_not_fetched_and_it_is_told(phone):
    """Every file sent to our numbers was downloaded, checked and kept, whatever the conversation:
    one number could fill the storage. Past WHATSAPP_MEDIA_PER_NUMBER_DAY it is not fetched at all."""
    from satupintu.core import ratelimit

    for _ in range(ratelimit.WHATSAPP_MEDIA_PER_NUMBER_DAY.limit):
        ratelimit.take(ratelimit.WHATSAPP_MEDIA_PER_NUMBER_DAY, WA)
    media_id = phone.store.put_media(png_bytes(), "image/png")
    phone.say(WA, standin.media("image", media_id, "image/png"))
    stored = Message.objects.get(direction=Direction.IN)
    assert not stored.media and stored.error_title == "media limit reached"
    assert "terlalu banyak berkas" in phone.last(WA)
    other = "6285733335555"  # another number still sends its photo
    phone.say(other, standin.media("image", phone.store.put_media(png_bytes(), "image/png"), "image/png"))
    assert Message.objects.get(direction=Direction.IN, wa_id=other).media
