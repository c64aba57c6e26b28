"""The contract with Meta: verification, signatures, storing before working, once per message id."""

from __future__ import annotations

import json
import time

import pytest

from satupintu.whatsapp import standin
from satupintu.whatsapp.models import DeliveryStatus, Direction, Message, WebhookEvent
from satupintu.whatsapp.webhook import signature_for
from tests.whatsapp.conftest import PHONE_ID, SECRET, VERIFY

pytestmark = pytest.mark.django_db


def test_verification_answers_the_challenge_only_with_our_token(phone, client):
    ok = client.get("/webhooks/whatsapp", {"hub.mode": "subscribe", "hub.verify_token": VERIFY,
                                           "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.content == b"1158201444"
    bad = client.get("/webhooks/whatsapp", {"hub.mode": "subscribe", "hub.verify_token": "guess",
                                            "hub.challenge": "1"})
    assert bad.status_code == 403
    # Non-ASCII in the token: a refusal like any other, not a 500 from compare_digest.
    assert client.get("/webhooks/whatsapp", {"hub.mode": "subscribe", "hub.verify_token": "é"}).status_code == 403


def test_unsigned_or_badly_signed_events_are_refused_and_not_stored(phone, client):
    body = phone.sim._envelope(PHONE_ID, {"messages": [{"from": "6281234567890", "id": "wamid.x", "timestamp": "1",
                                                        "type": "text", "text": {"body": "halo"}}]})
    assert client.post("/webhooks/whatsapp", data=body, content_type="application/json").status_code == 401
    forged = client.post("/webhooks/whatsapp", data=body, content_type="application/json",
                         headers={"X-Hub-Signature-256": signature_for(body, "not-our-secret")})
    assert forged.status_code == 403
    tampered = client.post("/webhooks/whatsapp", data=body + b" ", content_type="application/json",
                           headers={"X-Hub-Signature-256": signature_for(body, SECRET)})
    assert tampered.status_code == 403
    odd = client.post("/webhooks/whatsapp", data=body, content_type="application/json",
                      headers={"X-Hub-Signature-256": "sha256=é"})
    assert odd.status_code == 403
    assert WebhookEvent.objects.count() == 0 and Message.objects.count() == 0


def test_halo_gets_the_menu_and_delivery_statuses_come_back(phone):
    phone.say("6281299990001", "halo")
    sent = phone.replies("6281299990001")
    assert sent[-1]["type"] == "interactive" and sent[-1]["interactive"]["type"] == "list"
    rows = [r["title"] for r in sent[-1]["interactive"]["action"]["sections"][0]["rows"]]
    assert rows[0].startswith("1. Lacak") and rows[3].startswith("4. Bicara")
    out = Message.objects.get(direction=Direction.OUT)
    assert out.wamid and out.status == DeliveryStatus.DELIVERED  # sent, then delivered, by webhook


def test_an_event_delivered_twice_is_handled_once(phone):
    message = {"from": "6281299990002", "id": "wamid.same", "timestamp": str(int(time.time())), "type": "text",
               "text": {"body": "halo"}}
    phone.store.add_inbound(PHONE_ID, "6281299990002", message)
    body = phone.sim._envelope(PHONE_ID, {"messages": [message]})
    for _ in range(2):
        phone.sim.pending.append(body)
        phone.settle()
    assert Message.objects.filter(direction=Direction.IN).count() == 1
    assert len(phone.replies("6281299990002")) == 1
    assert Message.objects.get(direction=Direction.OUT).status == DeliveryStatus.DELIVERED


def test_malformed_json_and_unknown_numbers_are_logged_not_errors(phone, client, caplog):
    for body in (b"{not json", json.dumps({"object": "page"}).encode(), b"[" * 50_000):  # nested: RecursionError
        with phone.capture(execute=True):
            response = client.post("/webhooks/whatsapp", data=body, content_type="application/json",
                                   headers={"X-Hub-Signature-256": signature_for(body, SECRET)})
        assert response.status_code == 200
    events = list(WebhookEvent.objects.all())
    assert len(events) == 3 and all(e.last_error.startswith("malformed") and e.processed_at for e in events)
    assert all(e.attempts == 1 for e in events)  # done with, not retried
    phone.say("6281299990003", "halo", phone_number_id="999")
    assert "unknown phone number id" in caplog.text
    assert not Message.objects.filter(wa_id="6281299990003").exists()


def test_a_message_of_a_wrong_shape_does_not_lose_the_good_ones_beside_it(phone):
    """Signed by Meta, yet one value is a string where an object belongs: that one is skipped and
    logged, the others of the same event are stored and answered, and the event is done."""
    good = {"from": "6281299990007", "id": "wamid.good", "timestamp": str(int(time.time())), "type": "text",
            "text": {"body": "halo"}}
    bad = [{"from": "6281299990007", "id": f"wamid.bad{i}", "timestamp": "1", "type": kind, kind: "x"}
           for i, kind in enumerate(("interactive", "text", "location"))]
    body = phone.sim._envelope(PHONE_ID, {"contacts": [{"wa_id": "6281299990007", "profile": "x"}],
                                          "messages": [*bad, good], "statuses": [{"id": 5, "status": []}]})
    phone.sim.pending.append(body)
    phone.settle()
    assert Message.objects.filter(direction=Direction.IN, wamid="wamid.good").exists()
    assert phone.replies("6281299990007")
    event = WebhookEvent.objects.order_by("pk").first()  # the citizen's; the rest are delivery statuses
    assert event is not None and b"wamid.good" in bytes(event.body)
    assert event.processed_at is not None and event.attempts == 1 and not event.last_error


def test_stickers_and_reactions_get_the_help_text(phone):
    phone.say("6281299990004", {"type": "sticker", "sticker": {"id": "1", "mime_type": "image/webp"}})
    phone.say("6281299990004", {"type": "reaction", "reaction": {"message_id": "wamid.a", "emoji": "👍"}})
    texts = phone.texts("6281299990004")
    assert sum("belum dapat kami baca" in t for t in texts) == 2


def test_a_status_never_goes_back(phone):
    phone.say("6281299990005", "halo")
    out = Message.objects.get(direction=Direction.OUT)
    phone.sim.status(PHONE_ID, out.wamid, out.wa_id, "read")
    phone.sim.status(PHONE_ID, out.wamid, out.wa_id, "delivered")
    phone.settle()
    out.refresh_from_db()
    assert out.status == DeliveryStatus.READ


def test_a_status_never_goes_back_when_a_later_one_lands_meanwhile(phone):
    """Two workers: one handles 'delivered' and has read the message ('sent'); before it writes, the
    other stores 'read'. The write is conditional on the row as it is then, so 'read' stays."""
    from django.db import connection

    phone.say("6281299990006", "halo")
    out = Message.objects.get(direction=Direction.OUT)
    Message.objects.filter(pk=out.pk).update(status=DeliveryStatus.SENT)
    landed: list[bool] = []

    def the_other_worker(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        result = execute(sql, params, many, context)
        if not landed and sql.startswith("SELECT") and '"wamid" =' in sql and out.wamid in (params or ()):
            landed.append(True)  # right after our worker read the message: the other one's 'read' is stored
            Message.objects.filter(pk=out.pk).update(status=DeliveryStatus.READ)
        return result

    phone.sim.status(PHONE_ID, out.wamid, out.wa_id, "delivered")
    with connection.execute_wrapper(the_other_worker):
        phone.settle()
    out.refresh_from_db()
    assert landed and out.status == DeliveryStatus.READ


def test_the_stand_in_refuses_what_meta_refuses(phone):
    from satupintu.whatsapp import graph

    with pytest.raises(graph.GraphError) as too_many:
        graph.send_message(PHONE_ID, {"to": "6281299990006", "type": "interactive", "interactive": {
            "type": "button", "body": {"text": "x"}, "action": {"buttons": [
                {"type": "reply", "reply": {"id": str(i), "title": "t"}} for i in range(4)]}}})
    assert too_many.value.code == 131009 and not too_many.value.retry
    with pytest.raises(graph.GraphError) as template:
        graph.send_message(PHONE_ID, {"to": "6281299990006", "type": "template",
                                      "template": {"name": "nope", "language": {"code": "id"}}})
    assert template.value.code == 132001
    phone.sim.fail_next.append((429, 130429))
    with pytest.raises(graph.GraphError) as limited:
        graph.send_message(PHONE_ID, standin.text("x") | {"to": "6281299990006"})
    assert limited.value.retry


def test_control_characters_in_a_signed_message_are_cleaned_not_refused(phone):
    """Refusing a signed delivery loses the citizen's message for good (Meta gives up)."""
    phone.say("6281299990007", "syarat\u000b legalisir\u0000 ijazah madrasah")
    stored = Message.objects.get(direction=Direction.IN)
    assert stored.text == "syarat legalisir ijazah madrasah"
    assert "\u0000" not in json.dumps(stored.payload) and phone.replies("6281299990007")


def test_a_message_type_longer_than_its_column_is_stored_cut_and_answered(phone):
    """A type the bot does not know is kept as it came (for a look), within Message.kind's 20
    characters: PostgreSQL refused a longer one, and the event was retried, then lost."""
    phone.say("6281299990008", {"type": "x" * 25, "x" * 25: {"id": "1"}})
    stored = Message.objects.get(direction=Direction.IN, wa_id="6281299990008")
    assert stored.kind == "x" * Message._meta.get_field("kind").max_length
    assert any("belum dapat kami baca" in t for t in phone.texts("6281299990008"))  # the help text, as for a sticker


def test_a_sender_of_more_than_20_digits_is_skipped_and_the_good_messages_beside_it_kept(phone):
    """No phone number has more than 15 digits (E.164); wa_id holds 20. One such sender is a wrong
    shape, skipped like the others, not a database error that failed (and lost) the whole event."""
    now = str(int(time.time()))
    odd = {"from": "62" + "8" * 23, "id": "wamid.long", "timestamp": now, "type": "text", "text": {"body": "halo"}}
    good = {"from": "6281299990009", "id": "wamid.fine", "timestamp": now, "type": "text", "text": {"body": "halo"}}
    phone.sim.pending.append(phone.sim._envelope(PHONE_ID, {"messages": [odd, good]}))
    phone.settle()
    assert not Message.objects.filter(wamid="wamid.long").exists()
    assert Message.objects.filter(direction=Direction.IN, wamid="wamid.fine").exists() and phone.replies("6281299990009")
    event = WebhookEvent.objects.order_by("pk").first()
    assert event is not None and event.processed_at is not None and event.attempts == 1
